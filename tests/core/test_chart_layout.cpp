// chart/waterfall.h and chart/hit.h: waterfall bars, bands, nearest points, histograms.
#include "core/chart/hit.h"
#include "core/chart/waterfall.h"

#include <catch2/catch.hpp>

using namespace headroom::chart;

TEST_CASE("a waterfall runs from the start total through its steps to the end", "[chart]") {
    // Naive unsolvability 18, fixes -4.5, -0, -11.5, interactions +0.5 -> residual 2.5.
    const std::vector<waterfall_step> steps{
        {"truncation", -4.5, -5, -4}, {"format", 0, 0, 0}, {"judge", -11.5, -12, -11}, {"interactions", 0.5, 0, 1}};
    const auto bars = layout_waterfall("naive", 18, 17.5, 18.5, steps, "residual", 2.2, 2.8);
    REQUIRE(bars.size() == 6);
    CHECK(bars[0].total);
    CHECK(bars[0].from == 0);
    CHECK(bars[0].to == 18);
    CHECK(bars[1].from == 18);
    CHECK(bars[1].to == 13.5);
    CHECK(bars[3].from == 13.5);
    CHECK(bars[3].to == 2);
    CHECK(bars[4].to == 2.5);
    CHECK(bars[5].total);
    CHECK(bars[5].to == 2.5);
    CHECK(bars[5].low == 2.2);
    const waterfall_range r = range_of(bars);
    CHECK(r.lo == 0);
    CHECK(r.hi == 18.5);
}

TEST_CASE("a waterfall's range includes steps that dip below zero", "[chart]") {
    const auto bars = layout_waterfall("start", 1, 1, 1, {{"fix", -2, -3, -1}}, "end", -1, -1);
    const waterfall_range r = range_of(bars);
    CHECK(r.lo == -2);  // the step's low end: 1 + (-3)
    CHECK(r.hi == 1);
}

TEST_CASE("a band scale places bars and finds the slot under the mouse", "[chart]") {
    const band_scale b{100, 500, 4, 0.5};
    CHECK(b.slot_width() == 100);
    CHECK(b.bar_left(0) == 125);
    CHECK(b.bar_right(0) == 175);
    CHECK(b.centre(3) == 450);
    CHECK(b.slot_at(99).has_value() == false);
    CHECK(b.slot_at(100) == 0u);
    CHECK(b.slot_at(199.9) == 0u);
    CHECK(b.slot_at(200) == 1u);
    CHECK(b.slot_at(499.9) == 3u);
    CHECK(b.slot_at(500).has_value() == false);
}

TEST_CASE("labels wider than their slot alternate between rows", "[chart]") {
    const band_scale b{0, 400, 4, 0.5};  // slots 100 wide
    // Neighbours 90 and 95 wide with a gap of 6: (90 + 95) / 2 + 6 = 98.5 fits in 100.
    CHECK(b.label_rows({90, 95, 90, 95}, 6, 3) == 1);
    // One pair too wide for adjacent slots (110 + 90) / 2 + 6 > 100; two slots apart it fits.
    CHECK(b.label_rows({110, 90, 60, 60}, 6, 3) == 2);
    // Wider than two slots: three rows, and no more than max_rows however wide.
    CHECK(b.label_rows({250, 250, 250, 250}, 6, 3) == 3);
    CHECK(b.label_rows({900, 900, 900, 900}, 6, 3) == 3);
    CHECK(b.label_rows({900, 900}, 6, 1) == 1);
    // One label has no neighbour to run into.
    CHECK(band_scale{0, 50, 1, 0.5}.label_rows({400}, 6, 3) == 1);
}

TEST_CASE("the nearest point within a radius wins", "[chart]") {
    const std::vector<point> px{{10, 10}, {20, 10}, {100, 100}};
    CHECK(nearest_point(px, 14, 10, 8) == 0u);
    CHECK(nearest_point(px, 16, 10, 8) == 1u);
    CHECK(nearest_point(px, 15, 10, 8) == 0u);  // a tie goes to the first
    CHECK_FALSE(nearest_point(px, 60, 60, 8).has_value());
}

TEST_CASE("histogram bins count values, clamping the ends", "[chart]") {
    const auto bins = histogram({0, 0.1, 0.25, 0.5, 0.99, 1.0, -3, 7}, 0, 1, 4);
    // [0,.25): 0, .1, -3 | [.25,.5): .25 | [.5,.75): .5 | [.75,1]: .99, 1, 7
    CHECK(bins == std::vector<std::size_t>{3, 1, 1, 3});
    CHECK(histogram({1, 2}, 0, 0, 3) == std::vector<std::size_t>{0, 0, 0});
}
