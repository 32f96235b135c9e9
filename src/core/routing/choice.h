// The smallest path from confidences to a score, which `headroom report` shows for the
// baseline routers: each test query goes to its highest-confidence model, and the
// choice is scored by accuracy and call shares. Policies (policy.h) and metrics
// (metrics.h) build the full set on these two: the argmax policy picks with
// first_max, and score_decision's accuracy and shares are evaluate_routing's.
#pragma once
#include "core/routing/router.h"

#include <cstdint>
#include <span>
#include <vector>

namespace headroom {

// The first model with the highest value (0 when there are none).
std::uint16_t first_max(std::span<const double> values);
// Per row, the first model with the highest confidence (0 when there are no models).
std::vector<std::uint16_t> argmax_choice(const confidence_matrix& c);

struct routing_evaluation {
    double accuracy = 0;               // mean label of the chosen model over test queries
    std::vector<double> share;         // share of test queries sent to each model
    double top_share = 0;              // collapse: the most-chosen model's share
    // Test queries on which the chosen model has no outcome (label_matrix::present):
    // left out of `accuracy`'s denominator, never scored as failures.
    std::size_t unscored = 0;
};
routing_evaluation evaluate_routing(const label_matrix& labels, std::span<const std::uint32_t> test_rows,
                                    std::span<const std::uint16_t> choice);

} // namespace headroom
