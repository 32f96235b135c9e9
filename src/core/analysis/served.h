// "Best served by": for each query, the cheapest model that solves it (P2 reports
// about 79% of queries best served by the smallest tier).
#pragma once
#include "core/labels/labels.h"

#include <map>
#include <vector>

namespace headroom {

struct served_by {
    std::vector<double> share_by_model;  // of solved queries, the share each model serves cheapest
    std::map<int, double> share_by_tier; // the same, summed by tier
    double unsolved = 0;                 // share of queries no model solves
};

// A query counts as solved by a model when its label is at least 0.5.
served_by best_served_by(const label_matrix& labels, const std::vector<std::uint32_t>& rows,
                         const std::vector<double>& cost, const std::vector<model>& models);

} // namespace headroom
