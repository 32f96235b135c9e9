// The cost-quality frontier of a set of (cost, quality) points: the Pareto front
// (no other point is both cheaper and better) and its upper convex hull, the
// frontier a router can reach by mixing two points at random (RouterBench's AIQ
// is the area under it).
#pragma once
#include <cstddef>
#include <vector>

namespace headroom::chart {

struct point {
    double x = 0, y = 0;  // cost, quality
};

// Indices of the points on the Pareto front, by ascending cost: a point is on it when
// no other point has lower-or-equal cost and higher quality (ties keep the cheaper,
// then the first).
std::vector<std::size_t> pareto_front(const std::vector<point>& points);

// Indices of the upper convex hull's vertices over the Pareto front, by ascending
// cost: the front with every point below a segment between two others removed.
std::vector<std::size_t> upper_hull(const std::vector<point>& points);

// Quality of the hull at cost x, by linear interpolation; flat after its last vertex
// (spending more than the best point needs gains nothing) and undefined (returns
// false) before its first.
bool hull_quality_at(const std::vector<point>& points, const std::vector<std::size_t>& hull, double x, double& y);

} // namespace headroom::chart
