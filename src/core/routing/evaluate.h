// Evaluating routers: seeded train/test splits or k-fold cross-validation, every
// policy on every router, per benchmark and overall; the cost-quality sweep (lambda of
// the cost-aware policy, tau of cheapest-capable) with its hull and AIQ; the strong-weak
// sweep (APGR, CPT); and the label-noise cost, the same router trained on the naive
// protocol's labels and on the corrected one's, both scored on the corrected test
// labels. Results are plain structs; to_json gives the CLI and the app the same numbers.
#pragma once
#include "core/routing/metrics.h"
#include "core/routing/policy.h"
#include "core/routing/router.h"

#include "core/study/split.h"

#include <nlohmann/json_fwd.hpp>
#include <functional>
#include <span>
#include <string>
#include <vector>

namespace headroom {

struct evaluation_options {
    double test_fraction = 0.3;  // one seeded split (split.h) when folds < 2
    int folds = 0;               // k >= 2: k-fold cross-validation, every query tested once
    std::uint64_t seed = 1;      // the split's or folds' seed, and the routers' and policies'
    router_options router;
    std::vector<policy> policies = standard_policies();
    // The cost-quality sweep: cost-aware at each lambda, cheapest-capable at each tau.
    std::vector<double> lambdas{0, 0.02, 0.05, 0.1, 0.2, 0.35, 0.5, 0.75, 1, 1.5, 2, 5, 1000};
    std::vector<double> taus{0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 1};
};

// k folds of each benchmark's queries (shuffled by a seeded draw, then dealt in turn),
// so each benchmark keeps its share in every fold. Each split's test rows are one fold.
std::vector<query_split> fold_splits(const study& s, int folds, std::uint64_t seed);
// What evaluate_router runs over: one split (test_fraction) or the k folds.
std::vector<query_split> evaluation_splits(const study& s, const evaluation_options& options);

struct policy_result {
    headroom::policy policy;
    routing_metrics overall;
    std::vector<routing_metrics> per_benchmark;  // study order
};

struct sweep_point {
    headroom::policy policy;  // cost-aware or cheapest-capable with its parameter
    double cost = 0, accuracy = 0, top_share = 0;
};

struct router_evaluation {
    router_kind router = router_kind::best_single;
    std::size_t test_queries = 0;
    std::vector<policy_result> policies;   // in evaluation_options::policies order
    double classifier_upper_bound = 0;      // P1's, from this router's confidences
    strong_weak_sweep strong_weak;          // score: confidence(strong) - confidence(weak)
    std::vector<sweep_point> sweep;         // lambdas, then taus
    std::vector<cost_quality_point> hull;   // of the sweep's points
    double aiq = 0;                         // over [cheapest, dearest model's cost]
};

// What every router of one evaluation shares: labels to train on and to test on (the
// same shape; a router reads only the training rows of train_labels), the splits, the
// models' prices and latencies, the strong and weak model of the APGR sweep.
struct evaluation_data {
    const study* s = nullptr;
    const label_matrix* train_labels = nullptr;
    const label_matrix* test_labels = nullptr;
    std::vector<query_split> splits;
    std::vector<double> model_cost, model_latency_ms;
    std::uint16_t strong = 0, weak = 0;  // best single under the test labels at the first
                                         // split's training rows; the cheapest other model
};
// Throws std::invalid_argument when the label matrices do not fit the study.
evaluation_data prepare_evaluation(const study& s, const label_matrix& train_labels, const label_matrix& test_labels,
                                   const std::vector<double>& model_cost, const std::vector<double>& model_latency_ms,
                                   const evaluation_options& options);

// Trains the router on every split and scores the pooled test decisions. With
// `with_sweeps` false, only the policies (the label-noise runs need no more).
router_evaluation evaluate_router(router_kind r, const evaluation_data& data, const evaluation_options& options,
                                  feature_cache& features, bool with_sweeps = true);
// Its two halves, for a caller that trains in one place and scores in another (the
// browser trains in a Web Worker): the router's confidences on each split's test rows
// (data.splits order; a split with no test rows gives an empty matrix), and the
// scoring of those confidences. Training is nearly all of the time.
std::vector<confidence_matrix> train_router(router_kind r, const evaluation_data& data, const evaluation_options& options,
                                            feature_cache& features);
router_evaluation score_router(router_kind r, const evaluation_data& data, const evaluation_options& options,
                               std::span<const confidence_matrix> confidences, bool with_sweeps = true);

// The routers table: every router, every policy, trained on corrected labels, and the
// label-noise cost of each (router, policy): accuracy trained on corrected labels minus
// accuracy trained on naive labels, both on the corrected test labels.
struct routers_table {
    std::string study;
    std::string split;  // the test split in words (split_words)
    std::vector<std::string> models, benchmarks;
    protocol naive, corrected;
    evaluation_options options;
    std::vector<router_evaluation> corrected_trained, naive_trained;  // all_router_kinds() order
    std::uint16_t strong = 0, weak = 0;
};
// The split an evaluation tests on, in words: k folds, or describe_split's.
std::string split_words(const study& s, const evaluation_options& options);

// How the routers table's independent jobs run: job(0) .. job(count - 1), each at most
// once, in any order, one at a time or side by side (each writes only its own result,
// and feature_cache may be shared). It returns when all are done, or rethrows the
// exception of the lowest-numbered job that threw (later jobs may not have run). The
// core runs them in turn; the CLI spreads them over the cores (src/cli/job_pool.h),
// with the same results to the bit.
using job_runner = std::function<void(std::size_t count, const std::function<void(std::size_t)>& job)>;
void run_in_turn(std::size_t count, const std::function<void(std::size_t)>& job);

routers_table evaluate_routers(const study& s, const study_index& index, const protocol& naive,
                               const protocol& corrected, const evaluation_options& options, feature_cache& features,
                               const job_runner& run = run_in_turn);
// The table's jobs in the order they are handed out: every router once trained on
// corrected labels and once on naive ones.
struct routers_job {
    router_kind router;
    bool on_corrected;
};
std::vector<routers_job> routers_jobs();

// One router trained under one protocol, scored under another (`headroom route`).
struct route_report {
    std::string study;
    std::string split;  // the test split in words (split_words)
    std::vector<std::string> models, benchmarks;
    protocol train, test;
    evaluation_options options;
    router_evaluation evaluation;
    std::uint16_t strong = 0, weak = 0;
};
route_report evaluate_route(const study& s, const study_index& index, router_kind r, const protocol& train,
                            const protocol& test, const evaluation_options& options, feature_cache& features);
// The same in two halves (train_router, score_router): score_route of train_route's
// confidences is evaluate_route, to the last bit.
std::vector<confidence_matrix> train_route(const study& s, const study_index& index, router_kind r, const protocol& train,
                                           const protocol& test, const evaluation_options& options,
                                           feature_cache& features);
route_report score_route(const study& s, const study_index& index, router_kind r, const protocol& train,
                         const protocol& test, const evaluation_options& options,
                         std::span<const confidence_matrix> confidences);
// score_route with both protocols' labels given (compute_labels of each), for a caller
// that keeps them; throws std::invalid_argument when they do not fit the study.
route_report score_route(const study& s, router_kind r, const protocol& train, const protocol& test,
                         const evaluation_options& options, const label_matrix& train_labels,
                         const label_matrix& test_labels, std::span<const confidence_matrix> confidences);

nlohmann::ordered_json to_json(const routers_table& t);
nlohmann::ordered_json to_json(const route_report& r);
std::string to_text(const routers_table& t);
std::string to_text(const route_report& r);

} // namespace headroom
