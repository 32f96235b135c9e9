// JSON and text forms of evaluate.h's results. The JSON is what the app reads, so
// every number the text shows is in it too.
#include "core/routing/evaluate.h"

#include "core/base/text_table.h"

#include <nlohmann/json.hpp>
#include <cmath>
#include <cstdio>

namespace headroom {

namespace {

using nlohmann::ordered_json;

// NaN (an undefined APGR or CPT) becomes null rather than an invalid JSON number.
ordered_json number(double x) { return std::isnan(x) ? ordered_json(nullptr) : ordered_json(x); }

ordered_json metrics_json(const routing_metrics& m, const std::vector<std::string>& models) {
    ordered_json share = ordered_json::object();
    for (std::size_t k = 0; k < models.size() && k < m.share.size(); ++k) share[models[k]] = m.share[k];
    return {{"queries", m.queries},
            {"accuracy", m.accuracy},
            {"accuracy_as_scored", m.accuracy_as_scored},
            {"cost_per_query", m.cost},
            {"latency_ms", m.latency_ms},
            {"share", share},
            {"top_share", m.top_share},
            {"top_model", models.empty() ? "" : models[m.top_model]},
            {"oracle", m.oracle},
            {"best_single", m.best_single},
            {"gap_to_oracle", m.gap_to_oracle},
            {"gap_to_best_single", m.gap_to_best_single}};
}

ordered_json options_json(const evaluation_options& o, const std::string& split) {
    ordered_json j = {{"seed", o.seed}, {"features", std::string(to_string(o.router.features))}};
    if (o.folds >= 2) j["folds"] = o.folds;
    else j["test_fraction"] = o.test_fraction;
    j["test_set"] = split;
    return j;
}

ordered_json evaluation_json(const router_evaluation& e, const std::vector<std::string>& models,
                             const std::vector<std::string>& benchmarks, const router_evaluation* naive_trained) {
    ordered_json j;
    j["router"] = std::string(to_string(e.router));
    j["test_queries"] = e.test_queries;
    j["classifier_upper_bound"] = e.classifier_upper_bound;
    j["policies"] = ordered_json::array();
    for (std::size_t p = 0; p < e.policies.size(); ++p) {
        const auto& pr = e.policies[p];
        ordered_json jp = {{"policy", describe(pr.policy)}, {"overall", metrics_json(pr.overall, models)}};
        if (naive_trained != nullptr) {
            const double naive_accuracy = naive_trained->policies[p].overall.accuracy;
            jp["naive_trained_accuracy"] = naive_accuracy;
            jp["label_noise_cost"] = pr.overall.accuracy - naive_accuracy;
            jp["naive_trained_top_share"] = naive_trained->policies[p].overall.top_share;
        }
        ordered_json per = ordered_json::object();
        for (std::size_t b = 0; b < benchmarks.size() && b < pr.per_benchmark.size(); ++b)
            per[benchmarks[b]] = metrics_json(pr.per_benchmark[b], models);
        jp["per_benchmark"] = per;
        j["policies"].push_back(jp);
    }
    const auto& sw = e.strong_weak;
    j["strong_weak"] = {{"apgr", number(sw.apgr)},
                        {"cpt50", number(sw.cpt50)},
                        {"cpt80", number(sw.cpt80)},
                        {"weak_accuracy", sw.weak_accuracy},
                        {"strong_accuracy", sw.strong_accuracy},
                        {"call_share", sw.call_share},
                        {"pgr", ordered_json::array()}};
    for (double x : sw.pgr) j["strong_weak"]["pgr"].push_back(number(x));
    j["sweep"] = ordered_json::array();
    for (const auto& pt : e.sweep)
        j["sweep"].push_back({{"policy", describe(pt.policy)},
                              {"cost_per_query", pt.cost},
                              {"accuracy", pt.accuracy},
                              {"top_share", pt.top_share}});
    j["hull"] = ordered_json::array();
    for (const auto& pt : e.hull) j["hull"].push_back({{"cost_per_query", pt.cost}, {"accuracy", pt.quality}});
    j["aiq"] = e.aiq;
    return j;
}

std::string dollars(double x) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%10.6f", x);
    return buf;
}

std::string split_line(const evaluation_options& o, const std::string& split, std::size_t test_queries) {
    return "tested on " + split + ", " + std::to_string(test_queries) + " test queries, features " +
           std::string(to_string(o.router.features)) + "\n";
}

std::string router_line(const router_evaluation& e, const std::vector<std::string>& models, std::uint16_t strong,
                        std::uint16_t weak) {
    std::string out = "  classifier upper bound " + points_cell(e.classifier_upper_bound) + "%";
    if (!models.empty())
        out += "   APGR (" + models[weak] + " -> " + models[strong] + ") " + points_cell(e.strong_weak.apgr) + "%   CPT(50%) " +
               points_cell(e.strong_weak.cpt50) + "%   CPT(80%) " + points_cell(e.strong_weak.cpt80) + "%   AIQ " + points_cell(e.aiq) + "%";
    return out + "\n";
}

std::string policy_header(bool with_noise) {
    std::string out = "  " + pad_cell("policy", 24) + "accuracy  as P1's code  $/query      top share (model)        "
                                                 "gap oracle  gap best";
    if (with_noise) out += "  noise cost";
    return out + "\n";
}

std::string policy_row(const policy_result& pr, const std::vector<std::string>& models, const router_evaluation* naive,
                       std::size_t p) {
    const auto& m = pr.overall;
    const bool p1_code = pr.policy.variant == policy_variant::p1_code;
    std::string out = "  " + pad_cell(describe(pr.policy), 24) + points_cell(m.accuracy) + "%   " +
                      (p1_code ? points_cell(m.accuracy_as_scored) + "%" : std::string("      -")) + "    " + dollars(m.cost) +
                      "   " + points_cell(m.top_share) + "% " + pad_cell("(" + (models.empty() ? "" : models[m.top_model]) + ")", 16) +
                      points_cell(m.gap_to_oracle) + "     " + points_cell(m.gap_to_best_single);
    if (naive != nullptr) out += "    " + points_cell(m.accuracy - naive->policies[p].overall.accuracy);
    return out + "\n";
}

} // namespace

nlohmann::ordered_json to_json(const routers_table& t) {
    ordered_json out;
    out["study"] = t.study;
    out["models"] = t.models;
    out["benchmarks"] = t.benchmarks;
    out["train_protocols"] = {{"naive", describe(t.naive)}, {"corrected", describe(t.corrected)}};
    out["test_protocol"] = describe(t.corrected);
    out["split"] = options_json(t.options, t.split);
    out["strong"] = t.models.empty() ? "" : t.models[t.strong];
    out["weak"] = t.models.empty() ? "" : t.models[t.weak];
    out["routers"] = ordered_json::array();
    for (std::size_t r = 0; r < t.corrected_trained.size(); ++r)
        out["routers"].push_back(evaluation_json(t.corrected_trained[r], t.models, t.benchmarks, &t.naive_trained[r]));
    return out;
}

nlohmann::ordered_json to_json(const route_report& r) {
    ordered_json out;
    out["study"] = r.study;
    out["models"] = r.models;
    out["benchmarks"] = r.benchmarks;
    out["train_protocol"] = describe(r.train);
    out["test_protocol"] = describe(r.test);
    out["split"] = options_json(r.options, r.split);
    out["strong"] = r.models.empty() ? "" : r.models[r.strong];
    out["weak"] = r.models.empty() ? "" : r.models[r.weak];
    out["evaluation"] = evaluation_json(r.evaluation, r.models, r.benchmarks, nullptr);
    return out;
}

std::string to_text(const routers_table& t) {
    std::string out = "Study: " + t.study + "\n";
    out += "Routers trained on corrected labels (" + describe(t.corrected) + "),\n";
    out += "noise cost = accuracy minus the same router trained on naive labels (" + describe(t.naive) +
           "),\nall scored on the corrected test labels; " +
           (t.corrected_trained.empty() ? std::string("\n") : split_line(t.options, t.split, t.corrected_trained.front().test_queries));
    for (std::size_t r = 0; r < t.corrected_trained.size(); ++r) {
        const auto& e = t.corrected_trained[r];
        out += "\n== " + std::string(to_string(e.router)) + "\n";
        out += router_line(e, t.models, t.strong, t.weak);
        out += policy_header(true);
        for (std::size_t p = 0; p < e.policies.size(); ++p) out += policy_row(e.policies[p], t.models, &t.naive_trained[r], p);
    }
    return out;
}

std::string to_text(const route_report& r) {
    const auto& e = r.evaluation;
    std::string out = "Study: " + r.study + "\nRouter " + std::string(to_string(e.router)) + " trained on " +
                      describe(r.train) + "\nscored on " + describe(r.test) + "\n" + split_line(r.options, r.split, e.test_queries);
    out += router_line(e, r.models, r.strong, r.weak);
    out += policy_header(false);
    for (std::size_t p = 0; p < e.policies.size(); ++p) out += policy_row(e.policies[p], r.models, nullptr, p);
    for (std::size_t b = 0; b < r.benchmarks.size(); ++b) {
        out += "\n" + r.benchmarks[b] + ":\n";
        for (const auto& pr : e.policies) {
            policy_result one = pr;
            one.overall = pr.per_benchmark[b];
            out += policy_row(one, r.models, nullptr, 0);
        }
    }
    out += "\ncost-quality sweep (AIQ " + points_cell(e.aiq) + "%):\n";
    for (const auto& pt : e.sweep)
        out += "  " + pad_cell(describe(pt.policy), 24) + points_cell(pt.accuracy) + "%   " + dollars(pt.cost) + "   top share " +
               points_cell(pt.top_share) + "%\n";
    return out;
}

} // namespace headroom
