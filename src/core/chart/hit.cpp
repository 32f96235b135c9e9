#include "core/chart/hit.h"

#include <algorithm>
#include <cmath>

namespace headroom::chart {

double band_scale::slot_width() const { return count == 0 ? 0 : (x1 - x0) / static_cast<double>(count); }

double band_scale::bar_left(std::size_t i) const {
    return x0 + slot_width() * (static_cast<double>(i) + (1 - fill) / 2);
}

double band_scale::bar_right(std::size_t i) const { return bar_left(i) + slot_width() * fill; }

double band_scale::centre(std::size_t i) const { return x0 + slot_width() * (static_cast<double>(i) + 0.5); }

std::optional<std::size_t> band_scale::slot_at(double x) const {
    if (count == 0 || !(x >= x0) || !(x < x1)) return std::nullopt;
    const auto i = static_cast<std::size_t>((x - x0) / slot_width());
    return std::min(i, count - 1);
}

std::size_t band_scale::label_rows(const std::vector<double>& widths, double gap, std::size_t max_rows) const {
    std::size_t rows = 1;
    for (; rows < max_rows; ++rows) {
        // Labels i and i + rows share a row, rows slots apart.
        bool fits = true;
        for (std::size_t i = 0; i + rows < widths.size() && fits; ++i)
            fits = (widths[i] + widths[i + rows]) / 2 + gap <= static_cast<double>(rows) * slot_width();
        if (fits) break;
    }
    return rows;
}

std::optional<std::size_t> nearest_point(const std::vector<point>& pixels, double x, double y, double radius) {
    std::optional<std::size_t> best;
    double best_d2 = radius * radius;
    for (std::size_t i = 0; i < pixels.size(); ++i) {
        const double dx = pixels[i].x - x, dy = pixels[i].y - y;
        const double d2 = dx * dx + dy * dy;
        if (d2 <= best_d2 && (!best || d2 < best_d2)) {
            best = i;
            best_d2 = d2;
        }
    }
    return best;
}

std::vector<std::size_t> histogram(const std::vector<double>& values, double lo, double hi, std::size_t count) {
    std::vector<std::size_t> bins(count, 0);
    if (count == 0 || !(hi > lo)) return bins;
    for (double v : values) {
        if (!std::isfinite(v)) continue;
        const double t = (v - lo) / (hi - lo) * static_cast<double>(count);
        const auto i = t <= 0 ? std::size_t{0} : std::min(static_cast<std::size_t>(t), count - 1);
        ++bins[i];
    }
    return bins;
}

} // namespace headroom::chart
