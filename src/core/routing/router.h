// The contract between routers and everything that evaluates them. A router learns
// from the training queries (their text and labels under the training protocol) and
// says, for every test query and every model, how likely that model is to solve it.
// Policies (policy.h) turn those confidences into one model per query; metrics
// (metrics.h) score the choices against the test labels.
#pragma once
#include "core/features/feature_kind.h"
#include "core/labels/labels.h"

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace headroom {

// confidence[r * models + m]: the router's P(model m solves test query r), in [0, 1],
// rows in the order of routing_task::test.
struct confidence_matrix {
    std::size_t rows = 0, models = 0;
    std::vector<double> value;
    double at(std::size_t r, std::size_t m) const { return value[r * models + m]; }
};

// What one training-and-prediction run sees. Labels are the training protocol's; a
// router must read them only at the training rows (the oracle alone reads test rows).
struct routing_task {
    const study* s = nullptr;
    const label_matrix* labels = nullptr;
    std::span<const std::uint32_t> train, test;  // query rows
    std::vector<double> model_cost;              // dollars per query, per model
    std::uint64_t seed = 0;
};

enum class router_kind : std::uint8_t {
    random,             // uniform confidences broken by a seeded draw: the floor
    best_single,        // the majority model of the training labels, for every query
    cheapest,           // the cheapest model, for every query
    oracle,             // the test labels themselves: the ceiling
    logistic,           // one L2 logistic regression per model (one-vs-rest, multi-label)
    softmax,            // one joint softmax over models, trained on "which models solve it"
    kmeans,             // clusters of training queries, each scored by its models' accuracy
    knn,                // cosine nearest training queries, their mean labels
    matrix_factorisation,  // model embeddings times projected query features
    random_features,    // P2's control: logistic on random features of the same width
    shuffled_labels,    // P2's control: logistic on training labels shuffled across queries
};
std::string_view to_string(router_kind r);
router_kind parse_router_kind(std::string_view text);  // throws std::invalid_argument
std::span<const router_kind> all_router_kinds();
std::size_t router_position(router_kind r);  // in all_router_kinds()

// dimensions and hash_bits (feature_options) pick the width of the text features.
struct router_options : feature_options {
    feature_kind features = feature_kind::tfidf;
    int clusters = 50;          // kmeans (P1: 50)
    int restarts = 3;           // kmeans: seeded restarts, the lowest inertia kept
    double cluster_margin = 0;  // kmeans: > 0 is P1's threshold variant (kmeans.h)
    int neighbours = 20;        // knn
    int factors = 16;           // matrix factorisation: latent dimensions of models and queries
    double l2 = 1.0;            // logistic, softmax, matrix factorisation
    bool class_weights = false; // logistic: weight positives and negatives equally
};

class feature_cache;  // features/feature_cache.h: features of a study, built once per split

// The routers, one row each in router_kind's order (which is all_router_kinds()'s):
// the table in router.cpp is all that the CLI's help, `headroom routers`, the app's
// Routers tab and run_router know of them.
struct router_entry {
    router_kind kind;
    std::string_view name;  // in the CLI, the app's address and the JSON
    std::string_view help;  // one sentence, for the CLI's help and the app's tooltips
    // A router that learns from query text falls back to best-single when there is
    // nothing to learn from (no training rows or no models).
    bool learns_from_text;
    confidence_matrix (*run)(const routing_task& task, const router_options& options, feature_cache& features);
};
std::span<const router_entry> router_table();
const router_entry& router_info(router_kind r);
// Every router's name and help, a line each, for the CLI's help.
std::string routers_help();

// Trains router `r` on task.train and returns its confidences for task.test.
// Deterministic for a given task and seed, natively and in WebAssembly.
confidence_matrix run_router(router_kind r, const routing_task& task, const router_options& options,
                             feature_cache& features);

} // namespace headroom
