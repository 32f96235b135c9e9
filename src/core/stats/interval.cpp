#include "core/stats/interval.h"

#include <algorithm>
#include <cmath>

namespace headroom {

double percentile_of_sorted(const std::vector<double>& sorted, double q) {
    if (sorted.empty()) return 0;
    const auto idx = static_cast<std::size_t>(std::floor(q * static_cast<double>(sorted.size() - 1) + 0.5));
    return sorted[std::min(idx, sorted.size() - 1)];
}

interval percentile_interval(double estimate, std::vector<double>& draws, double confidence) {
    interval iv{estimate, estimate, estimate};
    if (draws.empty()) return iv;
    std::sort(draws.begin(), draws.end());
    const double tail = (1.0 - confidence) / 2.0;
    iv.low = percentile_of_sorted(draws, tail);
    iv.high = percentile_of_sorted(draws, 1.0 - tail);
    return iv;
}

} // namespace headroom
