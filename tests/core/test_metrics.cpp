// routing/metrics.h against worked examples: accuracy, as-scored accuracy, cost,
// latency, shares, gaps, P1's classifier upper bound, APGR and CPT(50/80%), Pareto
// points, the non-decreasing convex hull and AIQ; degenerate inputs.
#include "core/routing/metrics.h"

#include "test_support.h"

#include <cmath>

using namespace headroom;
using namespace headroom::test;

namespace {

// Four queries, three models.
const label_matrix four = matrix(3, {1, 0, 1,  //
                                     0, 1, 0,  //
                                     0, 0, 0,  //
                                     1, 1, 0});
const std::vector<std::uint32_t> all4{0, 1, 2, 3};
const std::vector<double> cost3{1, 2, 10}, latency3{100, 200, 300};
const std::vector<std::uint16_t> firsts(4, 0);  // model 0 as every row's best single

} // namespace

TEST_CASE("metrics: one decision scored by hand", "[metrics]") {
    routing_decision d;
    d.chosen = {2, 0, 1, 1};          // labels 1, 0, 0, 1
    d.scored = {2, 1, 0, 1};          // labels 1, 1, 0, 1
    d.scored_as_wrong = {0, 0, 0, 0};
    const auto m = score_decision(four, all4, d, firsts, cost3, latency3);
    CHECK(m.queries == 4);
    CHECK(m.accuracy == 0.5);
    CHECK(m.accuracy_as_scored == 0.75);
    CHECK(m.cost == Approx((10 + 1 + 2 + 2) / 4.0));
    CHECK(m.latency_ms == Approx(200));
    CHECK(m.share == std::vector<double>{0.25, 0.5, 0.25});
    CHECK(m.top_share == 0.5);
    CHECK(m.top_model == 1);
    CHECK(m.oracle == 0.75);
    CHECK(m.best_single == 0.5);  // model 0: 1, 0, 0, 1
    CHECK(m.gap_to_oracle == 0.25);
    CHECK(m.gap_to_best_single == 0.0);

    d.scored_as_wrong = {0, 1, 0, 1};  // P1's gate strikes out two rows
    CHECK(score_decision(four, all4, d, firsts, cost3, latency3).accuracy_as_scored == 0.25);

    // A subset of rows, out of order.
    routing_decision two;
    two.chosen = two.scored = {0, 1};
    two.scored_as_wrong = {0, 0};
    const std::vector<std::uint32_t> rows{3, 1};
    const auto s = score_decision(four, rows, two, std::vector<std::uint16_t>{2, 2}, cost3, latency3);
    CHECK(s.accuracy == 1.0);
    CHECK(s.best_single == 0.0);  // model 2 solves neither
    CHECK(s.gap_to_best_single == -1.0);
}

TEST_CASE("metrics: degenerate decisions", "[metrics]") {
    routing_decision none;
    const auto empty = score_decision(four, {}, none, {}, cost3, latency3);
    CHECK(empty.queries == 0);
    CHECK(empty.accuracy == 0);
    CHECK(empty.share == std::vector<double>{0, 0, 0});

    routing_decision d;
    d.chosen = d.scored = {0, 0, 0, 0};
    d.scored_as_wrong = {0, 0, 0, 0};
    const auto zeros = matrix(3, std::vector<double>(12, 0.0));
    const auto m0 = score_decision(zeros, all4, d, firsts, cost3, latency3);
    CHECK(m0.accuracy == 0);
    CHECK(m0.oracle == 0);
    CHECK(m0.top_share == 1.0);
    const auto ones = matrix(3, std::vector<double>(12, 1.0));
    CHECK(score_decision(ones, all4, d, std::vector<std::uint16_t>(4, 1), cost3, latency3).gap_to_oracle == 0);

    d.chosen.pop_back();
    CHECK_THROWS_AS(score_decision(four, all4, d, firsts, cost3, latency3), std::invalid_argument);
}

TEST_CASE("metrics: P1's classifier upper bound", "[metrics]") {
    confidence_matrix c;
    c.rows = 4;
    c.models = 3;
    c.value = {0.6, 0.2, 0.4,   // model 0 predicted capable and solves it
               0.9, 0.4, 0.1,   // model 0 predicted capable but fails; model 1 solves, unpredicted
               0.9, 0.9, 0.9,   // nobody solves it
               0.1, 0.5, 0.0};  // model 1 at exactly 0.5 counts
    CHECK(classifier_upper_bound(four, all4, c) == 0.5);
    c.rows = 3;
    CHECK_THROWS_AS(classifier_upper_bound(four, all4, c), std::invalid_argument);
}

TEST_CASE("metrics: the strong-weak sweep, APGR and CPT", "[metrics]") {
    // Weak model 0 solves r2; strong model 1 solves r0 and r1: gap one query.
    const auto l = matrix(2, {0, 1,  //
                              0, 1,  //
                              1, 0,  //
                              0, 0});
    SECTION("a worked ranking") {
        // Order by score: r0, r2, r3, r1. PGR after k calls: 0, 1, 0, 0, 1.
        const std::vector<double> score{0.9, 0.1, 0.5, 0.3};
        const auto s = sweep_strong_weak(l, all4, score, 0, 1);
        CHECK(s.weak_accuracy == 0.25);
        CHECK(s.strong_accuracy == 0.5);
        // Trapezoids of width 1/4: (0+1)/2 + (1+0)/2 + 0 + (0+1)/2 = 1.5, over 4.
        CHECK(s.apgr == Approx(0.375));
        CHECK(s.cpt50 == 0.25);
        CHECK(s.cpt80 == 0.25);
        CHECK(s.call_share == std::vector<double>{0, 0.25, 0.5, 0.75, 1});
        CHECK(s.pgr == std::vector<double>{0, 1, 0, 0, 1});
    }
    SECTION("the worst ranking needs every call") {
        // r2 first (loses a query), r3, then r1 and r0: PGR 0, -1, -1, 0, 1.
        const std::vector<double> score{0.1, 0.2, 0.9, 0.5};
        const auto s = sweep_strong_weak(l, all4, score, 0, 1);
        CHECK(s.apgr == Approx((-0.5 - 1 - 0.5 + 0.5) / 4));
        CHECK(s.cpt50 == 1.0);
        CHECK(s.cpt80 == 1.0);
    }
    SECTION("ties go to the earlier row") {
        const std::vector<double> score{0.5, 0.5, 0.5, 0.5};  // r0, r1, r2, r3: PGR 0, 1, 2, 1, 1
        const auto s = sweep_strong_weak(l, all4, score, 0, 1);
        CHECK(s.pgr == std::vector<double>{0, 1, 2, 1, 1});
        CHECK(s.cpt50 == 0.25);
    }
    SECTION("no gap: undefined") {
        const auto s = sweep_strong_weak(l, all4, std::vector<double>{1, 2, 3, 4}, 1, 1);
        CHECK(std::isnan(s.apgr));
        CHECK(std::isnan(s.cpt50));
        const auto reversed = sweep_strong_weak(l, all4, std::vector<double>{1, 2, 3, 4}, 1, 0);
        CHECK(std::isnan(reversed.apgr));
    }
    SECTION("no rows: undefined") {
        CHECK(std::isnan(sweep_strong_weak(l, {}, {}, 0, 1).apgr));
    }
}

TEST_CASE("metrics: Pareto points, the non-decreasing convex hull and AIQ", "[metrics]") {
    const std::vector<cost_quality_point> points{{1, 0.5}, {2, 0.6}, {3, 0.9}, {4, 0.85}, {2, 0.4}, {5, 0.9}};
    // (2, 0.4) is beaten by (2, 0.6); (4, 0.85) and (5, 0.9) by (3, 0.9).
    CHECK(pareto_points(points) == std::vector<cost_quality_point>{{1, 0.5}, {2, 0.6}, {3, 0.9}});
    // (2, 0.6) lies under the segment (1, 0.5)-(3, 0.9), which passes 0.7 at cost 2.
    CHECK(upper_hull(points) == std::vector<cost_quality_point>{{1, 0.5}, {3, 0.9}});
    // Over [1, 5]: a ramp 0.5 -> 0.9 over [1, 3] (area 1.4), then 0.9 over [3, 5] (1.8).
    CHECK(aiq(points, 1, 5) == Approx(3.2 / 4));
    // Over [0, 5]: nothing before cost 1.
    CHECK(aiq(points, 0, 5) == Approx(3.2 / 5));
    // Over [2, 4]: 0.7 -> 0.9 over [2, 3], then 0.9.
    CHECK(aiq(points, 2, 4) == Approx(1.7 / 2));
    // A collinear middle point is not a hull vertex.
    const std::vector<cost_quality_point> line{{1, 0.5}, {2, 0.6}, {3, 0.7}};
    CHECK(upper_hull(line) == std::vector<cost_quality_point>{{1, 0.5}, {3, 0.7}});
    // One point; no points; an empty range.
    const std::vector<cost_quality_point> one{{2, 0.8}};
    CHECK(aiq(one, 1, 3) == Approx(0.4));
    CHECK(aiq(std::vector<cost_quality_point>{}, 1, 3) == 0);
    CHECK(aiq(one, 2, 2) == 0.8);
    CHECK(aiq(one, 1, 1) == 0);
}
