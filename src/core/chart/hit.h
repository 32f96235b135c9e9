// Hit-testing for charts: which band (bar slot) or which point the mouse is over.
// Pixel coordinates throughout; the app passes the mouse position as ImGui reports it.
#pragma once
#include "core/chart/hull.h"

#include <cstddef>
#include <optional>
#include <vector>

namespace headroom::chart {

// `count` equal slots across [x0, x1], each holding a bar `fill` (0..1) of its width,
// centred. Used both to place bars and to find the one under the mouse.
struct band_scale {
    double x0 = 0, x1 = 1;
    std::size_t count = 1;
    double fill = 0.7;

    double slot_width() const;
    double bar_left(std::size_t i) const;
    double bar_right(std::size_t i) const;
    double centre(std::size_t i) const;
    // The slot under x (anywhere in its slot, not only on its bar), if x is inside.
    std::optional<std::size_t> slot_at(double x) const;
    // Rows for labels `widths` wide centred under the slots, label i on row i % rows:
    // the fewest that keep neighbours on a row `gap` apart, at least one and at most
    // max_rows (when even that many leave them overlapping).
    std::size_t label_rows(const std::vector<double>& widths, double gap, std::size_t max_rows) const;
};

// The point nearest to (x, y) within `radius` pixels, if any (the first on ties).
std::optional<std::size_t> nearest_point(const std::vector<point>& pixels, double x, double y, double radius);

// Histogram bins: `count` equal bins over [lo, hi]; values outside go to the end bins.
std::vector<std::size_t> histogram(const std::vector<double>& values, double lo, double hi, std::size_t count);

} // namespace headroom::chart
