#include "core/analysis/report.h"

#include "core/base/text_table.h"
#include "core/features/feature_cache.h"
#include "core/study/split.h"

#include <nlohmann/json.hpp>
#include <algorithm>
#include <cmath>

namespace headroom {

std::vector<named_protocol> default_protocols(const study& s) {
    return {{"naive", naive_protocol(s)}, {"corrected", corrected_protocol(s)}};
}

protocol_report report_protocol(const study& s, const study_index& index, const named_protocol& p,
                                const report_options& options) {
    protocol_report out;
    out.name = p.name;
    out.settings = p.settings;
    const label_matrix labels = compute_labels(s, index, p.settings);
    out.sections.push_back({"all", summarize(labels, all_rows(labels))});
    for (std::uint32_t b = 0; b < s.benchmarks.size(); ++b)
        out.sections.push_back({s.benchmarks[b].id, summarize(labels, index.queries_of_benchmark(b))});
    const query_split split = split_queries(s, options.test_fraction, options.split_seed);
    routing_task task;
    task.s = &s;
    task.labels = &labels;
    task.train = split.train;
    task.test = split.test;
    task.seed = options.split_seed;
    feature_cache no_features(s);  // the baselines read no text: nothing gets built
    for (auto r : {router_kind::random, router_kind::best_single, router_kind::oracle}) {
        const auto choice = argmax_choice(run_router(r, task, router_options{}, no_features));
        out.routers.push_back({std::string(to_string(r)), evaluate_routing(labels, split.test, choice)});
    }
    out.artifacts = artifact_flags(s, index, p.settings.budget);
    return out;
}

study_report report_header(const study& s, const report_options& options) {
    study_report r;
    r.study = s.info.name;
    r.split = describe_split(s, options.test_fraction, options.split_seed);
    r.options = options;
    for (const auto& m : s.models) r.models.push_back(m.id);
    r.protocol_notes = {protocol_note(s, false), protocol_note(s, true)};
    return r;
}

study_report make_report(const study& s, const study_index& index, const std::vector<named_protocol>& protocols,
                         const report_options& options) {
    study_report r = report_header(s, options);
    for (const auto& p : protocols) r.protocols.push_back(report_protocol(s, index, p, options));
    return r;
}

nlohmann::ordered_json to_json(const study_report& r) {
    using nlohmann::ordered_json;
    ordered_json out;
    out["study"] = r.study;
    out["models"] = r.models;
    out["split"] = {{"test_fraction", r.options.test_fraction}, {"seed", r.options.split_seed}, {"test_set", r.split}};
    out["protocols"] = ordered_json::array();
    for (const auto& p : r.protocols) {
        ordered_json jp;
        jp["name"] = p.name;
        jp["protocol"] = describe(p.settings);
        jp["sections"] = ordered_json::array();
        for (const auto& sec : p.sections) {
            const auto& h = sec.summary;
            ordered_json accuracy = ordered_json::object();
            for (std::size_t m = 0; m < r.models.size(); ++m) accuracy[r.models[m]] = h.model_accuracy[m];
            jp["sections"].push_back({{"benchmark", sec.benchmark},
                                      {"queries", h.queries},
                                      {"model_accuracy", accuracy},
                                      {"best_model", r.models.empty() ? "" : r.models[h.best_model]},
                                      {"best_single", h.best_single},
                                      {"oracle", h.oracle},
                                      {"unsolvable", h.unsolvable},
                                      {"headroom", h.headroom}});
            // Only studies with missing outcomes carry these keys, so others read as before.
            std::size_t missing = h.queries_without_outcome;
            for (std::size_t n : h.model_missing) missing += n;  // empty in a summary made elsewhere
            if (missing > 0) {
                ordered_json per_model = ordered_json::object();
                for (std::size_t m = 0; m < r.models.size(); ++m) per_model[r.models[m]] = h.model_missing[m];
                jp["sections"].back()["missing_outcomes"] = per_model;
                jp["sections"].back()["queries_without_outcome"] = h.queries_without_outcome;
            }
        }
        jp["routers"] = ordered_json::array();
        for (const auto& rr : p.routers) {
            ordered_json share = ordered_json::object();
            for (std::size_t m = 0; m < r.models.size(); ++m) share[r.models[m]] = rr.evaluation.share[m];
            jp["routers"].push_back({{"router", rr.router},
                                     {"test_accuracy", rr.evaluation.accuracy},
                                     {"top_share", rr.evaluation.top_share},
                                     {"share", share}});
            if (rr.evaluation.unscored > 0) jp["routers"].back()["unscored_choices"] = rr.evaluation.unscored;
        }
        ordered_json flags = ordered_json::object();
        for (std::size_t m = 0; m < std::min(r.models.size(), p.artifacts.size()); ++m) {
            const artifact_counts& c = p.artifacts[m];
            flags[r.models[m]] = {{"generations", c.generations},
                                  {"truncated", c.truncated},
                                  {"suspected_truncated", c.suspected_truncated},
                                  {"empty", c.empty},
                                  {"extracted", c.extracted},
                                  {"no_answer", c.no_answer},
                                  {"extractors_disagree", c.extractors_disagree},
                                  {"judged", c.judged},
                                  {"judge_unparsable", c.judge_unparsable}};
        }
        jp["artifact_flags"] = {{"budget", p.settings.budget}, {"per_model", flags}};
        out["protocols"].push_back(jp);
    }
    return out;
}

std::string missing_outcomes_line(const std::vector<std::string>& models, const headroom_summary& h) {
    std::string parts;
    for (std::size_t m = 0; m < std::min(models.size(), h.model_missing.size()); ++m)
        if (h.model_missing[m] > 0)
            parts += (parts.empty() ? "" : ", ") + models[m] + " " + std::to_string(h.model_missing[m]);
    if (parts.empty() && h.queries_without_outcome == 0) return "";
    std::string out = "missing outcomes (left out of each model's accuracy): " + (parts.empty() ? "none" : parts);
    if (h.queries_without_outcome > 0)
        out += "; " + std::to_string(h.queries_without_outcome) + " queries have none (left out of the oracle)";
    return out;
}

namespace {
std::string missing_line(const std::vector<std::string>& models, const headroom_summary& h) {
    const std::string line = missing_outcomes_line(models, h);
    return line.empty() ? line : line + "\n";
}

// Per model, the share of its generations with each artifact the study shows at all:
// "gemma: truncated 12.30%" is what an imported log's user needs to see first.
std::string artifacts_block(const std::vector<std::string>& models, const protocol_report& p, std::size_t name_width) {
    struct column {
        const char* name;
        std::size_t artifact_counts::*count;
        std::size_t artifact_counts::*of;
    };
    static constexpr column columns[] = {
        {"truncated", &artifact_counts::truncated, &artifact_counts::generations},
        {"cut?", &artifact_counts::suspected_truncated, &artifact_counts::generations},
        {"empty", &artifact_counts::empty, &artifact_counts::generations},
        {"no answer", &artifact_counts::no_answer, &artifact_counts::extracted},
        {"strict!=lenient", &artifact_counts::extractors_disagree, &artifact_counts::extracted},
        {"judge unparsable", &artifact_counts::judge_unparsable, &artifact_counts::judged},
    };
    std::vector<const column*> shown;
    for (const column& c : columns)
        if (std::any_of(p.artifacts.begin(), p.artifacts.end(), [&](const artifact_counts& a) { return a.*c.count > 0; }))
            shown.push_back(&c);
    if (shown.empty()) return "";
    std::string out = "artifact flags at budget " + std::to_string(p.settings.budget) +
                      " (% of each model's generations; no answer and strict!=lenient of those extracted, judge "
                      "unparsable of those judged; cut?: finish unknown, output at the budget):\n";
    out += pad_cell("", name_width);
    for (const column* c : shown) out += pad_cell(std::string(" ") + c->name, 18);
    out += "\n";
    for (std::size_t m = 0; m < std::min(models.size(), p.artifacts.size()); ++m) {
        out += pad_cell(models[m], name_width);
        for (const column* c : shown) {
            const std::size_t of = p.artifacts[m].*c->of;
            const double share = of ? double(p.artifacts[m].*c->count) / double(of) : std::nan("");
            out += pad_cell(" " + points_cell(share), 18);
        }
        out += "\n";
    }
    return out;
}
} // namespace

std::string to_text(const study_report& r) {
    std::string out = "Study: " + r.study + "\n";
    for (const auto& note : r.protocol_notes) out += "  " + note + "\n";
    std::size_t name_width = 14;
    for (const auto& m : r.models) name_width = std::max(name_width, m.size() + 2);
    for (const auto& p : r.protocols) {
        out += "\n== " + p.name + " protocol: " + describe(p.settings) + "\n";
        out += pad_cell("", name_width);
        for (const auto& sec : p.sections) out += pad_cell(" " + sec.benchmark, 16);
        out += "\n";
        auto row = [&](const std::string& label, auto value_of) {
            out += pad_cell(label, name_width);
            for (const auto& sec : p.sections) out += pad_cell(" " + points_cell(value_of(sec.summary)), 16);
            out += "\n";
        };
        for (std::size_t m = 0; m < r.models.size(); ++m)
            row(r.models[m], [&](const headroom_summary& h) { return h.model_accuracy[m]; });
        row("best single", [](const headroom_summary& h) { return h.best_single; });
        row("oracle", [](const headroom_summary& h) { return h.oracle; });
        row("unsolvable", [](const headroom_summary& h) { return h.unsolvable; });
        row("headroom", [](const headroom_summary& h) { return h.headroom; });
        out += missing_line(r.models, p.sections.front().summary);
        out += artifacts_block(r.models, p, name_width);
        out += "routers tested on " + r.split + ":\n";
        for (const auto& rr : p.routers)
            out += "  " + pad_cell(rr.router, 12) + " accuracy " + points_cell(rr.evaluation.accuracy) + "%   top model share " +
                   points_cell(rr.evaluation.top_share) + "%" +
                   (rr.evaluation.unscored ? "   (" + std::to_string(rr.evaluation.unscored) +
                                                 " choices of a model with no outcome, not scored)"
                                           : "") +
                   "\n";
    }
    return out;
}

} // namespace headroom
