#include "core/chart/waterfall.h"

#include <algorithm>

namespace headroom::chart {

std::vector<waterfall_bar> layout_waterfall(const std::string& start_label, double start, double start_low,
                                            double start_high, const std::vector<waterfall_step>& steps,
                                            const std::string& end_label, double end_low, double end_high) {
    std::vector<waterfall_bar> bars;
    bars.push_back({start_label, true, 0, start, start_low, start_high});
    double running = start;
    for (const auto& s : steps) {
        bars.push_back({s.label, false, running, running + s.change, s.low, s.high});
        running += s.change;
    }
    bars.push_back({end_label, true, 0, running, end_low, end_high});
    return bars;
}

waterfall_range range_of(const std::vector<waterfall_bar>& bars) {
    waterfall_range r;
    for (const auto& b : bars) {
        r.lo = std::min({r.lo, b.from, b.to});
        r.hi = std::max({r.hi, b.from, b.to});
        if (b.total) {
            r.lo = std::min(r.lo, b.low);
            r.hi = std::max(r.hi, b.high);
        } else {
            // A step's interval is drawn around its end, from where the step starts.
            r.lo = std::min({r.lo, b.from + b.low, b.from + b.high});
            r.hi = std::max({r.hi, b.from + b.low, b.from + b.high});
        }
    }
    return r;
}

} // namespace headroom::chart
