// Policies: a router's confidences (router.h) turned into one model per test query.
//
// P1's four policies exist twice. `described` is the rule as P1's paper states it;
// `p1_code` is what P1's published evaluation notebook computes, which differs in ways
// that move its table: ArgMax and Random count a pick as correct only when the picked
// model was also predicted capable (confidence >= 0.5); Prediction subtracts one
// per-query number from every confidence, so it is ArgMax without that gate; Sorted
// Pred picks like Prediction but scores the label of the model that sits at the picked
// index after the models are re-ordered by label frequency. P1's text describes
// Prediction and Sorted Pred as confidence-minus-predicted-score rules; our `described`
// forms take a model's predicted score to be its training accuracy, the one per-model
// score known before the query is read. So a decision is a pair: the model chosen
// (what a deployment calls, what cost and latency follow) and how the published code
// scores it (routing_decision::scored, ::scored_as_wrong).
#pragma once
#include "core/routing/router.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace headroom {

enum class policy_kind : std::uint8_t {
    argmax,            // the most confident model
    random,            // P1: unsure (top confidence <= 0.6): a seeded pick among the top 3
    prediction,        // P1: the model whose confidence most exceeds its prior (training accuracy)
    sorted_pred,       // P1: models weakest first, the first whose confidence exceeds its prior
    threshold,         // the cheapest model when its confidence >= parameter, else the best single
    cost_aware,        // argmax of confidence - parameter x cost / dearest model's cost
    cheapest_capable,  // the cheapest model with confidence >= parameter (fallback: argmax)
};

enum class policy_variant : std::uint8_t { described, p1_code };

struct policy {
    policy_kind kind = policy_kind::argmax;
    policy_variant variant = policy_variant::described;  // only P1's four have a p1_code form
    double parameter = 0;  // threshold t, lambda, or tau

    bool operator==(const policy&) const = default;
};

bool is_p1_policy(policy_kind k);
std::string_view to_string(policy_kind k);
// "argmax", "argmax@p1-code", "threshold=0.7", "cost=0.5", "cheapest-capable=0.6".
std::string describe(const policy& p);
// Accepts what describe() writes; throws std::invalid_argument naming the bad text.
policy parse_policy(std::string_view text);
// Every P1 policy in both variants, then threshold, cost-aware and cheapest-capable at
// their default parameters: what `headroom routers` tabulates.
std::vector<policy> standard_policies();

// What a policy may know besides the confidences: numbers from the training split
// (prior, best_single), the models' prices, and the one thing P1's code takes from the
// test labels (the order its Sorted Pred re-indexes the labels by).
struct policy_context {
    std::vector<double> prior;           // training accuracy per model
    std::vector<double> cost;            // dollars per query per model
    std::uint16_t best_single = 0;       // highest training accuracy (first on ties)
    std::vector<std::uint16_t> p1_code_label_order;  // models by ascending count of positive
                                                     // test labels (ties: lower index first)
    std::uint64_t seed = 0;              // for the random policy
};

// One decision per test row, in confidence_matrix row order.
struct routing_decision {
    std::vector<std::uint16_t> chosen;   // the model called
    std::vector<std::uint16_t> scored;   // the model whose label P1's code reads (= chosen
                                         // except for Sorted Pred in its p1_code form)
    std::vector<char> scored_as_wrong;   // P1's gate: counted wrong whatever the label
};

// Throws std::invalid_argument when the context does not match the confidences' models.
routing_decision apply_policy(const policy& p, const confidence_matrix& confidence, const policy_context& context);

// A query counts as predicted solvable by a model when its confidence reaches this.
inline constexpr double predicted_capable = 0.5;

} // namespace headroom
