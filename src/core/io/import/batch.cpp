#include "core/io/import/batch.h"

#include <algorithm>
#include <unordered_map>

namespace headroom::import {

namespace {

struct known_request {
    batch_request request;
    std::string file;
    std::size_t line = 0;
};

// A format's state across files: every input file's requests by custom_id, and the
// study's query for each query id the custom_ids name.
struct batch_state {
    bool inputs_read = false;
    std::unordered_map<std::string, std::vector<known_request>> requests;
    std::unordered_map<std::string, std::uint32_t> queries;
};

batch_state& state_of(const batch_provider& provider, context& ctx) {
    auto& slot = ctx.state[std::string(provider.format)];
    if (!slot.has_value()) slot = batch_state{};
    return std::any_cast<batch_state&>(slot);
}

// The first line that is not blank, parsed; nullopt when it is no JSON.
std::optional<json_value> first_line(std::string_view bytes, const std::string& file) {
    std::optional<json_value> out;
    const std::size_t begin = std::min(bytes.find_first_not_of(" \t\r\n"), bytes.size());
    const std::size_t end = std::min(bytes.find('\n', begin), bytes.size());
    try {
        out = parse_json_bounded(bytes.substr(begin, end - begin), file, 1);
    } catch (const input_error&) {
        return std::nullopt;
    }
    return out;
}

bool is_input_file(const batch_provider& provider, const source_file& file) {
    const auto line = first_line(file.bytes, file.path);
    return line && provider.is_input(*line);
}

void read_inputs(const batch_provider& provider, context& ctx, batch_state& state) {
    if (state.inputs_read) return;
    state.inputs_read = true;
    for (const auto& file : *ctx.files) {
        if (!is_input_file(provider, file)) continue;
        for_each_json_line(file.bytes, file.path, [&](const json_value& line, std::size_t number) {
            const json_place at{file.path, number};
            if (!provider.is_input(line)) at.fail("custom_id", "is not a batch request line like the file's first");
            const std::string id = string_or(line, "custom_id", at, "custom_id");
            auto& known = state.requests[id];
            for (const auto& other : known)
                if (other.file == file.path)
                    at.fail("custom_id", "'" + id + "' appears twice in this input file (line " + std::to_string(other.line) + ")");
            known.push_back({provider.read_request(line, at), file.path, number});
        });
    }
}

// What a custom_id names, through the template: {query}, {model}, {sample}.
struct named {
    std::string query, model;
    std::optional<std::uint32_t> sample;
    std::optional<std::uint32_t> budget;
};

// Every way the template reads the id, the longest query first.
void matches(std::string_view pattern, std::string_view id, named so_far, std::vector<named>& out) {
    if (pattern.empty()) {
        if (id.empty()) out.push_back(std::move(so_far));
        return;
    }
    if (pattern.front() != '{') {
        const auto brace = std::min(pattern.find('{'), pattern.size());
        const std::string_view literal = pattern.substr(0, brace);
        if (id.substr(0, literal.size()) == literal) matches(pattern.substr(brace), id.substr(literal.size()), so_far, out);
        return;
    }
    const auto close = pattern.find('}');
    if (close == std::string_view::npos) return;
    const std::string_view field = pattern.substr(1, close - 1), rest = pattern.substr(close + 1);
    for (std::size_t n = id.size(); n >= 1; --n) {
        const std::string_view value = id.substr(0, n);
        named attempt = so_far;
        if (field == "query") attempt.query = value;
        else if (field == "model") attempt.model = value;
        else if (field == "sample") {
            if (value.size() > 5 || value.find_first_not_of("0123456789") != std::string_view::npos) continue;
            attempt.sample = static_cast<std::uint32_t>(std::stoul(std::string(value)));
        } else return;
        matches(rest, id.substr(n), std::move(attempt), out);
    }
}

// What the custom_id names. Of the template's readings, the first (longest query) whose
// model is one the id's requests were sent to: "q1-gpt-4o-mini" by "{query}-{model}" is
// query "q1" of gpt-4o-mini, not query "q1-gpt-4o" of "mini".
named read_custom_id(const std::string& id, const std::string& pattern, const std::vector<std::string>& request_models,
                     const json_place& at) {
    named out;
    // Headroom's own batch input: [model, query, budget, first sample, n].
    if (pattern.empty() && !id.empty() && id.front() == '[') {
        const auto parsed = nlohmann::json::parse(id, nullptr, false);
        if (!parsed.is_discarded() && parsed.is_array() && parsed.size() == 5 && parsed[0].is_string() &&
            parsed[1].is_string() && parsed[2].is_number_unsigned() && parsed[3].is_number_unsigned()) {
            out.model = parsed[0].get<std::string>();
            out.query = parsed[1].get<std::string>();
            out.budget = parsed[2].get<std::uint32_t>();
            out.sample = parsed[3].get<std::uint32_t>();
            return out;
        }
    }
    if (pattern.empty()) {
        out.query = id;
        return out;
    }
    std::vector<named> readings;
    matches(pattern, id, {}, readings);
    readings.erase(std::remove_if(readings.begin(), readings.end(), [](const named& n) { return n.query.empty(); }),
                   readings.end());
    if (readings.empty()) at.fail("custom_id", "'" + id + "' does not match the custom_id template '" + pattern + "'");
    for (const auto& n : readings)
        if (n.model.empty() || std::find(request_models.begin(), request_models.end(), n.model) != request_models.end())
            return n;
    return readings.front();
}

// The request a result answers: the one input line with its custom_id, or, where several
// input files reuse the custom_id (one file per model), the one of the model it names.
const known_request& request_for(const batch_state& state, const std::string& id, const named& n, const json_place& at) {
    const auto it = state.requests.find(id);
    if (it == state.requests.end())
        at.fail("custom_id", "'" + id + "' is in no input file given (import the batch's input file with its output)");
    if (it->second.size() == 1) return it->second.front();
    const known_request* found = nullptr;
    for (const auto& r : it->second)
        if (!n.model.empty() && r.request.model == n.model) {
            if (found) found = nullptr;
            else found = &r;
        }
    if (!found)
        at.fail("custom_id", "'" + id + "' is in " + std::to_string(it->second.size()) +
                                 " input files; give custom_ids that differ, or name the model in them (--custom-id "
                                 "\"{query}-{model}\")");
    return *found;
}

std::uint32_t query_of(batch_state& state, context& ctx, const std::string& query_id, const known_request& r,
                       const std::string& model, std::uint32_t budget) {
    if (auto it = state.queries.find(query_id); it != state.queries.end()) return it->second;
    const row_origin origin{r.file, r.line};
    headroom::query q;
    q.id = query_id;
    q.text = r.request.text;
    q.benchmark = benchmark_for(ctx, ctx.opts.benchmark, task_kind::open, r.file, origin);
    const std::uint32_t index = query_for(
        ctx, std::move(q), [&](std::string_view existing) { return canonical_generation_id(existing, model, budget, 0); },
        origin);
    state.queries.emplace(query_id, index);
    return index;
}

} // namespace

std::string user_text(const json_value* messages, const json_place& at, const std::string& field) {
    if (!messages || !messages->is_array()) at.fail(field, "must be a list of messages");
    std::string text;
    for (std::size_t i = 0; i < messages->size(); ++i) {
        const std::string at_message = field + "[" + std::to_string(i) + "]";
        if (string_or((*messages)[i], "role", at, at_message + ".role") != "user") continue;
        if (!text.empty()) text += "\n\n";
        text += content_text(member((*messages)[i], "content"), at, at_message + ".content");
    }
    return text;
}

bool detect_batch(const batch_provider& provider, const source_file& file) {
    const auto line = first_line(file.bytes, file.path);
    return line && (provider.is_input(*line) || provider.is_output(*line));
}

void parse_batch(const batch_provider& provider, const source_file& file, context& ctx) {
    batch_state& state = state_of(provider, ctx);
    read_inputs(provider, ctx, state);
    if (is_input_file(provider, file)) {
        // Every request's query and model enter the study, answered or not: a request
        // without a result is a missing outcome of its model, not an absent query.
        for_each_json_line(file.bytes, file.path, [&](const json_value& line, std::size_t number) {
            const json_place at{file.path, number};
            const std::string id = string_or(line, "custom_id", at, "custom_id");
            const auto& known = state.requests.at(id);
            const auto r = std::find_if(known.begin(), known.end(), [&](const known_request& k) { return k.file == file.path && k.line == number; });
            const named n = read_custom_id(id, ctx.opts.custom_id, {r->request.model}, at);
            const std::string model = n.model.empty() ? r->request.model : n.model;
            if (model.empty()) at.fail("model", "the request names no model");
            model_for(ctx, model, {file.path, number});
            query_of(state, ctx, n.query, *r, model, n.budget.value_or(r->request.budget));
        });
        return;
    }
    for_each_json_line(file.bytes, file.path, [&](const json_value& line, std::size_t number) {
        const json_place at{file.path, number};
        const row_origin origin{file.path, number};
        if (!provider.is_output(line)) at.fail("custom_id", "is not a batch result line like the file's first");
        const std::string id = string_or(line, "custom_id", at, "custom_id");
        std::vector<std::string> request_models;
        if (const auto known = state.requests.find(id); known != state.requests.end())
            for (const auto& k : known->second) request_models.push_back(k.request.model);
        const named n = read_custom_id(id, ctx.opts.custom_id, request_models, at);
        const known_request& r = request_for(state, id, n, at);
        const std::string model = n.model.empty() ? r.request.model : n.model;
        if (model.empty()) at.fail("model", "neither the custom_id nor the request names a model");
        const std::uint32_t budget = n.budget.value_or(r.request.budget);
        const std::uint16_t model_index = model_for(ctx, model, origin);
        const std::uint32_t query = query_of(state, ctx, n.query, r, model, budget);
        const batch_result result = provider.read_result(line, at);
        if (!result.failure.empty()) {
            ++ctx.failed[std::string(provider.format) + ": " + result.failure];
            return;
        }
        const std::string& query_id = ctx.builder.peek().queries[query].id;
        for (std::size_t c = 0; c < result.choices.size(); ++c) {
            const std::size_t sample = n.sample.value_or(0) + c;
            if (sample > 65534) at.fail("custom_id", "sample " + std::to_string(sample) + " is over 65534");
            generation_row g;
            g.id = canonical_generation_id(query_id, model, budget, static_cast<std::uint16_t>(sample));
            g.query = query;
            g.model = model_index;
            g.budget = budget;
            g.sample = static_cast<std::uint16_t>(sample);
            g.text = result.choices[c].text;
            g.finish = result.choices[c].finish;
            // A request's usage covers all its choices: per choice only when there is one.
            if (result.choices.size() == 1) {
                g.input_tokens = result.input_tokens;
                g.output_tokens = result.output_tokens;
            }
            ctx.builder.add(std::move(g), origin);
        }
    });
}

} // namespace headroom::import
