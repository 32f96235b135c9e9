// stats/interval.h: the one percentile rule (nearest rank of q (n - 1)) every bootstrap
// interval and the judge-bias quartiles use, by hand.
#include "core/stats/interval.h"

#include <catch2/catch.hpp>

#include <vector>

using namespace headroom;

TEST_CASE("interval: nearest rank of q (n - 1), halves rounded up", "[interval]") {
    const std::vector<double> v{10, 20, 30, 40, 50};
    CHECK(percentile_of_sorted(v, 0.0) == 10);
    CHECK(percentile_of_sorted(v, 0.125) == 20);  // rank 0.5 rounds up
    CHECK(percentile_of_sorted(v, 0.1) == 10);    // rank 0.4
    CHECK(percentile_of_sorted(v, 0.5) == 30);
    CHECK(percentile_of_sorted(v, 1.0) == 50);
    CHECK(percentile_of_sorted({}, 0.5) == 0);
}

TEST_CASE("interval: bounds of the draws around the estimate, none without draws", "[interval]") {
    std::vector<double> draws;
    for (int i = 100; i >= 0; --i) draws.push_back(i / 100.0);  // 0.00 .. 1.00, unsorted
    const interval iv = percentile_interval(0.42, draws, 0.9);
    CHECK(iv.value == 0.42);
    CHECK(iv.low == 0.05);   // rank 0.05 * 100 = 5
    CHECK(iv.high == 0.95);  // rank 95
    std::vector<double> none;
    const interval flat = percentile_interval(0.3, none, 0.95);
    CHECK(flat.low == 0.3);
    CHECK(flat.high == 0.3);
}
