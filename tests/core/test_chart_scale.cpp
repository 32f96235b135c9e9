// chart/scale.h: linear scales, nice ticks and tick labels.
#include "core/chart/scale.h"

#include <catch2/catch.hpp>

using namespace headroom::chart;

TEST_CASE("a linear scale maps and inverts, including a flipped y axis", "[chart]") {
    const linear_scale x{0, 100, 50, 550};
    CHECK(x.map(0) == 50);
    CHECK(x.map(100) == 550);
    CHECK(x.map(25) == 175);
    CHECK(x.invert(175) == 25);
    const linear_scale y{0, 1, 400, 100};  // up is smaller pixels
    CHECK(y.map(0) == 400);
    CHECK(y.map(1) == 100);
    CHECK(y.map(0.5) == 250);
    CHECK(y.invert(100) == 1);
    // A degenerate domain cannot divide by zero: everything lands mid-range.
    const linear_scale flat{3, 3, 0, 10};
    CHECK(flat.map(3) == 5);
    CHECK(flat.map(100) == 5);
}

TEST_CASE("nice ticks step by 1, 2 or 5 times a power of ten", "[chart]") {
    const ticks a = nice_ticks(0, 100, 5);
    CHECK(a.step == 20);
    CHECK(a.decimals == 0);
    REQUIRE(a.values.size() == 6);
    CHECK(a.values.front() == 0);
    CHECK(a.values.back() == 100);

    const ticks b = nice_ticks(0.013, 0.187, 4);  // span .174 / 4 = .0435 -> .05
    CHECK(b.step == Approx(0.05));
    CHECK(b.decimals == 2);
    REQUIRE(b.values.size() == 3);
    CHECK(b.values[0] == Approx(0.05));
    CHECK(b.values[2] == Approx(0.15));

    const ticks c = nice_ticks(-3, 7, 10);
    CHECK(c.step == 1);
    CHECK(c.values.size() == 11);
    CHECK(c.values.front() == -3);

    // Reversed bounds are the same axis; a single value still gets an axis around it.
    CHECK(nice_ticks(100, 0, 5).values == a.values);
    const ticks one = nice_ticks(42, 42, 5);
    CHECK(!one.values.empty());
    CHECK(one.values.front() <= 42);
    CHECK(one.values.back() >= 42);
}

TEST_CASE("nice extents end on ticks, tick labels drop a negative zero", "[chart]") {
    const extent e = nice_extent(3.2, 87.1, 5);
    CHECK(e.lo == 0);
    CHECK(e.hi == 100);
    const extent n = nice_extent(-0.65, 18.0, 5);
    CHECK(n.lo == -5);
    CHECK(n.hi == 20);
    CHECK(format_tick(0.05, 2) == "0.05");
    CHECK(format_tick(-0.0001, 2) == "0.00");
    CHECK(format_tick(-5, 0) == "-5");
    CHECK(format_tick(20, 0) == "20");
}
