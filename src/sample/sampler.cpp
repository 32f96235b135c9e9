#include "sample/sampler.h"

#include "client/dispatcher.h"
#include "core/base/tokens.h"
#include "core/io/study_io.h"
#include "core/study/builder.h"
#include "sample/chat.h"
#include "sample/entries.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <memory>

namespace headroom::sample {

namespace {

namespace fs = std::filesystem;

struct model_state {
    std::size_t endpoint = 0;
    std::vector<std::string> headers;  // holds the API key: never logged or written
    bool single = false;               // n > 1 found ignored or rejected
};

class sampler {
public:
    sampler(const plan& p, const study& queries, ledger& l, const run_options& o)
        : p_(p), queries_(queries), ledger_(l), options_(o), dispatch_(http_, p.retry, p.seed ^ 0x5eed) {
        std::size_t concurrency = 0;
        for (const auto& m : p.models) {
            model_state st;
            st.endpoint = dispatch_.add_endpoint(
                {m.endpoint.max_concurrency, m.endpoint.requests_per_minute, m.endpoint.tokens_per_minute});
            st.headers.push_back("Content-Type: application/json");
            if (!m.endpoint.api_key_env.empty())
                st.headers.push_back("Authorization: Bearer " + std::string(std::getenv(m.endpoint.api_key_env.c_str())));
            st.single = m.n == n_mode::single;
            models_.push_back(std::move(st));
            concurrency += m.endpoint.max_concurrency;
        }
        window_ = o.window ? o.window : std::max<std::size_t>(64, 2 * concurrency);
        for (std::size_t q = 0; q < queries.queries.size(); ++q)
            if (o.part.holds(q)) shard_queries_.push_back(q);
        summary_.units = shard_queries_.size() * p.models.size() * p.budgets.size() * p.samples;
    }

    run_summary run() {
        // Groups are (query, model, budget), models innermost so endpoints interleave.
        const std::size_t groups = shard_queries_.size() * p_.models.size() * p_.budgets.size();
        std::size_t next = 0;
        report();
        while (next < groups || dispatch_.pending() > 0) {
            while (next < groups && dispatch_.pending() < window_) {
                const std::size_t m = next % p_.models.size();
                const std::size_t b = (next / p_.models.size()) % p_.budgets.size();
                const std::size_t q = shard_queries_[next / (p_.models.size() * p_.budgets.size())];
                submit_group(q, m, b);
                ++next;
            }
            dispatch_.step();
        }
        ledger_.sync();
        summary_.retries = dispatch_.retries();
        return summary_;
    }

private:
    struct request_ctx {
        request_units units;
        json_value body;
        std::shared_ptr<chat_response> parsed = std::make_shared<chat_response>();
    };

    std::string key(std::size_t q, std::size_t m, std::size_t b, std::uint32_t sample) const {
        return key_of(p_, queries_, request_units{q, m, b, sample, 1, ""}, sample);
    }

    void submit_group(std::size_t q, std::size_t m, std::size_t b) {
        std::vector<std::uint32_t> missing;
        for (std::uint32_t s = 0; s < p_.samples; ++s) {
            if (ledger_.is_done(key(q, m, b, s))) ++summary_.already_done;
            else missing.push_back(s);
        }
        if (missing.empty()) return;
        const bool contiguous = missing.back() - missing.front() + 1 == missing.size();
        if (missing.size() > 1 && contiguous && !models_[m].single) {
            submit(q, m, b, missing.front(), static_cast<std::uint32_t>(missing.size()), "n");
            return;
        }
        // Singles after a detected fallback say so; those the plan asked for do not.
        const bool detected = models_[m].single && p_.models[m].n == n_mode::automatic;
        for (std::uint32_t s : missing) submit(q, m, b, s, 1, detected ? "single_fallback" : "single");
    }

    void submit(std::size_t q, std::size_t m, std::size_t b, std::uint32_t first, std::uint32_t n, std::string mode) {
        const auto& model = p_.models[m];
        auto ctx = std::make_shared<request_ctx>();
        ctx->units = request_units{q, m, b, first, n, std::move(mode)};
        ctx->body = request_for(p_, queries_, ctx->units);
        double tokens = n * static_cast<double>(p_.budgets[b]);
        for (const auto& msg : ctx->body.at("messages")) tokens += count_tokens(msg.at("content").get<std::string>());

        client::job j;
        j.endpoint = models_[m].endpoint;
        j.request.url = model.endpoint.url + "/chat/completions";
        j.request.body = ctx->body.dump();
        j.request.headers = models_[m].headers;
        j.tokens = tokens;
        j.check = [ctx](const client::http_result& res) -> std::optional<std::string> {
            auto parsed = parse_response(res.body, ctx->units.n);
            if (auto* bad = std::get_if<std::string>(&parsed)) return *bad;
            *ctx->parsed = std::move(std::get<chat_response>(parsed));
            return std::nullopt;
        };
        j.done = [this, ctx](client::job_result&& res) { on_done(*ctx, std::move(res)); };
        dispatch_.submit(std::move(j));
    }

    void on_done(const request_ctx& c, client::job_result&& res) {
        const request_units& u = c.units;
        if (!res.ok) {
            // A server that says it rejects n > 1 gets the samples one by one; any other
            // failure ends the request with its class.
            if (u.n > 1 && p_.models[u.model].n == n_mode::automatic &&
                res.response.error == client::transport_error::none &&
                rejects_n(res.response.status, res.response.body)) {
                fall_back(u, 0);
                return;
            }
            for (const auto& e : failed_entries(p_, queries_, u, c.body, res.attempts, res.retried, res.reason, res.message)) {
                ledger_.append(e);
                ++summary_.failed;
                ++summary_.failed_by_reason[res.reason];
                ++finished_;
            }
            report();
            return;
        }
        const auto entries =
            done_entries(p_, queries_, u, c.body, *c.parsed, res.attempts, res.retried, res.response.elapsed_ms);
        for (const auto& e : entries) {
            ledger_.append(e);
            const std::string status = e.at("status").get<std::string>();
            ++(status == "ok" ? summary_.ok : status == "length" ? summary_.truncated : summary_.empty);
            if (e.at("finish").get<std::string>() == "content_filter") ++summary_.content_filtered;
            ++finished_;
        }
        // Fewer choices than asked: the server ignores n. The rest go one by one.
        if (entries.size() < u.n) fall_back(u, static_cast<std::uint32_t>(entries.size()));
        report();
    }

    void fall_back(const request_units& u, std::uint32_t from) {
        models_[u.model].single = true;
        ++summary_.n_fallbacks;
        for (std::uint32_t i = from; i < u.n; ++i) submit(u.query, u.model, u.budget, u.first_sample + i, 1, "single_fallback");
    }

    void report() {
        if (options_.on_progress) options_.on_progress(summary_.already_done + finished_, summary_.units);
    }

    const plan& p_;
    const study& queries_;
    ledger& ledger_;
    const run_options& options_;
    client::http_client http_;
    client::dispatcher dispatch_;
    std::vector<model_state> models_;
    std::vector<std::size_t> shard_queries_;
    std::size_t window_ = 0;
    std::size_t finished_ = 0;
    run_summary summary_;
};

} // namespace

study sampled_study(const plan& p, const study& queries, const ledger& l, const shard& part) {
    study_builder b;
    study_info info;
    info.name = p.name;
    info.description = p.description;
    info.simulated = false;
    json_value models = json_value::array();
    for (const auto& m : p.models)
        models.push_back({{"id", m.info.id}, {"endpoint", m.endpoint.url}, {"served_model", m.endpoint.served_model}});
    const json_value provenance = {{"made_by", "headroom sample"}, {"plan_hash", p.hash}, {"shard", part.text()},
                                   {"budgets", p.budgets},        {"samples", p.samples}, {"temperature", p.temperature},
                                   {"top_p", p.top_p},            {"seed", p.seed},       {"models", models}};
    info.provenance = provenance.dump();
    b.info(std::move(info));
    for (const auto& bench : queries.benchmarks) b.add(bench);
    for (const auto& q : queries.queries) b.add(q);

    // Every finished unit of the shard, in the order an unsharded run writes them.
    auto each_unit = [&](const auto& on_unit) {
        for (std::size_t q = 0; q < queries.queries.size(); ++q) {
            if (!part.holds(q)) continue;
            const query& qu = queries.queries[q];
            const task_kind kind = queries.benchmarks[qu.benchmark].kind;
            for (std::size_t m = 0; m < p.models.size(); ++m)
                for (const std::uint32_t budget : p.budgets) {
                    const std::string params = sampling_params_hash(p, p.models[m], budget, kind);
                    for (std::uint32_t sample = 0; sample < p.samples; ++sample) {
                        const auto it = l.done().find(unit_key(p.models[m].info.id, p.models[m].endpoint.url, params, qu.id, sample));
                        if (it != l.done().end()) on_unit(q, m, budget, sample, it->second);
                    }
                }
        }
    };
    // A model's latency per token, unless the plan gives it, is measured over its units.
    std::vector<double> latency(p.models.size(), 0), tokens(p.models.size(), 0);
    each_unit([&](std::size_t, std::size_t m, std::uint32_t, std::uint32_t, const json_value& e) {
        latency[m] += e.at("latency_ms").get<double>();
        tokens[m] += e.at("output_tokens").get<std::uint32_t>();
    });
    for (std::size_t m = 0; m < p.models.size(); ++m) {
        model info_m = p.models[m].info;
        if (!p.models[m].latency_given) info_m.latency_ms_per_token = tokens[m] > 0 ? latency[m] / tokens[m] : 0;
        b.add(std::move(info_m));
    }
    each_unit([&](std::size_t q, std::size_t m, std::uint32_t budget, std::uint32_t sample, const json_value& e) {
        const std::string text = e.at("text").get<std::string>();
        generation_row row;
        row.id = canonical_generation_id(queries.queries[q].id, p.models[m].info.id, budget, static_cast<std::uint16_t>(sample));
        row.query = static_cast<std::uint32_t>(q);
        row.model = static_cast<std::uint16_t>(m);
        row.budget = budget;
        row.sample = static_cast<std::uint16_t>(sample);
        row.text = text;
        row.finish = parse_finish_reason(e.at("finish").get<std::string>()).value_or(finish_reason::stop);
        row.input_tokens = e.at("input_tokens").get<std::uint32_t>();
        row.output_tokens = e.at("output_tokens").get<std::uint32_t>();
        row.latency_ms = e.at("latency_ms").get<double>();
        b.add(std::move(row));
    });
    return b.finish();
}

run_summary run_sampling(const plan& p, const std::string& out_dir, const run_options& options) {
    const study queries = load_plan_queries(p);
    fs::create_directories(out_dir);
    ledger l((fs::path(out_dir) / ledger_file).string());
    run_summary summary;
    {
        sampler s(p, queries, l, options);
        summary = s.run();
    }
    summary.torn_bytes = l.torn_bytes();
    write_study_dir(sampled_study(p, queries, l, options.part), out_dir);
    return summary;
}

void write_sampled_study(const plan& p, const std::string& out_dir, const shard& part) {
    const study queries = load_plan_queries(p);
    const ledger l((fs::path(out_dir) / ledger_file).string());
    write_study_dir(sampled_study(p, queries, l, part), out_dir);
}

std::string summary_text(const run_summary& s) {
    std::string out = "units " + std::to_string(s.units) + ": " + std::to_string(s.already_done) +
                      " already done, " + std::to_string(s.ok) + " done, " + std::to_string(s.truncated) +
                      " truncated (length), " + std::to_string(s.empty) + " empty, " + std::to_string(s.failed) +
                      " failed; " + std::to_string(s.retries) + " attempts retried";
    if (s.content_filtered)
        out += "; " + std::to_string(s.content_filtered) + " stopped by the provider's content filter (finish content_filter)";
    if (s.n_fallbacks) out += "; " + std::to_string(s.n_fallbacks) + " n>1 requests redone one sample at a time";
    if (s.torn_bytes) out += "; a torn last ledger line (" + std::to_string(s.torn_bytes) + " bytes) was discarded";
    for (const auto& [reason, count] : s.failed_by_reason) out += "\n  failed " + reason + ": " + std::to_string(count);
    return out;
}

} // namespace headroom::sample
