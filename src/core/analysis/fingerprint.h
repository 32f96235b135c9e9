// A study's fingerprint: the statistics that tell what kind of pool and benchmarks a
// study holds, so that a simulated study can be compared with real outcome data and a
// user can see what their own pool is like before trusting its headroom.
//
// Outcomes (labels under one protocol; a pair is solved when its label is >= 0.5;
// missing outcomes are left out of every figure, never counted as failures):
//   solved_by             queries by how many models solve them (0..models)
//   oracle_minus_best     the oracle minus the best single model
//   kappa                 Cohen's kappa of every pair of models, with the spread (SD)
//   right_given_wrong     P(B right | A wrong) for every ordered pair; best_fails_others_right
//                         is its mean over B with A the best single model
//   interaction_sd        per-model per-benchmark accuracies as logits, fitted by
//                         model + benchmark effects: the residual SD (what one ability
//                         number per model cannot explain)
//   rank_correlation      Spearman's rho of the models' accuracies between two
//                         benchmarks, averaged over the pairs of benchmarks
//   family_effect         residuals of each pair (label minus the model's accuracy on the
//                         benchmark minus the query's mean residual) correlated between
//                         models: mean within a family minus mean across families
//   split_half            per-query solve rate of the even-indexed models against the odd
//                         ones, Pearson's r stepped up by Spearman-Brown
// Answers (the study's generations at the protocol's budget, read by the lenient extractor):
//   per model, the share of each option letter among its multiple-choice answers and its
//   non-answer rate (no answer found, or the reply withheld) on mcq and numeric queries.
// Texts, per benchmark: distinct query texts, the near-twin share (queries whose nearest
//   other query has TF-IDF cosine >= 0.9), the type-token ratio per 5,000-token window,
//   the length (words) of queries and answers, mean and coefficient of variation, and the
//   share of distinct answers once numbers are masked.
// Predictability, per benchmark: the cross-validated AUC of a TF-IDF logistic model
//   predicting from the query text that the benchmark's best model fails.
// Collapse: the logistic router (P1's classifier: TF-IDF features), trained and tested on
//   the protocol's labels, and the share of test queries its argmax policy sends to its
//   most-chosen model, overall and per benchmark.
#pragma once
#include "core/features/feature_cache.h"
#include "core/labels/labels.h"
#include "core/labels/protocol.h"
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <vector>

namespace headroom {

struct fingerprint_options {
    int folds = 5;                        // cross-validation of the text AUC
    double near_twin_cosine = 0.9;
    std::size_t near_twin_queries = 3000; // per benchmark; more are estimated on a seeded sample
    std::size_t ttr_window = 5000;        // tokens per type-token-ratio window
    std::uint64_t seed = 1;
    bool router = true;                   // the collapse figure trains a router: the slowest part
};

struct model_habits {
    std::string model;
    std::vector<double> letter_share;     // A, B, ... among found mcq answers; empty without mcq
    std::size_t mcq_answers = 0;
    double non_answer_rate = 0;           // NaN without mcq or numeric generations
    std::size_t answers_read = 0;
};

struct benchmark_texts {
    std::string benchmark;
    std::size_t queries = 0;
    double distinct_share = 0;
    double near_twin_share = 0;
    std::size_t near_twin_sample = 0;     // queries the near-twin share was measured on
    double type_token_ratio = 0;          // mean over full windows (the whole text when shorter)
    std::size_t tokens = 0;
    double query_words_mean = 0, query_words_cv = 0;
    double answer_words_mean = 0, answer_words_cv = 0;   // NaN without generation texts
    double answer_distinct_share = 0;                    // digits masked; NaN without texts
};

struct benchmark_predictability {
    std::string benchmark;
    std::string best_model;
    std::size_t queries = 0, best_fails = 0;
    std::optional<double> auc;            // absent when a class has fewer than `folds` queries
    std::string why_not;
};

struct study_fingerprint {
    std::string study;
    protocol p;
    std::vector<std::string> models, benchmarks;
    std::size_t queries = 0;              // with at least one outcome
    std::size_t missing = 0;              // pairs without an outcome
    std::vector<std::size_t> solved_by;   // models + 1 bins
    std::string best_model;
    double best_single = 0, oracle = 0, oracle_minus_best = 0;
    std::vector<double> kappa;            // models x models (NaN on the diagonal and where undefined)
    double kappa_mean = 0, kappa_sd = 0;  // over the defined pairs
    std::vector<double> right_given_wrong;  // [a * models + b]: P(b right | a wrong)
    double best_fails_others_right = 0;
    std::optional<double> interaction_sd;   // needs >= 2 models and >= 2 benchmarks
    std::optional<double> rank_correlation; // needs >= 3 models and >= 2 benchmarks
    std::optional<double> family_effect;    // needs a family of >= 2 and >= 2 families
    std::optional<double> split_half;       // needs >= 2 models
    bool generation_texts = true;           // false for a pack written without them: no answer figures
    std::vector<model_habits> habits;
    std::vector<benchmark_texts> texts;
    std::vector<benchmark_predictability> predictability;
    std::optional<double> router_top_share;
    std::string router_top_model;
    std::vector<double> router_top_share_per_benchmark;
    std::string router_why_not;
};

// Throws std::invalid_argument when the study cannot give the protocol's labels.
study_fingerprint fingerprint(const study& s, const study_index& index, const protocol& p, feature_cache& features,
                              const fingerprint_options& options = {});

nlohmann::ordered_json to_json(const study_fingerprint& f);
std::string to_text(const study_fingerprint& f);

// Its parts, each tested on its own.
double spearman(std::span<const double> a, std::span<const double> b);  // NaN when either is constant
double pearson(std::span<const double> a, std::span<const double> b);   // NaN when either is constant
// Area under the ROC curve of `score` for `positive` (ties count half); NaN without both classes.
double roc_auc(std::span<const double> score, std::span<const char> positive);
// Residual SD of a two-way additive fit (row + column effects) of `cells`, rows x cols
// row-major, NaN marking an empty cell; NaN when there are no degrees of freedom left.
double two_way_residual_sd(std::span<const double> cells, std::size_t rows, std::size_t cols);
benchmark_texts describe_texts(const study& s, std::uint32_t benchmark, const study_index& index, const protocol& p,
                               const fingerprint_options& options);

} // namespace headroom
