#include "sample/judging.h"

#include "client/dispatcher.h"
#include "core/base/tokens.h"
#include "core/io/study_io.h"
#include "sample/chat.h"
#include "sample/ledger.h"
#include "sample/units.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>

namespace headroom::sample {

namespace {

std::string judge_params_hash(const plan& p, const judge_spec& j) {
    const nlohmann::json canonical = {{"model", j.endpoint.served_model}, {"max_tokens", j.max_tokens},
                                      {"temperature", j.temperature},     {"seed", p.seed},
                                      {"scale", std::string(to_string(j.scale))}};
    return hash_hex(canonical.dump());
}

} // namespace

judge_summary run_judging(const plan& p, const std::string& study_dir,
                          const std::function<void(std::size_t, std::size_t)>& on_progress) {
    if (p.judges.empty()) throw input_error(p.file, 0, "judges", "the plan names no judges");
    study s = load_study_dir(study_dir);
    ledger l((std::filesystem::path(study_dir) / judge_ledger_file).string());
    judge_summary summary;
    summary.units = s.generations.size() * p.judges.size();

    client::http_client http;
    client::dispatcher dispatch(http, p.retry, p.seed ^ 0x1d9e);
    std::vector<std::size_t> endpoints;
    std::vector<std::vector<std::string>> headers;
    std::vector<std::string> params;
    std::size_t concurrency = 0;
    for (const auto& j : p.judges) {
        endpoints.push_back(dispatch.add_endpoint(
            {j.endpoint.max_concurrency, j.endpoint.requests_per_minute, j.endpoint.tokens_per_minute}));
        headers.push_back({"Content-Type: application/json"});
        if (!j.endpoint.api_key_env.empty())
            headers.back().push_back("Authorization: Bearer " + std::string(std::getenv(j.endpoint.api_key_env.c_str())));
        params.push_back(judge_params_hash(p, j));
        concurrency += j.endpoint.max_concurrency;
    }
    auto key = [&](std::size_t j, std::size_t g) {
        return unit_key(p.judges[j].name, p.judges[j].endpoint.url, params[j], s.generations.id[g], 0);
    };
    std::size_t finished = 0;
    auto report = [&] {
        if (on_progress) on_progress(summary.already_done + finished, summary.units);
    };

    const std::size_t window = std::max<std::size_t>(64, 2 * concurrency);
    std::size_t next = 0;
    const std::size_t total = summary.units;
    while (next < total || dispatch.pending() > 0) {
        while (next < total && dispatch.pending() < window) {
            const std::size_t j = next % p.judges.size(), g = next / p.judges.size();
            ++next;
            if (l.is_done(key(j, g))) {
                ++summary.already_done;
                continue;
            }
            const judge_spec& judge = p.judges[j];
            const query& q = s.queries[s.generations.query[g]];
            chat_request r;
            r.model = judge.endpoint.served_model;
            r.messages = render_judge_prompt(judge_question(q, s.benchmarks[q.benchmark].kind), s.generations.text[g],
                                             judge.scale);
            r.max_tokens = judge.max_tokens;
            r.temperature = judge.temperature;
            r.top_p = 1;
            r.seed = p.seed;
            r.metadata = {{"generation", s.generations.id[g]}};
            auto body = std::make_shared<json_value>(request_body(r));
            auto parsed = std::make_shared<chat_response>();
            double tokens = judge.max_tokens;
            for (const auto& m : r.messages) tokens += count_tokens(m.content);
            client::job job;
            job.endpoint = endpoints[j];
            job.request.url = judge.endpoint.url + "/chat/completions";
            job.request.body = body->dump();
            job.request.headers = headers[j];
            job.tokens = tokens;
            job.check = [parsed](const client::http_result& res) -> std::optional<std::string> {
                auto v = parse_response(res.body, 1);
                if (auto* bad = std::get_if<std::string>(&v)) return *bad;
                *parsed = std::move(std::get<chat_response>(v));
                return std::nullopt;
            };
            job.done = [&, j, g, body, parsed](client::job_result&& res) {
                json_value e = {{"key", key(j, g)}, {"judge", p.judges[j].name}, {"endpoint", p.judges[j].endpoint.url},
                                {"params", params[j]}, {"generation", s.generations.id[g]},
                                {"attempts", res.attempts}, {"retried", res.retried}};
                if (!res.ok) {
                    e["status"] = "failed";
                    e["reason"] = res.reason;
                    e["message"] = res.message;
                    ++summary.failed;
                    ++summary.failed_by_reason[res.reason];
                } else {
                    const chat_choice& c = parsed->choices.front();
                    const bool length = c.finish == "length";
                    const bool empty = std::all_of(c.text.begin(), c.text.end(), [](char ch) { return std::isspace(static_cast<unsigned char>(ch)); });
                    e["status"] = length ? "length" : empty ? "empty" : "ok";
                    e["reply"] = c.text;
                    e["finish_reason"] = c.finish;
                    e["latency_ms"] = res.response.elapsed_ms;
                    e["fingerprint"] = parsed->fingerprint;
                    ++(length ? summary.truncated : empty ? summary.empty : summary.ok);
                }
                e["request"] = *body;
                l.append(e);
                ++finished;
                report();
            };
            dispatch.submit(std::move(job));
        }
        dispatch.step();
    }
    l.sync();
    summary.retries = dispatch.retries();

    // Judgments from the ledger, in generation order then plan judge order; earlier
    // judgments by these judges are replaced, others kept.
    judgment_table out;
    const auto& old = s.judgments;
    for (std::size_t i = 0; i < old.size(); ++i) {
        const std::string& name = old.judges[old.judge[i]];
        if (std::any_of(p.judges.begin(), p.judges.end(), [&](const judge_spec& j) { return j.name == name; })) continue;
        out.generation.push_back(old.generation[i]);
        out.judge.push_back(out.judge_index(name));
        out.scale.push_back(old.scale[i]);
        out.reply.push_back(old.reply[i]);
    }
    for (std::size_t g = 0; g < s.generations.size(); ++g)
        for (std::size_t j = 0; j < p.judges.size(); ++j) {
            const auto it = l.done().find(key(j, g));
            if (it == l.done().end()) continue;
            out.generation.push_back(static_cast<std::uint32_t>(g));
            out.judge.push_back(out.judge_index(p.judges[j].name));
            out.scale.push_back(p.judges[j].scale);
            out.reply.push_back(it->second.at("reply").get<std::string>());
        }
    s.judgments = std::move(out);
    write_study_dir(s, study_dir);
    return summary;
}

std::string summary_text(const judge_summary& s) {
    std::string out = "judgments " + std::to_string(s.units) + ": " + std::to_string(s.already_done) +
                      " already done, " + std::to_string(s.ok) + " done, " + std::to_string(s.truncated) +
                      " truncated (length), " + std::to_string(s.empty) + " empty, " + std::to_string(s.failed) +
                      " failed; " + std::to_string(s.retries) + " attempts retried";
    for (const auto& [reason, count] : s.failed_by_reason) out += "\n  failed " + reason + ": " + std::to_string(count);
    return out;
}

} // namespace headroom::sample
