#include "core/io/import/inspect.h"

#include "core/io/archive/archive.h"
#include "core/io/import/json_fields.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <span>
#include <unordered_map>

namespace headroom::import {

namespace {

bool ends_with(std::string_view text, std::string_view suffix) {
    return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

std::span<const std::uint8_t> as_bytes(std::string_view text) {
    return {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()};
}

// A log is one JSON document that can hold every sample's transcript: far above the
// bound on one JSONL record, and nested deeper (events hold messages holding tool calls).
const json_limits log_limits{std::size_t{1} << 30, 64};

struct log_header {
    std::string model, task;
    std::uint32_t budget = unknown_budget;
    std::vector<std::string> scorers;  // as the header lists them: a sample without one is missing it
};

log_header read_header(const json_value& h, const json_place& at) {
    const json_value* eval = member(h, "eval");
    if (!eval || !eval->is_object()) at.fail("eval", "is missing (an inspect_ai log has its task and model there)");
    log_header out;
    out.model = string_or(*eval, "model", at, "eval.model");
    if (out.model.empty()) at.fail("eval.model", "is missing");
    out.task = string_or(*eval, "task", at, "eval.task");
    if (out.task.empty()) at.fail("eval.task", "is missing");
    // The generate config's max_tokens is the budget: newer logs keep it in the eval, older in the plan.
    const char* budget_field = "eval.model_generate_config.max_tokens";
    const json_value* budget = member(member(eval, "model_generate_config"), "max_tokens");
    if (!budget) {
        budget_field = "plan.config.max_tokens";
        budget = member(member(member(h, "plan"), "config"), "max_tokens");
    }
    out.budget = budget_or_unknown(budget, at, budget_field);
    const json_value* scores = member(member(h, "results"), "scores");
    if (scores && scores->is_array())
        for (std::size_t i = 0; i < scores->size(); ++i) {
            const std::string name = string_or((*scores)[i], "name", at, "results.scores[" + std::to_string(i) + "].name");
            if (!name.empty()) out.scorers.push_back(name);
        }
    return out;
}

finish_reason finish_of(const std::string& stop_reason, const json_place& at, const std::string& field) {
    // inspect_ai's StopReason; a tool call or refusal ended the turn as the model chose.
    if (stop_reason == "stop" || stop_reason == "tool_calls") return finish_reason::stop;
    if (stop_reason == "max_tokens" || stop_reason == "model_length") return finish_reason::length;
    if (stop_reason == "content_filter") return finish_reason::content_filter;
    if (stop_reason == "unknown" || stop_reason.empty()) return finish_reason::unknown;
    at.fail(field, "unknown stop_reason '" + stop_reason +
                       "' (stop, max_tokens, model_length, tool_calls, content_filter or unknown)");
}

// The query's text: the input string, or its user messages' texts.
std::string input_text(const json_value& sample, const json_place& at, const std::string& field) {
    const json_value* input = member(sample, "input");
    if (!input) at.fail(field + ".input", "is missing");
    if (input->is_string()) return input->get<std::string>();
    if (!input->is_array()) at.fail(field + ".input", "must be a string or a list of messages");
    std::string text;
    for (std::size_t i = 0; i < input->size(); ++i) {
        const std::string at_message = field + ".input[" + std::to_string(i) + "]";
        if (string_or((*input)[i], "role", at, at_message + ".role") != "user") continue;
        if (!text.empty()) text += "\n\n";
        text += content_text(member((*input)[i], "content"), at, at_message + ".content");
    }
    return text;
}

// inspect_ai's value_to_float: C(orrect) 1, P(artial) 0.5, I(ncorrect) and N(o answer) 0,
// yes/true and no/false, numbers and numeric strings. What it cannot read (inspect warns
// and counts 0) is a missing outcome here, never a failure.
std::optional<float> score_value(const json_value& v) {
    if (v.is_boolean()) return v.get<bool>() ? 1.0f : 0.0f;
    if (v.is_number()) return static_cast<float>(v.get<double>());
    if (!v.is_string()) return std::nullopt;
    const std::string& s = v.get_ref<const std::string&>();
    if (s == "C") return 1.0f;
    if (s == "P") return 0.5f;
    if (s == "I" || s == "N") return 0.0f;
    std::string lower(s);
    for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (lower == "yes" || lower == "true") return 1.0f;
    if (lower == "no" || lower == "false") return 0.0f;
    char* end = nullptr;
    const double d = std::strtod(s.c_str(), &end);
    if (!s.empty() && end == s.c_str() + s.size() && std::isfinite(d)) return static_cast<float>(d);
    return std::nullopt;
}

void add_grade(context& ctx, std::uint32_t generation, const std::string& grader, const json_value* value,
               const std::string& answer, const std::string& explanation, const row_origin& origin) {
    grade_row g;
    g.generation = generation;
    g.grader = grader;
    const auto score = value ? score_value(*value) : std::nullopt;
    if (score) g.score = *score;
    else g.status = grade_status::missing;
    const std::string unread = value && !score ? "score value " + value->dump() + " is not a number or C/I/P/N" : "";
    g.answer = answer;
    g.detail = score ? explanation : unread;
    ctx.builder.add(g, origin);
}

class log_reader {
public:
    log_reader(context& ctx, const log_header& header, const std::string& file)
        : ctx_(ctx), h_(header), file_(file) {}

    void sample(const json_value& s, const std::string& where, std::size_t line, const std::string& field) {
        const json_place at{where, line};
        if (!s.is_object()) at.fail(field, "must be an object (a sample)");
        const json_value* id_value = member(s, "id");
        if (!id_value) at.fail(field + ".id", "is missing");
        const std::string id = id_text(*id_value, at, field + ".id");
        const json_value* epoch_value = member(s, "epoch");
        std::uint64_t epoch = 1;
        if (epoch_value) {
            if (!epoch_value->is_number_unsigned() || epoch_value->get<std::uint64_t>() < 1 ||
                epoch_value->get<std::uint64_t>() > 65535)
                at.fail(field + ".epoch", "must be a whole number from 1 to 65535");
            epoch = epoch_value->get<std::uint64_t>();
        }
        const row_origin origin{where, line};
        // The model enters the study even when none of its samples has an output.
        const std::uint16_t model = model_for(ctx_, h_.model, origin);
        const std::uint32_t query = query_of(s, id, at, field, origin);
        const auto sample = static_cast<std::uint16_t>(epoch - 1);

        const json_value* output = member(s, "output");
        const json_value* choices = member(output, "choices");
        if (!choices || !choices->is_array() || choices->empty()) {
            // No output at all: the sample errored (or was cancelled) before the model answered.
            ++ctx_.failed[member(s, "error") ? "inspect sample error" : "inspect sample without output"];
            return;
        }
        // inspect scores the first choice (its `completion`); further choices have no scores.
        const json_value& choice = (*choices)[0];
        const std::string at_choice = field + ".output.choices[0]";
        const std::string text = content_text(member(member(choice, "message"), "content"), at, at_choice + ".message.content");
        generation_row g;
        g.id = canonical_generation_id(ctx_.builder.peek().queries[query].id, h_.model, h_.budget, sample);
        g.query = query;
        g.model = model;
        g.budget = h_.budget;
        g.sample = sample;
        g.text = text;
        g.finish = finish_of(string_or(choice, "stop_reason", at, at_choice + ".stop_reason"), at, at_choice + ".stop_reason");
        if (const json_value* usage = member(*output, "usage")) {
            g.input_tokens = tokens_or_unknown(*usage, "input_tokens", at, field + ".output.usage.input_tokens");
            g.output_tokens = tokens_or_unknown(*usage, "output_tokens", at, field + ".output.usage.output_tokens");
        }
        if (const json_value* time = member(*output, "time")) {
            if (!time->is_number() || !(time->get<double>() >= 0)) at.fail(field + ".output.time", "must be a number of seconds");
            g.latency_ms = time->get<double>() * 1000.0;
        }
        const std::uint32_t generation = ctx_.builder.add(std::move(g), origin);
        add_scores(s, generation, at, field, origin);
    }

private:
    std::uint32_t query_of(const json_value& s, const std::string& id, const json_place& at, const std::string& field,
                           const row_origin& origin) {
        // Epochs repeat a sample: within one log an id is one query.
        if (auto it = queries_.find(id); it != queries_.end()) return it->second;
        headroom::query q;
        q.text = input_text(s, at, field);
        const json_value* choices = member(s, "choices");
        if (choices) {
            if (!choices->is_array()) at.fail(field + ".choices", "must be a list of option texts");
            for (std::size_t i = 0; i < choices->size(); ++i) {
                if (!(*choices)[i].is_string()) at.fail(field + ".choices[" + std::to_string(i) + "]", "must be a string");
                q.options.push_back((*choices)[i].get<std::string>());
            }
        }
        q.benchmark = benchmark_for(ctx_, h_.task, q.options.empty() ? task_kind::open : task_kind::mcq, file_, origin);
        const bool mcq = ctx_.builder.peek().benchmarks[q.benchmark].kind == task_kind::mcq;
        if (const json_value* target = member(s, "target")) {
            if (target->is_string()) q.gold = target->get<std::string>();
            else if (target->is_array() && target->size() == 1 && (*target)[0].is_string()) q.gold = (*target)[0].get<std::string>();
            else if (!target->is_array()) at.fail(field + ".target", "must be a string or a list of strings");
        }
        // A multiple-choice gold is the option's letter; a target that is none stays with the log's scores.
        if (mcq && (q.options.empty() || q.gold.size() != 1 || q.gold[0] < 'A' ||
                    q.gold[0] >= 'A' + static_cast<int>(q.options.size())))
            q.gold.clear();
        if (const json_value* subject = member(member(s, "metadata"), "subject"); subject && subject->is_string())
            q.subject = subject->get<std::string>();
        q.id = h_.task + "/" + id;
        const std::uint32_t index = query_for(
            ctx_, std::move(q),
            [&](std::string_view existing) { return canonical_generation_id(existing, h_.model, h_.budget, 0); }, origin);
        queries_.emplace(id, index);
        return index;
    }

    void add_scores(const json_value& s, std::uint32_t generation, const json_place& at, const std::string& field,
                    const row_origin& origin) {
        const json_value* scores = member(s, "scores");
        if (scores && !scores->is_object()) at.fail(field + ".scores", "must be an object of scorer -> score");
        std::vector<std::string> seen;
        if (scores)
            for (const auto& [scorer, score] : scores->items()) {
                const std::string at_score = field + ".scores." + scorer;
                if (!score.is_object()) at.fail(at_score, "must be a score object");
                const std::string answer = score.contains("answer") && score["answer"].is_string() ? score["answer"].get<std::string>() : "";
                const std::string explanation =
                    score.contains("explanation") && score["explanation"].is_string() ? score["explanation"].get<std::string>() : "";
                const json_value* value = member(score, "value");
                seen.push_back(scorer);
                // A scorer of several values ({"accuracy": 1, "f1": 0.5}) grades each under its own name.
                if (value && value->is_object()) {
                    for (const auto& [key, part] : value->items())
                        add_grade(ctx_, generation, "source:" + scorer + "/" + key, &part, answer, explanation, origin);
                } else {
                    add_grade(ctx_, generation, "source:" + scorer, value, answer, explanation, origin);
                }
            }
        for (const auto& scorer : h_.scorers)
            if (std::find(seen.begin(), seen.end(), scorer) == seen.end())
                add_grade(ctx_, generation, "source:" + scorer, nullptr, "", "", origin);
    }

    context& ctx_;
    const log_header& h_;
    const std::string& file_;
    std::unordered_map<std::string, std::uint32_t> queries_;
};

bool sample_entry(std::string_view path) {
    return path.rfind("samples/", 0) == 0 && ends_with(path, ".json") && path.find('/', 8) == std::string_view::npos;
}

void parse_eval_zip(const source_file& file, context& ctx) {
    std::vector<archive::entry> entries;
    try {
        // As for study archives: at most 100 times the log's size (64 MiB at least), so a zip bomb is refused.
        const std::size_t max_output = std::max<std::size_t>(std::size_t{64} << 20, file.bytes.size() * 100);
        entries = archive::read_zip(as_bytes(file.bytes), max_output, [](std::string_view path) {
            return path == "header.json" || path == "_journal/start.json" || sample_entry(path);
        });
    } catch (const archive::format_error& e) {
        throw input_error(file.path, 0, "", std::string("not a readable .eval log: ") + e.what());
    }
    auto text = [](const archive::entry& e) {
        return std::string_view(reinterpret_cast<const char*>(e.bytes.data()), e.bytes.size());
    };
    // A log still being written (or cut short) has only its journal's start record.
    const archive::entry* header_entry = nullptr;
    for (const auto& name : {"header.json", "_journal/start.json"})
        for (const auto& e : entries)
            if (!header_entry && e.path == name) header_entry = &e;
    if (!header_entry) throw input_error(file.path, 0, "header.json", "is missing (not an inspect_ai .eval log?)");
    const std::string header_where = file.path + "/" + header_entry->path;
    const json_value header_json = parse_json_bounded(text(*header_entry), header_where, 1, log_limits);
    const log_header header = read_header(header_json, {header_where, 0});
    log_reader reader(ctx, header, file.path);
    for (const auto& e : entries) {
        if (!sample_entry(e.path)) continue;
        const std::string where = file.path + "/" + e.path;
        reader.sample(parse_json_bounded(text(e), where, 1, log_limits), where, 0, "sample");
    }
}

void parse_json_log(const source_file& file, context& ctx) {
    const json_value log = parse_json_bounded(file.bytes, file.path, 1, log_limits);
    const json_place at{file.path, 0};
    const log_header header = read_header(log, at);
    log_reader reader(ctx, header, file.path);
    const json_value* samples = member(log, "samples");
    if (!samples) return;  // a log written without samples (log_samples off) holds only the summary
    if (!samples->is_array()) at.fail("samples", "must be a list");
    for (std::size_t i = 0; i < samples->size(); ++i)
        reader.sample((*samples)[i], file.path, 0, "samples[" + std::to_string(i) + "]");
}

} // namespace

bool detect_inspect(const source_file& file) {
    if (ends_with(file.path, ".eval")) return archive::is_zip(as_bytes(file.bytes));
    if (!ends_with(file.path, ".json")) return false;
    const std::string_view start = file.bytes.substr(0, 4096);
    return start.find("\"eval\"") != std::string_view::npos && start.find("\"version\"") != std::string_view::npos &&
           start.find("\"status\"") != std::string_view::npos;
}

void parse_inspect(const source_file& file, context& ctx) {
    if (archive::is_zip(as_bytes(file.bytes))) parse_eval_zip(file, ctx);
    else parse_json_log(file, ctx);
}

} // namespace headroom::import
