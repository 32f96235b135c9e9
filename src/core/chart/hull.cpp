#include "core/chart/hull.h"

#include <algorithm>
#include <numeric>

namespace headroom::chart {

std::vector<std::size_t> pareto_front(const std::vector<point>& points) {
    std::vector<std::size_t> order(points.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    // Cheapest first; at equal cost the best first, so it is the one kept.
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        if (points[a].x != points[b].x) return points[a].x < points[b].x;
        return points[a].y > points[b].y;
    });
    std::vector<std::size_t> front;
    for (std::size_t i : order)
        if (front.empty() || points[i].y > points[front.back()].y) front.push_back(i);
    return front;
}

std::vector<std::size_t> upper_hull(const std::vector<point>& points) {
    std::vector<std::size_t> hull;
    for (std::size_t i : pareto_front(points)) {
        // Andrew's monotone chain, upper half: drop the last vertex while it lies on or
        // below the segment from the one before it to the new point.
        while (hull.size() >= 2) {
            const point& a = points[hull[hull.size() - 2]];
            const point& b = points[hull.back()];
            const point& c = points[i];
            const double cross = (b.x - a.x) * (c.y - a.y) - (b.y - a.y) * (c.x - a.x);
            if (cross < 0) break;  // b is strictly above a-c: a right turn, keep it
            hull.pop_back();
        }
        hull.push_back(i);
    }
    return hull;
}

bool hull_quality_at(const std::vector<point>& points, const std::vector<std::size_t>& hull, double x, double& y) {
    if (hull.empty() || x < points[hull.front()].x) return false;
    for (std::size_t k = 1; k < hull.size(); ++k) {
        const point& a = points[hull[k - 1]];
        const point& b = points[hull[k]];
        if (x <= b.x) {
            y = b.x == a.x ? b.y : a.y + (x - a.x) / (b.x - a.x) * (b.y - a.y);
            return true;
        }
    }
    y = points[hull.back()].y;
    return true;
}

} // namespace headroom::chart
