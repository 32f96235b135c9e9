// Linear scales and "nice" axis ticks: the arithmetic of a chart, kept out of the
// drawing code so it can be tested (the app only turns these numbers into pixels).
#pragma once
#include <string>
#include <vector>

namespace headroom::chart {

// Maps a data interval [d0, d1] onto a pixel interval [r0, r1] (r1 < r0 for a y axis
// that grows upwards). A degenerate domain maps everything to the middle of the range.
struct linear_scale {
    double d0 = 0, d1 = 1;
    double r0 = 0, r1 = 1;

    double map(double v) const;
    double invert(double pixel) const;
};

struct ticks {
    double step = 0;             // distance between ticks: 1, 2 or 5 times a power of ten
    int decimals = 0;            // digits after the point that tell the ticks apart
    std::vector<double> values;  // ascending, inside the (widened) domain
};

// About `target` ticks covering [lo, hi] at a step of 1, 2 or 5 x 10^n.
ticks nice_ticks(double lo, double hi, int target = 5);

// [lo, hi] widened outwards to the nearest multiples of the nice step, so the axis
// starts and ends on a tick. Returns {lo, hi}.
struct extent {
    double lo = 0, hi = 1;
};
extent nice_extent(double lo, double hi, int target = 5);

// A tick label with `decimals` digits ("-0" printed as "0").
std::string format_tick(double value, int decimals);

} // namespace headroom::chart
