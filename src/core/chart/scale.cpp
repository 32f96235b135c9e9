#include "core/chart/scale.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace headroom::chart {

double linear_scale::map(double v) const {
    if (d1 == d0) return (r0 + r1) / 2;
    return r0 + (v - d0) / (d1 - d0) * (r1 - r0);
}

double linear_scale::invert(double pixel) const {
    if (r1 == r0) return (d0 + d1) / 2;
    return d0 + (pixel - r0) / (r1 - r0) * (d1 - d0);
}

namespace {

// The step of 1, 2 or 5 x 10^n closest to span / target.
double nice_step(double span, int target) {
    const double raw = span / std::max(target, 1);
    const double power = std::pow(10.0, std::floor(std::log10(raw)));
    const double fraction = raw / power;
    // Geometric midpoints between 1, 2, 5 and 10 decide which step is closest.
    const double nice = fraction < 1.4142 ? 1 : fraction < 3.1623 ? 2 : fraction < 7.0711 ? 5 : 10;
    return nice * power;
}

} // namespace

ticks nice_ticks(double lo, double hi, int target) {
    ticks t;
    if (!std::isfinite(lo) || !std::isfinite(hi)) return t;
    if (hi < lo) std::swap(lo, hi);
    if (hi == lo) {
        // One value: a unit-wide axis around it still gets readable ticks.
        const double half = lo == 0 ? 0.5 : std::abs(lo) * 0.05;
        lo -= half;
        hi += half;
    }
    t.step = nice_step(hi - lo, target);
    t.decimals = std::max(0, -static_cast<int>(std::floor(std::log10(t.step) + 1e-9)));
    const double first = std::ceil(lo / t.step - 1e-9);
    const double last = std::floor(hi / t.step + 1e-9);
    for (double i = first; i <= last; i += 1) t.values.push_back(i * t.step);
    return t;
}

extent nice_extent(double lo, double hi, int target) {
    if (hi < lo) std::swap(lo, hi);
    const ticks t = nice_ticks(lo, hi, target);
    if (t.step <= 0) return {lo, hi};
    return {std::floor(lo / t.step + 1e-9) * t.step, std::ceil(hi / t.step - 1e-9) * t.step};
}

std::string format_tick(double value, int decimals) {
    char text[64];
    std::snprintf(text, sizeof text, "%.*f", std::clamp(decimals, 0, 12), value);
    std::string out = text;
    if (out.find_first_not_of("-0.") == std::string::npos && out[0] == '-') out.erase(0, 1);
    return out;
}

} // namespace headroom::chart
