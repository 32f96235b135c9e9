#include "core/analysis/served.h"

#include <algorithm>
#include <numeric>

namespace headroom {

served_by best_served_by(const label_matrix& labels, const std::vector<std::uint32_t>& rows,
                         const std::vector<double>& cost, const std::vector<model>& models) {
    served_by out;
    out.share_by_model.assign(labels.models, 0.0);
    // Models from cheapest to dearest; ties keep study order.
    std::vector<std::size_t> order(labels.models);
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return cost[a] < cost[b]; });
    double solved = 0;
    for (std::uint32_t q : rows) {
        for (std::size_t m : order) {
            if (labels.at(q, m) >= 0.5) {
                out.share_by_model[m] += 1;
                solved += 1;
                break;
            }
        }
    }
    for (std::size_t m = 0; m < labels.models; ++m) {
        out.share_by_model[m] = solved > 0 ? out.share_by_model[m] / solved : 0.0;
        out.share_by_tier[models[m].tier] += out.share_by_model[m];
    }
    out.unsolved = rows.empty() ? 0.0 : 1.0 - solved / static_cast<double>(rows.size());
    return out;
}

} // namespace headroom
