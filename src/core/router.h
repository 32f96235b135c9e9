// Baseline routers: each picks one model per test query after seeing the training
// queries' labels. The learned routers of the routers issue will join them here.
#pragma once
#include "headroom.h"
#include "split.h"

#include <string_view>
#include <vector>

namespace headroom {

enum class baseline_router : std::uint8_t {
    random,       // a uniform, seeded pick per query: the floor
    best_single,  // the model with the best training accuracy, for every query
    oracle,       // the best model per test query, read from its test labels: the ceiling
};
std::string_view to_string(baseline_router r);

// One chosen model per test row, in split.test order.
std::vector<std::uint16_t> route_baseline(baseline_router r, const label_matrix& labels, const query_split& split,
                                          std::uint64_t seed);

struct routing_evaluation {
    double accuracy = 0;               // mean label of the chosen model over test queries
    std::vector<double> share;         // share of test queries sent to each model
    double top_share = 0;              // collapse: the most-chosen model's share
};
routing_evaluation evaluate_routing(const label_matrix& labels, const std::vector<std::uint32_t>& test_rows,
                                    const std::vector<std::uint16_t>& choice);

} // namespace headroom
