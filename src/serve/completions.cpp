#include "serve/completions.h"

#include "core/base/jsonl.h"
#include "core/base/tokens.h"
#include "core/grading/prompts.h"

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <ctime>
#include <optional>

namespace headroom::serve {
namespace {

using json = nlohmann::ordered_json;

constexpr int max_choices = 128;

// A request we refuse: thrown while reading it, turned into an OpenAI-style error.
struct refusal {
    int status;
    std::string param, message, code;
};

[[noreturn]] void refuse(std::string param, std::string message, int status = 400, std::string code = {}) {
    throw refusal{status, std::move(param), std::move(message), std::move(code)};
}

std::string type_name(const json& v) { return v.type_name(); }

std::optional<std::int64_t> integer_field(const json& request, const char* field, std::int64_t lo, std::int64_t hi) {
    const auto it = request.find(field);
    if (it == request.end() || it->is_null()) return std::nullopt;
    if (!it->is_number_integer())
        refuse(field, std::string(field) + ": expected an integer, got " + type_name(*it));
    const auto value = it->is_number_unsigned() && it->get<std::uint64_t>() > static_cast<std::uint64_t>(hi)
                           ? hi + 1
                           : it->get<std::int64_t>();
    if (value < lo || value > hi)
        refuse(field, std::string(field) + ": " + it->dump() + " is out of range " + std::to_string(lo) + ".." +
                          std::to_string(hi));
    return value;
}

std::optional<double> number_field(const json& request, const char* field, double lo, double hi) {
    const auto it = request.find(field);
    if (it == request.end() || it->is_null()) return std::nullopt;
    if (!it->is_number()) refuse(field, std::string(field) + ": expected a number, got " + type_name(*it));
    const double value = it->get<double>();
    if (!(value >= lo && value <= hi))
        refuse(field, std::string(field) + ": " + it->dump() + " is out of range");
    return value;
}

std::vector<chat_message> read_messages(const json& request) {
    const auto it = request.find("messages");
    if (it == request.end()) refuse("messages", "messages: required");
    if (!it->is_array() || it->empty()) refuse("messages", "messages: expected a non-empty array of messages");
    std::vector<chat_message> out;
    for (std::size_t i = 0; i < it->size(); ++i) {
        const json& m = (*it)[i];
        const std::string at = "messages[" + std::to_string(i) + "]";
        if (!m.is_object()) refuse(at, at + ": expected an object, got " + type_name(m));
        const auto role = m.find("role");
        if (role == m.end() || !role->is_string()) refuse(at + ".role", at + ".role: expected a string");
        const std::string r = role->get<std::string>();
        if (r != "system" && r != "developer" && r != "user" && r != "assistant")
            refuse(at + ".role", at + ".role: '" + r + "' is not system, developer, user or assistant");
        const auto content = m.find("content");
        if (content == m.end() || !content->is_string())
            refuse(at + ".content", at + ".content: expected a string (only text content is simulated)");
        // A developer message is the newer name for a system message.
        out.push_back({r == "developer" ? "system" : r, content->get<std::string>()});
    }
    return out;
}

std::string metadata_field(const json& request, const char* key) {
    const auto it = request.find("metadata");
    if (it == request.end() || it->is_null()) return {};
    if (!it->is_object()) refuse("metadata", "metadata: expected an object of strings, got " + type_name(*it));
    const auto value = it->find(key);
    if (value == it->end()) return {};
    if (!value->is_string()) refuse(std::string("metadata.") + key, std::string("metadata.") + key + ": expected a string");
    return value->get<std::string>();
}

std::string names_of(const simulated_pool& pool) {
    std::string out;
    for (const auto& m : pool.data().models) out += (out.empty() ? "" : ", ") + m.id;
    for (const auto& j : pool.config().judges) out += ", " + j.name + " (judge)";
    return out;
}

std::string budget_list(const simulated_pool& pool) {
    std::string out;
    for (const auto b : pool.budgets()) out += (out.empty() ? "" : ", ") + std::to_string(b);
    return out;
}

struct choice {
    std::string_view text;
    finish_reason finish;
    std::uint32_t tokens;
};

json completion(const simulated_pool& pool, std::string_view model, const std::vector<choice>& choices,
                std::uint32_t prompt_tokens) {
    json out;
    // Unique within a server's life, as completion ids are; nothing reads them back.
    static std::atomic<unsigned long long> served{0};
    char id[40];
    std::snprintf(id, sizeof id, "chatcmpl-%016llx", served.fetch_add(1) + 1);
    out["id"] = id;
    out["object"] = "chat.completion";
    out["created"] = static_cast<long long>(std::time(nullptr));
    out["model"] = model;
    out["system_fingerprint"] = pool.fingerprint();
    out["choices"] = json::array();
    std::uint32_t completion_tokens = 0;
    for (std::size_t i = 0; i < choices.size(); ++i) {
        out["choices"].push_back({{"index", i},
                                  {"message", {{"role", "assistant"}, {"content", choices[i].text}}},
                                  {"logprobs", nullptr},
                                  {"finish_reason", to_string(choices[i].finish)}});
        completion_tokens += choices[i].tokens;
    }
    out["usage"] = {{"prompt_tokens", prompt_tokens},
                    {"completion_tokens", completion_tokens},
                    {"total_tokens", prompt_tokens + completion_tokens}};
    return out;
}

reply answer_task(const simulated_pool& pool, const json& request, std::uint16_t model,
                  const std::vector<chat_message>& messages, int n) {
    const study& s = pool.data();
    if (parse_judge_prompt(messages))
        refuse("messages", "messages: a judge prompt sent to '" + s.models[model].id + "', which is not a judge");
    const auto haystack = query_haystack(messages);
    if (!haystack) refuse("messages", "messages: the last message must be the user's");
    std::vector<std::uint32_t> queries = s.queries.empty() ? std::vector<std::uint32_t>{} : pool.find_queries(*haystack);
    if (queries.empty())
        refuse("messages", "messages: no query of the simulated pool '" + s.info.name +
                               "' appears verbatim in the last user message");
    std::uint32_t q = queries.front();
    if (const std::string hint = metadata_field(request, "query"); !hint.empty()) {
        const auto it = std::find_if(queries.begin(), queries.end(), [&](std::uint32_t c) { return s.queries[c].id == hint; });
        if (it == queries.end())
            refuse("metadata.query", "metadata.query: '" + hint + "' is not a query whose text the messages carry");
        q = *it;
    }

    auto budget = integer_field(request, "max_completion_tokens", 1, 1 << 24);
    if (!budget) budget = integer_field(request, "max_tokens", 1, 1 << 24);
    const std::string budgets = budget_list(pool);
    if (!budget) refuse("max_tokens", "max_tokens: required; the simulated study's budgets are " + budgets);
    if (!std::binary_search(pool.budgets().begin(), pool.budgets().end(), static_cast<std::uint32_t>(*budget)))
        refuse("max_tokens", "max_tokens: " + std::to_string(*budget) + " is not a budget of the simulated study (" +
                                 budgets + ")");

    const double pool_temperature = pool.config().temperature;
    const double temperature = number_field(request, "temperature", 0, 2).value_or(pool_temperature);
    if (temperature != 0 && temperature != pool_temperature)
        refuse("temperature", pool_temperature == 0
                                  ? "temperature: the simulated pool decodes greedily; send 0"
                                  : "temperature: the simulated pool samples at " + json(pool_temperature).dump() +
                                        " (or 0 for its greedy draw)");
    const bool greedy = temperature == 0;
    const auto seed = integer_field(request, "seed", 0, 65535).value_or(0);
    if (!greedy && seed + n > pool.samples())
        refuse("seed", "seed: samples " + std::to_string(seed) + ".." + std::to_string(seed + n - 1) +
                           " asked for, but the simulated study has " + std::to_string(pool.samples()) +
                           " samples per pair (0.." + std::to_string(pool.samples() - 1) + ")");

    const auto& g = s.generations;
    std::vector<choice> choices;
    reply out;
    std::uint32_t prompt_tokens = 0;
    for (int i = 0; i < n; ++i) {
        // The simulator's greedy draw is sample 0's; every greedy choice is that one.
        const auto sample = static_cast<std::uint16_t>(greedy ? 0 : seed + i);
        const std::uint32_t row = pool.generation(q, model, static_cast<std::uint32_t>(*budget), sample);
        if (row == no_row) refuse("seed", "seed: no generation for sample " + std::to_string(sample));
        choices.push_back({s.generations.text[row], g.finish[row], g.output_tokens[row]});
        prompt_tokens = g.input_tokens[row];
        out.latency_ms = std::max(out.latency_ms, g.latency_ms[row]);
    }
    out.body = completion(pool, s.models[model].id, choices, prompt_tokens).dump();
    return out;
}

reply answer_judge(const simulated_pool& pool, const json& request, std::uint16_t judge,
                   const std::vector<chat_message>& messages, int n) {
    const study& s = pool.data();
    const sim::judge_spec& spec = pool.config().judges[judge];
    const auto prompt = parse_judge_prompt(messages);
    if (!prompt)
        refuse("messages", "messages: judge '" + spec.name + "' answers only judge prompts (the rubric, 1-10 or "
                                                             "pairwise templates of headroom's prompts)");
    if (prompt->kind == judge_prompt_kind::pairwise)
        refuse("messages", "messages: pairwise judging is not simulated; the simulated judges grade one answer at a time");
    if (prompt->scale != spec.scale)
        refuse("messages", "messages: judge '" + spec.name + "' grades on the " + std::string(to_string(spec.scale)) +
                               " scale, but the prompt asks for the " + std::string(to_string(prompt->scale)) + " scale");

    const auto& g = s.generations;
    std::vector<std::uint32_t> candidates;
    for (const std::uint32_t q : pool.find_queries(prompt->question))
        for (const std::uint32_t row : pool.generations_of(q))
            if (g.text[row] == prompt->answer) candidates.push_back(row);
    if (candidates.empty())
        refuse("messages", "messages: the judged answer is no generation of the simulated study for that question");
    std::uint32_t row = candidates.front();
    if (const std::string hint = metadata_field(request, "generation"); !hint.empty()) {
        const auto it = std::find_if(candidates.begin(), candidates.end(), [&](std::uint32_t c) { return g.id[c] == hint; });
        if (it == candidates.end())
            refuse("metadata.generation", "metadata.generation: '" + hint + "' is not a generation with that answer");
        row = *it;
    }
    const std::uint32_t judged = pool.judgment(row, judge);
    if (judged == no_row) refuse("messages", "messages: the simulated study holds no reply of this judge to that answer");

    std::string_view text = s.judgments.reply[judged];
    finish_reason finish = finish_reason::stop;
    std::uint32_t tokens = count_tokens(text);
    if (const auto budget = integer_field(request, "max_completion_tokens", 1, 1 << 24)
                                .value_or(integer_field(request, "max_tokens", 1, 1 << 24).value_or(1 << 24));
        tokens > budget) {
        text = truncate_to_tokens(text, static_cast<std::uint32_t>(budget));
        tokens = static_cast<std::uint32_t>(budget);
        finish = finish_reason::length;
    }
    std::uint32_t prompt_tokens = 0;
    for (const auto& m : messages) prompt_tokens += count_tokens(m.content);
    reply out;
    // Judges are large models: they reply at the pace of the pool's slowest model.
    double ms_per_token = 0;
    for (const auto& m : s.models) ms_per_token = std::max(ms_per_token, m.latency_ms_per_token);
    out.latency_ms = 150.0 + ms_per_token * tokens;
    out.body = completion(pool, spec.name, std::vector<choice>(static_cast<std::size_t>(n), choice{text, finish, tokens}),
                          prompt_tokens)
                   .dump();
    return out;
}

} // namespace

std::string error_body(std::string_view message, std::string_view type, std::string_view param, std::string_view code) {
    json error{{"message", message}, {"type", type}, {"param", nullptr}, {"code", nullptr}};
    if (!param.empty()) error["param"] = param;
    if (!code.empty()) error["code"] = code;
    return json{{"error", error}}.dump();
}

reply complete_chat(const simulated_pool& pool, std::string_view body, bool ignore_n) {
    try {
        json request;
        try {
            request = parse_json_bounded(body, "request body", 1, {max_request_bytes, 32});
        } catch (const input_error& e) {
            refuse("", "We could not parse the JSON body of your request: " + e.message());
        }
        if (!request.is_object()) refuse("", "The request body must be a JSON object, got " + type_name(request));
        const auto model_it = request.find("model");
        if (model_it == request.end()) refuse("model", "model: required");
        if (!model_it->is_string()) refuse("model", "model: expected a string, got " + type_name(*model_it));
        const std::string model = model_it->get<std::string>();
        if (const auto stream = request.find("stream"); stream != request.end() && !stream->is_null()) {
            if (!stream->is_boolean()) refuse("stream", "stream: expected a boolean, got " + type_name(*stream));
            if (stream->get<bool>()) refuse("stream", "stream: streaming is not simulated; send false");
        }
        const auto messages = read_messages(request);
        const int n = ignore_n ? 1 : static_cast<int>(integer_field(request, "n", 1, max_choices).value_or(1));
        if (const auto m = pool.find_model(model)) return answer_task(pool, request, *m, messages, n);
        if (const auto j = pool.find_judge(model)) return answer_judge(pool, request, *j, messages, n);
        refuse("model", "The model '" + model + "' does not exist in the simulated pool '" + pool.data().info.name +
                            "' (" + names_of(pool) + ")",
               404, "model_not_found");
    } catch (const refusal& r) {
        return {r.status, error_body(r.message, "invalid_request_error", r.param, r.code), 0};
    }
}

std::string list_models(const simulated_pool& pool) {
    json data = json::array();
    for (const auto& m : pool.data().models)
        data.push_back({{"id", m.id}, {"object", "model"}, {"created", 0}, {"owned_by", "headroom-simulated-pool"}});
    for (const auto& j : pool.config().judges)
        data.push_back({{"id", j.name}, {"object", "model"}, {"created", 0}, {"owned_by", "headroom-simulated-judge"}});
    return json{{"object", "list"}, {"data", data}}.dump();
}

} // namespace headroom::serve
