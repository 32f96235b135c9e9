#include "core/analysis/decomposition_report.h"

#include "core/base/text_table.h"
#include "core/labels/cost.h"
#include "core/labels/summary.h"

#include <nlohmann/json.hpp>
#include <cstdio>

namespace headroom {

namespace {
// Queries of a noise null dealt per step. With 100 simulations p1-routing's nulls took
// 0.35 ms of CPU per query natively (24 s for its 65,768 query-nulls), so a step is
// about 11 ms there: a step fits in a frame's slice of background work.
constexpr std::size_t noise_queries_per_step = 32;
} // namespace

analysis_builder::analysis_builder(const study& s, const study_index& index, const protocol& naive,
                                   const protocol& corrected, const decomposition_options& options)
    : s_(&s), index_(&index) {
    a_.study = s.info.name;
    for (const auto& m : s.models) a_.models.push_back(m.id);
    a_.naive = naive;
    a_.corrected = corrected;
    a_.options = options;
}

std::vector<std::uint32_t> analysis_builder::rows_of(std::size_t section) const {
    if (section == 0) return all_rows(grid_->labels[0]);
    return index_->queries_of_benchmark(static_cast<std::uint32_t>(section - 1));
}

bool analysis_builder::step() {
    if (!grid_) {
        grid_ = make_grid(*s_, *index_, a_.naive, a_.corrected);
        cost_ = cost_per_query(*s_, a_.corrected.budget);
        sections_planned_ = 1 + s_->benchmarks.size();
        return true;
    }
    if (done()) return false;
    const std::size_t at = a_.sections.size();
    if (!section_) {
        const auto rows = rows_of(at);
        section_.emplace();
        section_->parts = decompose(*grid_, rows, at == 0 ? "all" : s_->benchmarks[at - 1].id, a_.options);
        naive_noise_.emplace(*s_, *index_, a_.naive, rows, a_.options.noise_simulations, a_.options.seed);
        corrected_noise_.emplace(*s_, *index_, grid_->corrected_used, rows, a_.options.noise_simulations,
                                 a_.options.seed);
        return true;
    }
    if (!naive_noise_->done()) {
        naive_noise_->run(noise_queries_per_step);
        return true;
    }
    if (!corrected_noise_->done()) {
        corrected_noise_->run(noise_queries_per_step);
        return true;
    }
    section_->naive_noise = naive_noise_->result();
    section_->corrected_noise = corrected_noise_->result();
    section_->corrected_served = best_served_by(grid_->labels[7], rows_of(at), cost_, s_->models);
    a_.sections.push_back(std::move(*section_));
    section_.reset();
    naive_noise_.reset();
    corrected_noise_.reset();
    return !done();
}

analysis analyse(const study& s, const study_index& index, const protocol& naive, const protocol& corrected,
                 const decomposition_options& options) {
    analysis_builder b(s, index, naive, corrected, options);
    while (b.step()) {
    }
    return b.result();
}

namespace {

nlohmann::ordered_json json_of(const interval& iv) { return {{"value", iv.value}, {"low", iv.low}, {"high", iv.high}}; }

nlohmann::ordered_json json_of(const noise_null& n) {
    nlohmann::ordered_json analytic = nullptr;
    if (n.oracle_analytic) analytic = *n.oracle_analytic;
    return {{"observed_oracle", n.observed_oracle},
            {"observed_best_single", n.observed_best_single},
            {"observed_headroom", n.observed_headroom},
            {"null_oracle_analytic", analytic},
            {"null_oracle_simulated", n.oracle_simulated},
            {"null_best_single_simulated", n.best_single_simulated},
            {"null_headroom", n.headroom},
            {"oracle_above_null", n.oracle_above_null},
            {"headroom_above_null", n.headroom_above_null},
            {"single_sample", n.single_sample}};
}

std::string combination_name(unsigned bits) {
    if (bits == 0) return "naive";
    std::string out;
    for (artifact a : all_artifacts)
        if (bits & (1u << static_cast<unsigned>(a))) out += (out.empty() ? "" : "+") + std::string(to_string(a));
    return bits == 7 ? "corrected" : out + " fixed";
}

} // namespace

nlohmann::ordered_json to_json(const analysis& a) {
    using nlohmann::ordered_json;
    ordered_json out;
    out["study"] = a.study;
    out["naive"] = describe(a.naive);
    out["corrected"] = describe(a.corrected);
    out["resamples"] = a.options.resamples;
    out["noise_simulations"] = a.options.noise_simulations;
    out["confidence"] = a.options.confidence;
    out["seed"] = a.options.seed;
    out["order"] = ordered_json::array();
    for (artifact x : a.options.order) out["order"].push_back(to_string(x));
    out["sections"] = ordered_json::array();
    for (const auto& sec : a.sections) {
        const auto& d = sec.parts;
        ordered_json js;
        js["benchmark"] = d.benchmark;
        js["queries"] = d.queries;
        js["unsolvable"] = ordered_json::object();
        for (unsigned bits = 0; bits < 8; ++bits) js["unsolvable"][combination_name(bits)] = json_of(d.unsolvable[bits]);
        js["drop"] = json_of(d.drop);
        for (const char* key : {"alone", "sequential", "shapley"}) js[key] = ordered_json::object();
        for (artifact x : all_artifacts) {
            const auto i = static_cast<std::size_t>(x);
            js["alone"][std::string(to_string(x))] = json_of(d.alone[i]);
            js["sequential"][std::string(to_string(x))] = json_of(d.sequential[i]);
            js["shapley"][std::string(to_string(x))] = json_of(d.shapley[i]);
        }
        js["interactions"] = json_of(d.interactions);
        js["residual"] = json_of(d.residual);
        js["noise"] = {{"naive", json_of(sec.naive_noise)}, {"corrected", json_of(sec.corrected_noise)}};
        ordered_json served = ordered_json::object();
        for (std::size_t m = 0; m < a.models.size(); ++m) served[a.models[m]] = sec.corrected_served.share_by_model[m];
        ordered_json tiers = ordered_json::object();
        for (const auto& [tier, share] : sec.corrected_served.share_by_tier) tiers[std::to_string(tier)] = share;
        js["best_served_by"] = {{"model", served}, {"tier", tiers}, {"unsolved", sec.corrected_served.unsolved}};
        out["sections"].push_back(js);
    }
    return out;
}

namespace {
std::string interval_cell(const interval& iv) {
    return points_cell(iv.value) + " [" + points_cell(iv.low) + "," + points_cell(iv.high) + "]";
}
} // namespace

std::string to_text(const analysis& a) {
    std::string out = "Study: " + a.study + "\nnaive:     " + describe(a.naive) + "\ncorrected: " + describe(a.corrected) +
                      "\nintervals: " + points_cell(a.options.confidence) + "% percentile bootstrap over queries, " +
                      std::to_string(a.options.resamples) + " resamples; noise null: " +
                      std::to_string(a.options.noise_simulations) + " deals; sequential order:";
    for (artifact x : a.options.order) out += " " + std::string(to_string(x));
    out += "\n(all figures in percentage points of queries)\n";
    for (const auto& sec : a.sections) {
        const auto& d = sec.parts;
        out += "\n== " + d.benchmark + " (" + std::to_string(d.queries) + " queries)\n";
        out += "  unsolvable, naive      " + interval_cell(d.unsolvable[0]) + "\n";
        out += "  unsolvable, corrected  " + interval_cell(d.unsolvable[7]) + "   (residual)\n";
        out += "  drop                   " + interval_cell(d.drop) + "\n";
        out += "  artifact      alone                      sequential                 shapley\n";
        for (artifact x : all_artifacts) {
            const auto i = static_cast<std::size_t>(x);
            char name[16];
            std::snprintf(name, sizeof name, "%-12s", std::string(to_string(x)).c_str());
            out += "  " + std::string(name) + "  " + interval_cell(d.alone[i]) + "   " +
                   interval_cell(d.sequential[i]) + "   " + interval_cell(d.shapley[i]) + "\n";
        }
        out += "  interactions  " + interval_cell(d.interactions) + "\n";
        for (const auto& [name, nn] : {std::pair{"naive:    ", &sec.naive_noise}, std::pair{"corrected:", &sec.corrected_noise}}) {
            out += "  " + std::string(name) + " oracle " + points_cell(nn->observed_oracle) + " (noise null " +
                   points_cell(nn->oracle_simulated) + "), headroom " + points_cell(nn->observed_headroom) + " (noise null " +
                   points_cell(nn->headroom) + ")" + (nn->single_sample ? "  [one sample per pair: noise not separable]" : "") +
                   "\n";
        }
        out += "  best served by (corrected, cheapest solver):";
        for (std::size_t m = 0; m < a.models.size(); ++m)
            out += " " + a.models[m] + " " + points_cell(sec.corrected_served.share_by_model[m]);
        out += "\n   by tier:";
        for (const auto& [tier, share] : sec.corrected_served.share_by_tier)
            out += " tier " + std::to_string(tier) + " " + points_cell(share);
        out += "\n";
    }
    return out;
}

std::string to_csv(const analysis& a) {
    std::string out = "benchmark,quantity,artifact,value,low,high\n";
    auto row = [&](const std::string& b, const std::string& q, const std::string& x, const interval& iv) {
        char buf[160];
        std::snprintf(buf, sizeof buf, ",%.6f,%.6f,%.6f\n", iv.value, iv.low, iv.high);
        out += b + "," + q + "," + x + buf;
    };
    for (const auto& sec : a.sections) {
        const auto& d = sec.parts;
        for (unsigned bits = 0; bits < 8; ++bits) row(d.benchmark, "unsolvable", combination_name(bits), d.unsolvable[bits]);
        row(d.benchmark, "drop", "", d.drop);
        for (artifact x : all_artifacts) {
            const auto i = static_cast<std::size_t>(x);
            row(d.benchmark, "alone", std::string(to_string(x)), d.alone[i]);
            row(d.benchmark, "sequential", std::string(to_string(x)), d.sequential[i]);
            row(d.benchmark, "shapley", std::string(to_string(x)), d.shapley[i]);
        }
        row(d.benchmark, "interactions", "", d.interactions);
    }
    return out;
}

} // namespace headroom
