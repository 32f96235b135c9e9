#include "sample/entries.h"

#include "core/base/tokens.h"
#include "sample/units.h"

#include <algorithm>
#include <numeric>

namespace headroom::sample {

namespace {

task_kind kind_of(const study& queries, std::size_t q) { return queries.benchmarks[queries.queries[q].benchmark].kind; }

bool blank(std::string_view text) {
    return std::all_of(text.begin(), text.end(), [](char c) { return c == ' ' || c == '\n' || c == '\t' || c == '\r'; });
}

// Per-choice output tokens. usage counts all choices of a request together; with
// several choices it is split in proportion to each text's token count (exact when the
// server counts like the study does), and the entry says which way it was found.
std::vector<std::uint32_t> output_tokens(const chat_response& r, std::string& source) {
    std::vector<std::uint32_t> counted;
    for (const auto& c : r.choices) counted.push_back(count_tokens(c.text));
    if (!r.completion_tokens) {
        source = "counted";
        return counted;
    }
    if (r.choices.size() == 1) {
        source = "usage";
        return {*r.completion_tokens};
    }
    const std::uint64_t total = *r.completion_tokens;
    const std::uint64_t sum = std::accumulate(counted.begin(), counted.end(), std::uint64_t{0});
    if (sum == total) {
        source = "usage";
        return counted;
    }
    source = "apportioned";
    std::vector<std::uint32_t> out(counted.size());
    std::uint64_t given = 0;
    for (std::size_t i = 0; i < counted.size(); ++i) {
        out[i] = static_cast<std::uint32_t>(sum ? total * counted[i] / sum : total / counted.size());
        given += out[i];
    }
    for (std::size_t i = 0; given < total; i = (i + 1) % out.size(), ++given) ++out[i];
    return out;
}

json_value base_entry(const plan& p, const study& queries, const request_units& r, std::uint32_t sample,
                      int attempts, const std::vector<std::string>& retried) {
    const auto& model = p.models[r.model];
    return {{"key", key_of(p, queries, r, sample)},
            {"model", model.info.id},
            {"endpoint", model.endpoint.url},
            {"params", sampling_params_hash(p, model, p.budgets[r.budget], kind_of(queries, r.query))},
            {"query", queries.queries[r.query].id},
            {"budget", p.budgets[r.budget]},
            {"sample", sample},
            {"status", "failed"},
            {"attempts", attempts},
            {"retried", retried},
            {"mode", r.mode},
            {"n_requested", r.n}};
}

} // namespace

std::string key_of(const plan& p, const study& queries, const request_units& r, std::uint32_t sample) {
    const auto& model = p.models[r.model];
    return unit_key(model.info.id, model.endpoint.url,
                    sampling_params_hash(p, model, p.budgets[r.budget], kind_of(queries, r.query)),
                    queries.queries[r.query].id, sample);
}

json_value request_for(const plan& p, const study& queries, const request_units& r) {
    const auto& model = p.models[r.model];
    const query& q = queries.queries[r.query];
    const task_kind kind = kind_of(queries, r.query);
    chat_request c;
    c.model = model.endpoint.served_model;
    c.messages = render_task_prompt(q, kind, p.templates.at(kind));
    c.max_tokens = p.budgets[r.budget];
    c.temperature = p.temperature;
    c.top_p = p.top_p;
    c.seed = p.seed + r.first_sample;  // the simulated endpoint reads seed as the first choice's sample index
    c.n = r.n;
    return request_body(c);
}

std::vector<json_value> failed_entries(const plan& p, const study& queries, const request_units& r,
                                       const json_value& request, int attempts, const std::vector<std::string>& retried,
                                       const std::string& reason, const std::string& message) {
    std::vector<json_value> out;
    for (std::uint32_t i = 0; i < r.n; ++i) {
        json_value e = base_entry(p, queries, r, r.first_sample + i, attempts, retried);
        e["reason"] = reason;
        e["message"] = message;
        e["request"] = request;
        out.push_back(std::move(e));
    }
    return out;
}

std::vector<json_value> done_entries(const plan& p, const study& queries, const request_units& r,
                                     const json_value& request, const chat_response& response, int attempts,
                                     const std::vector<std::string>& retried, double latency_ms) {
    std::string token_source;
    const auto out_tokens = output_tokens(response, token_source);
    std::uint32_t in_tokens = 0;
    if (response.prompt_tokens) in_tokens = *response.prompt_tokens;
    else
        for (const auto& m : request.at("messages")) in_tokens += count_tokens(m.at("content").get<std::string>());
    std::vector<json_value> out;
    for (std::size_t i = 0; i < response.choices.size(); ++i) {
        const chat_choice& choice = response.choices[i];
        const std::uint32_t sample = r.first_sample + static_cast<std::uint32_t>(i);
        json_value e = base_entry(p, queries, r, sample, attempts, retried);
        const bool length = choice.finish == "length";
        e["status"] = length ? "length" : blank(choice.text) ? "empty" : "ok";
        e["text"] = choice.text;
        // A filtered reply is kept (its text is what the model was allowed to say), but
        // marked: it is neither a natural stop nor a budget cut.
        e["finish"] = length ? "length" : choice.finish == "content_filter" ? "content_filter" : "stop";
        e["finish_reason"] = choice.finish;
        e["input_tokens"] = in_tokens;
        e["output_tokens"] = out_tokens[i];
        e["token_source"] = token_source;
        e["latency_ms"] = latency_ms;
        e["n_returned"] = response.choices.size();
        e["fingerprint"] = response.fingerprint;
        e["served_by"] = response.served_by;
        e["sample_seed"] = p.seed + sample;
        e["request"] = request;
        out.push_back(std::move(e));
    }
    return out;
}

} // namespace headroom::sample
