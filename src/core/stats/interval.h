// Percentile intervals: the one rule every bootstrap in the core reports with (the
// decomposition, the summary's intervals, the judge-bias measures).
#pragma once
#include <vector>

namespace headroom {

struct interval {
    double value = 0, low = 0, high = 0;  // point estimate and percentile bounds
};

// The q-quantile of sorted values by the nearest rank of q * (n - 1); 0 when empty.
double percentile_of_sorted(const std::vector<double>& sorted, double q);

// The estimate with the percentile bounds of its bootstrap draws (sorted in place;
// without draws the bounds are the estimate).
interval percentile_interval(double estimate, std::vector<double>& draws, double confidence);

} // namespace headroom
