// chart/hull.h: the Pareto front and the upper convex hull of (cost, quality) points.
#include "core/chart/hull.h"

#include <catch2/catch.hpp>

using namespace headroom::chart;
using indices = std::vector<std::size_t>;

TEST_CASE("the Pareto front keeps points no cheaper point beats", "[chart]") {
    //            0         1         2         3          4         5
    const std::vector<point> p{{1, 0.5}, {2, 0.7}, {3, 0.6}, {4, 0.75}, {5, 0.9}, {2, 0.4}};
    // 2 is beaten by 1 (cheaper, better); 5 by 0; the rest rise with cost.
    CHECK(pareto_front(p) == indices{0, 1, 3, 4});
    // Equal cost: the better one; equal everything: the first.
    CHECK(pareto_front({{1, 0.5}, {1, 0.6}}) == indices{1});
    CHECK(pareto_front({{1, 0.5}, {1, 0.5}}) == indices{0});
    CHECK(pareto_front({}).empty());
}

TEST_CASE("the upper hull drops front points under a chord", "[chart]") {
    //            0         1          2         3
    const std::vector<point> p{{0, 0}, {1, 0.8}, {2, 0.85}, {4, 1.0}};
    // 2 sits under the chord 1-3 (at x=2 the chord is .8 + .2/3 = .8667 > .85): dropped.
    CHECK(upper_hull(p) == indices{0, 1, 3});
    // A point exactly on a chord adds nothing and goes too.
    CHECK(upper_hull({{0, 0}, {1, 1}, {2, 2}}) == indices{0, 2});
    CHECK(upper_hull({{3, 0.5}}) == indices{0});
}

TEST_CASE("hull quality interpolates, is flat past the best point, undefined before the cheapest", "[chart]") {
    const std::vector<point> p{{0, 0}, {1, 0.8}, {4, 1.0}};
    const auto hull = upper_hull(p);
    double y = -1;
    REQUIRE(hull_quality_at(p, hull, 0.5, y));
    CHECK(y == Approx(0.4));
    REQUIRE(hull_quality_at(p, hull, 2.5, y));
    CHECK(y == Approx(0.9));
    REQUIRE(hull_quality_at(p, hull, 10, y));
    CHECK(y == 1.0);
    const std::vector<point> q{{1, 0.5}, {2, 0.7}};
    CHECK_FALSE(hull_quality_at(q, upper_hull(q), 0.5, y));
}
