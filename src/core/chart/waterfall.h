// The waterfall: a total, the steps that change it, and the total left at the end,
// each drawn as a floating bar from the running total before the step to the one
// after it. Used for naive unsolvability -> the artifact fixes -> the residual.
#pragma once
#include <string>
#include <vector>

namespace headroom::chart {

struct waterfall_step {
    std::string label;
    double change = 0;           // added to the running total (negative: a reduction)
    double low = 0, high = 0;    // its interval, when known (equal to change otherwise)
};

struct waterfall_bar {
    std::string label;
    bool total = false;          // the first and last bars stand on zero
    double from = 0, to = 0;     // running total before and after (for totals: 0 and the total)
    double low = 0, high = 0;    // the interval of the bar's own value (change or total)
};

// First bar: `start` (standing on zero); one floating bar per step; last bar: the
// running total after every step, labelled `end_label`. `end_low`/`end_high` bound it
// (pass the total itself for none). The steps need not sum to anything in particular:
// when they are an exact split of start - end, the last bar lands where they stop.
std::vector<waterfall_bar> layout_waterfall(const std::string& start_label, double start, double start_low,
                                            double start_high, const std::vector<waterfall_step>& steps,
                                            const std::string& end_label, double end_low, double end_high);

// The smallest and largest values any bar or interval reaches (and 0), for the axis.
struct waterfall_range {
    double lo = 0, hi = 0;
};
waterfall_range range_of(const std::vector<waterfall_bar>& bars);

} // namespace headroom::chart
