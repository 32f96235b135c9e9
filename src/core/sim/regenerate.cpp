#include "core/sim/regenerate.h"

#include "core/base/tokens.h"
#include "core/sim/simulator.h"

#include <algorithm>
#include <map>
#include <stdexcept>
#include <utility>

namespace headroom::sim {

pool_config pool_of_study(const study_info& info) {
    nlohmann::ordered_json provenance;
    try {
        provenance = nlohmann::ordered_json::parse(info.provenance);
    } catch (const nlohmann::json::exception&) {
        throw std::invalid_argument("the study's provenance is not JSON");
    }
    if (!info.simulated || !provenance.is_object() || provenance.value("generator", "") != "headroom simulated pool")
        throw std::invalid_argument("the study was not written by the simulated pool");
    const auto seed = provenance.value<std::uint64_t>("seed", 0);
    const auto& benchmarks = provenance.value("benchmarks", nlohmann::ordered_json::array());
    // Pools round each benchmark's size at their scale: the scale lies where every
    // benchmark's rounding gives the study's count.
    const pool_config full = pool_by_name(info.name, seed, 1.0);
    double low = 0, high = 1e9;
    for (std::size_t b = 0; b < full.benchmarks.size() && b < benchmarks.size(); ++b) {
        const double n = benchmarks[b].value("queries", 0), size = full.benchmarks[b].queries;
        low = std::max(low, n > 1 ? (n - 0.5) / size : 0.0);
        high = std::min(high, (n + 0.5) / size);
    }
    const double scale = low < high ? (low + high) / 2 : 1.0;  // no such scale: the check below says so
    pool_config config = pool_by_name(info.name, seed, scale);
    const nlohmann::ordered_json rebuilt = knobs(config);
    for (const auto& [key, value] : rebuilt.items())
        if (!provenance.contains(key) || provenance[key] != value)
            throw std::invalid_argument("the study's provenance differs from the " + info.name + " pool in '" + key +
                                        "': it was written by another version of the simulator");
    return config;
}

text_regenerator::text_regenerator(const study& s)
    : study_(s), config_(pool_of_study(s.info)), simulator_(std::make_unique<simulator>(config_)) {
    simulator_->draft_queries();
    const auto& drafted = simulator_->queries();
    if (drafted.size() != s.queries.size())
        throw std::invalid_argument("the simulator drafts " + std::to_string(drafted.size()) +
                                    " queries for this study, which has " + std::to_string(s.queries.size()));
    for (std::size_t q = 0; q < drafted.size(); ++q)
        if (drafted[q].id != s.queries[q].id || drafted[q].text != s.queries[q].text)
            throw std::invalid_argument("query " + s.queries[q].id + " is not the one the simulator drafts");
}

text_regenerator::~text_regenerator() = default;

query_texts text_regenerator::regenerate(std::uint32_t q) const {
    const auto& g = study_.generations;
    const auto& j = study_.judgments;
    query_texts out;
    out.query = q;
    // A sample's answer is drawn once; each budget keeps its own cut of it.
    std::map<std::pair<std::uint16_t, std::uint16_t>, std::pair<drafted_answer, std::uint32_t>> answers;
    std::map<std::uint32_t, budgeted_answer> kept;  // by generation row
    for (std::uint32_t gen = 0; gen < g.size(); ++gen) {
        if (g.query[gen] != q) continue;
        const std::uint16_t m = g.model[gen];
        auto found = answers.find({m, g.sample[gen]});
        if (found == answers.end()) {
            rng r = simulator_->answer_stream(q, m, g.sample[gen]);
            drafted_answer a = simulator_->draft_answer(r, q, m, simulator_->odds(q, m));
            const std::uint32_t tokens = count_tokens(a.text);
            found = answers.emplace(std::pair{m, g.sample[gen]}, std::pair{std::move(a), tokens}).first;
        }
        const budgeted_answer b = at_budget(found->second.first, found->second.second, g.budget[gen]);
        if (b.tokens != g.output_tokens[gen] || b.cut != (g.finish[gen] == finish_reason::length))
            throw std::runtime_error("generation " + g.id[gen] + ": the rebuilt answer has " + std::to_string(b.tokens) +
                                     " output tokens, the study " + std::to_string(g.output_tokens[gen]) +
                                     ": it was written by another version of the simulator");
        out.generations.push_back(gen);
        out.texts.emplace_back(b.text);
        kept.emplace(gen, b);
    }
    for (std::uint32_t row = 0; row < j.size(); ++row) {
        const auto found = kept.find(j.generation[row]);
        if (found == kept.end()) continue;
        const std::string& name = j.judges[j.judge[row]];
        std::size_t judge = 0;
        while (judge < config_.judges.size() && config_.judges[judge].name != name) ++judge;
        if (judge == config_.judges.size())
            throw std::runtime_error("judge '" + name + "' is not one of the pool's judges");
        out.judgments.push_back(row);
        out.replies.push_back(simulator_->judge(judge, found->first, q, found->second.quality, found->second.tokens).text);
    }
    return out;
}

} // namespace headroom::sim
