// What one query costs each model at a budget, in dollars and in milliseconds: the
// means over the model's generations at that budget, which routing scores its choices
// with and the reports print beside accuracy.
#pragma once
#include "core/study/study.h"

#include <cstdint>
#include <vector>

namespace headroom {

// Mean dollars per query of each model at one budget: a generation's measured cost,
// else its tokens at the model's prices; a generation with neither is left out. A
// model with no generation counted gets 0.
std::vector<double> cost_per_query(const study& s, std::uint32_t budget);

// Mean latency (ms) of each model's generations at one budget. An unknown latency
// makes the mean unknown (NaN) rather than hiding in it.
std::vector<double> latency_per_query(const study& s, std::uint32_t budget);

} // namespace headroom
