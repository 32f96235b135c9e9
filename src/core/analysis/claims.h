// The papers' headline claims, checked on a study: each row holds the claim, the
// paper's published figure, the same quantity computed on the study, the test that
// decides whether it holds, and the verdict. The app's Claims tab draws these rows;
// `headroom claims STUDY` prints them.
//
// The claims read the naive and corrected reports (report.h), the decomposition's
// "all" section (decomposition_report.h) and three runs of the logistic router on
// TF-IDF features, P1's classifier (evaluate.h). An input not yet computed leaves the
// claims that read it pending, so the app can show rows as its work finishes.
#pragma once
#include "core/analysis/decomposition_report.h"
#include "core/analysis/report.h"
#include "core/routing/evaluate.h"

#include <nlohmann/json_fwd.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace headroom {

enum class claim_verdict : std::uint8_t { holds, fails, not_checkable, pending };
std::string_view to_string(claim_verdict v);  // "holds", "does not hold", "not checkable", "computing"

struct claim {
    std::string source;     // "P1", "P2", or "ours" (beyond both papers)
    std::string statement;  // the claim, in words
    std::string paper;      // the paper's figure, as published
    std::string here;       // the figure computed on this study ("" while pending)
    std::string test;       // how "holds" is decided
    claim_verdict verdict = claim_verdict::pending;
};

// A router run a claim reads: its report, or why it failed; neither while pending.
struct claim_router_run {
    const route_report* report = nullptr;
    std::string error;
};

struct claim_inputs {
    const study* s = nullptr;
    protocol naive, corrected;
    const protocol_report* naive_report = nullptr;
    const protocol_report* corrected_report = nullptr;
    const analysis_section* decomposition_all = nullptr;
    // The logistic router on TF-IDF (the CLI's split and seed), trained on naive labels
    // and tested on naive ones; trained on naive, tested on corrected; trained and
    // tested on corrected.
    claim_router_run naive_on_naive, naive_on_corrected, corrected_on_corrected;
};

std::vector<claim> check_claims(const claim_inputs& in);

// The router the claims train: logistic regression on TF-IDF, the evaluation options of
// `headroom route` otherwise.
evaluation_options claim_router_options();

nlohmann::ordered_json to_json(const std::vector<claim>& claims, const std::string& study);
std::string to_text(const std::vector<claim>& claims, const std::string& study);

} // namespace headroom
