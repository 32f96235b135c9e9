// Judge-bias measures: how far each judge's verdicts follow something other than
// correctness. Correctness comes from the gold, not from a judge: exact match of the
// lenient extraction (mcq, numeric) or the tests on the lenient program (code).
//
//   length slope         among answers of equal correctness, the least-squares slope
//                        of the judge's pass (0/1) on answer length, per 100 tokens;
//                        an unbiased judge's slope is 0 in both groups.
//   concise / verbose    pass rates of concise correct answers against longer correct
//                        ones, and of verbose wrong answers against shorter wrong ones;
//                        from them the share of concise right answers a judge fails
//                        for being short (concise_penalty = 1 - concise/other) and the
//                        share of verbose wrong ones it passes for being long
//                        (verbose_reward = (verbose - other) / (1 - other)).
//   exact agreement      each judge against exact match: agreement and Cohen's kappa.
//   inter-judge          every pair of judges: agreement and Cohen's kappa.
//
// The population: generations at one budget (the longest unless asked) that were not
// cut (finish = stop: a cut answer is judged on what survived, which is truncation,
// not a bias); for the gold-based measures, those whose correctness is known (an
// answer was extracted, or a program ran and passed or failed). A reply without a
// usable verdict leaves that judge's measures and is counted. Intervals are
// percentile bootstraps over queries (a judge's harshness is per query).
#pragma once
#include "core/stats/interval.h"
#include "core/study/study.h"

#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <vector>

namespace headroom {

struct judge_bias_options {
    std::optional<std::uint32_t> budget;  // default: the study's longest
    // Length thresholds in output tokens; unset: the lower and upper quartile of the
    // lengths of the gold-graded answers.
    std::optional<double> concise_tokens, verbose_tokens;
    int resamples = 200;
    double confidence = 0.95;
    std::uint64_t seed = 1;
};

// k of n, and the share with its interval (value is NaN when n is 0).
struct share {
    std::size_t n = 0, k = 0;
    interval value;
};

struct agreement {
    std::size_t n = 0;   // items both raters rated
    interval agree;      // share of items rated alike
    interval kappa;      // Cohen's kappa on pass/fail (NaN when chance agreement is 1)
};

struct judge_bias {
    std::string judge;
    std::size_t replies = 0, parse_failures = 0;  // in the population
    std::size_t correct = 0, wrong = 0;           // gold-graded answers with a verdict
    interval slope_correct, slope_wrong;          // pass per 100 tokens
    share concise_correct_pass, other_correct_pass, verbose_wrong_pass, other_wrong_pass;
    interval concise_penalty, verbose_reward;
    agreement with_exact;
};

struct judge_pair {
    std::string first, second;
    agreement judges;
};

// What the simulator planted, read from a simulated study's provenance.
struct planted_judge {
    std::string judge;
    double concise_tokens = 0, concise_penalty = 0, verbose_tokens = 0, verbose_reward = 0;
    double harsh_share = 0, harsh_penalty = 0, noise = 0;
    std::optional<double> full_answers_failed_share, wrong_answers_passed_share;
};

struct judge_bias_report {
    std::string study;
    std::uint32_t budget = 0;
    double concise_tokens = 0, verbose_tokens = 0;
    judge_bias_options options;
    std::size_t generations = 0;   // at the budget, not cut
    std::size_t gold_graded = 0;   // of those, with correctness from the gold
    std::vector<judge_bias> judges;
    std::vector<judge_pair> pairs;
    std::vector<planted_judge> planted;  // empty unless the study says
};

// Throws std::invalid_argument when the study has no judge grades or no uncut
// generations at the budget. Without lenient or exec:lenient grades the answers they
// would grade have no known correctness (gold_graded says how many do).
judge_bias_report measure_judge_bias(const study& s, const judge_bias_options& options = {});

// Cohen's kappa from a 2x2 table: both pass, first only, second only, neither.
double cohen_kappa(double both, double first_only, double second_only, double neither);

std::vector<planted_judge> planted_judges(const study& s);

nlohmann::ordered_json to_json(const judge_bias_report& r);
std::string to_text(const judge_bias_report& r);

} // namespace headroom
