#include "sample/batch_api.h"

#include "client/retry.h"
#include "sample/entries.h"

#include <algorithm>
#include <fstream>
#include <unordered_map>

namespace headroom::sample {

namespace {

// custom_id: the units as a JSON array [model, query, budget, first sample, n], so the
// output can be matched back without trusting line order (providers reorder).
std::string custom_id(const plan& p, const study& queries, const request_units& r) {
    return nlohmann::json::array({p.models[r.model].info.id, queries.queries[r.query].id, p.budgets[r.budget],
                                  r.first_sample, r.n})
        .dump();
}

} // namespace

batch_counts write_batch_input(const plan& p, const study& queries, const ledger& l, const shard& part,
                               const std::string& path) {
    batch_counts counts;
    std::string out;
    for (std::size_t q = 0; q < queries.queries.size(); ++q) {
        if (!part.holds(q)) continue;
        for (std::size_t m = 0; m < p.models.size(); ++m)
            for (std::size_t b = 0; b < p.budgets.size(); ++b) {
                std::vector<std::uint32_t> missing;
                for (std::uint32_t s = 0; s < p.samples; ++s)
                    if (!l.is_done(key_of(p, queries, {q, m, b, s, 1, ""}, s))) missing.push_back(s);
                if (missing.empty()) continue;
                std::vector<request_units> requests;
                const bool contiguous = missing.back() - missing.front() + 1 == missing.size();
                if (p.models[m].n == n_mode::automatic && contiguous && missing.size() > 1)
                    requests.push_back({q, m, b, missing.front(), static_cast<std::uint32_t>(missing.size()), "n"});
                else
                    for (std::uint32_t s : missing) requests.push_back({q, m, b, s, 1, "single"});
                for (const auto& r : requests) {
                    const json_value line = {{"custom_id", custom_id(p, queries, r)}, {"method", "POST"},
                                             {"url", "/v1/chat/completions"}, {"body", request_for(p, queries, r)}};
                    out += line.dump() + "\n";
                    ++counts.requests;
                    counts.units += r.n;
                }
            }
    }
    std::ofstream file(path, std::ios::binary | std::ios::trunc);
    file << out;
    if (!file.flush()) throw std::runtime_error("cannot write " + path);
    return counts;
}

batch_counts read_batch_output(const plan& p, const study& queries, ledger& l, const std::string& path) {
    std::unordered_map<std::string, std::size_t> model_index, query_index;
    for (std::size_t m = 0; m < p.models.size(); ++m) model_index[p.models[m].info.id] = m;
    for (std::size_t q = 0; q < queries.queries.size(); ++q) query_index[queries.queries[q].id] = q;
    batch_counts counts;
    read_jsonl(path, [&](const record& r) {
        r.allow_only({"id", "custom_id", "response", "error"});
        // Parse custom_id back into units, checking each part against the plan.
        const auto id = nlohmann::json::parse(r.str("custom_id"), nullptr, false);
        if (id.is_discarded() || !id.is_array() || id.size() != 5 || !id[0].is_string() || !id[1].is_string() ||
            !id[2].is_number_unsigned() || !id[3].is_number_unsigned() || !id[4].is_number_unsigned())
            r.fail("custom_id", "not a custom_id written by this plan's batch input");
        const auto m = model_index.find(id[0].get<std::string>());
        const auto q = query_index.find(id[1].get<std::string>());
        const auto budget = id[2].get<std::uint32_t>();
        const auto b = std::find(p.budgets.begin(), p.budgets.end(), budget);
        const auto first = id[3].get<std::uint32_t>(), n = id[4].get<std::uint32_t>();
        if (m == model_index.end() || q == query_index.end() || b == p.budgets.end() || n == 0 ||
            first + n > p.samples)
            r.fail("custom_id", "names units outside this plan: " + id.dump());
        const request_units units{q->second, m->second, static_cast<std::size_t>(b - p.budgets.begin()), first, n,
                                  n > 1 ? "n" : "single"};
        // Already done (a resubmitted batch): the first result stays.
        bool any_missing = false;
        for (std::uint32_t s = first; s < first + n; ++s) any_missing = any_missing || !l.is_done(key_of(p, queries, units, s));
        if (!any_missing) return;
        const json_value request = request_for(p, queries, units);
        ++counts.requests;

        std::string reason, message, body;
        if (r.has("error")) {
            const json_value error_value = json_value::parse(r.compact_json_or_empty("error"));
            const record error(error_value, r.file(), r.line());
            reason = error.str_or("code", "batch_error");
            message = error.str_or("message", "");
        } else {
            const json_value response = json_value::parse(r.compact_json_or_empty("response"));
            const record res(response, r.file(), r.line());
            const auto status = res.integer("status_code", 999);
            body = response.contains("body") ? response["body"].dump() : "";
            if (status < 200 || status >= 300) {
                client::http_result h;
                h.status = static_cast<long>(status);
                h.body = body;
                const auto f = client::classify(h);
                reason = f ? f->reason : "http_" + std::to_string(status);
                message = f ? f->message : "";
            }
        }
        if (reason.empty()) {
            auto parsed = parse_response(body, n);
            if (auto* bad = std::get_if<std::string>(&parsed)) {
                reason = "malformed_body";
                message = *bad;
            } else {
                for (const auto& e : done_entries(p, queries, units, request, std::get<chat_response>(parsed), 1, {}, 0)) {
                    if (l.is_done(e.at("key").get<std::string>())) continue;
                    l.append(e);
                    ++counts.units;
                }
                return;
            }
        }
        for (const auto& e : failed_entries(p, queries, units, request, 1, {}, reason, message)) {
            if (l.is_done(e.at("key").get<std::string>())) continue;
            l.append(e);
            ++counts.failed;
        }
    });
    l.sync();
    return counts;
}

} // namespace headroom::sample
