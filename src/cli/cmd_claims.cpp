#include "cli/commands.h"
#include "cli/study_source.h"
#include "core/analysis/claims.h"
#include "core/features/feature_cache.h"

#include <nlohmann/json.hpp>
#include <cstdio>
#include <exception>
#include <optional>

namespace headroom::cli {

namespace {

// A router run the claims read: its report, or why it could not be trained (a study
// without the labels a protocol needs makes its claims not checkable, not an error).
struct router_outcome {
    std::optional<route_report> report;
    std::string error;
    claim_router_run view() const { return {report ? &*report : nullptr, error}; }
};

router_outcome logistic_run(const study& s, const study_index& index, const protocol& train, const protocol& test,
                            feature_cache& features) {
    router_outcome out;
    try {
        out.report = evaluate_route(s, index, router_kind::logistic, train, test, claim_router_options(), features);
    } catch (const std::exception& e) {
        out.error = e.what();
    }
    return out;
}

} // namespace

void add_claims(CLI::App& app) {
    auto* cmd = app.add_subcommand(
        "claims", "Check the papers' headline claims on a study: their figures, ours, the test and the verdict");
    static std::string path;
    static bool json = false;
    static decomposition_options options = [] {
        decomposition_options o;
        o.resamples = 200;  // the browser app's, so both print the same verdicts
        return o;
    }();
    cmd->add_option("study", path, "study directory or .pack file")->required();
    cmd->add_option("--resamples", options.resamples, "bootstrap resamples of the decomposition (default: the app's 200)")
        ->check(CLI::Range(0, 100000));
    cmd->add_flag("--json", json, "print the claims as JSON");
    cmd->callback([] {
        const study s = open_study(path);
        const study_index index(s);
        claim_inputs in;
        in.s = &s;
        in.naive = naive_protocol(s);
        in.corrected = corrected_protocol(s);
        // The reports and the decomposition throw when the study cannot give a protocol's
        // labels at all: that is an error in the study, reported as such.
        const protocol_report naive_report = report_protocol(s, index, {"naive", in.naive});
        const protocol_report corrected_report = report_protocol(s, index, {"corrected", in.corrected});
        in.naive_report = &naive_report;
        in.corrected_report = &corrected_report;
        const analysis a = analyse(s, index, in.naive, in.corrected, options);
        in.decomposition_all = &a.sections.front();
        feature_cache features(s);
        const router_outcome naive_on_naive = logistic_run(s, index, in.naive, in.naive, features);
        const router_outcome naive_on_corrected = logistic_run(s, index, in.naive, in.corrected, features);
        const router_outcome corrected_on_corrected = logistic_run(s, index, in.corrected, in.corrected, features);
        in.naive_on_naive = naive_on_naive.view();
        in.naive_on_corrected = naive_on_corrected.view();
        in.corrected_on_corrected = corrected_on_corrected.view();
        const std::vector<claim> claims = check_claims(in);
        if (json) std::printf("%s\n", to_json(claims, s.info.name).dump(2).c_str());
        else std::printf("%s", to_text(claims, s.info.name).c_str());
    });
}

} // namespace headroom::cli
