// summary_intervals.h: bootstrap intervals of the headroom summary.
#include "core/stats/summary_intervals.h"

#include <catch2/catch.hpp>

using namespace headroom;

namespace {

label_matrix matrix(std::size_t queries, std::size_t models, std::vector<double> values) {
    label_matrix m;
    m.queries = queries;
    m.models = models;
    m.value = std::move(values);
    return m;
}

} // namespace

TEST_CASE("bootstrap intervals hold the point estimate and are ordered", "[summary_intervals]") {
    // 8 queries, 2 models: A solves 5, B solves 3, together 7.
    const auto labels = matrix(8, 2, {1, 0, 1, 1, 1, 0, 0, 1, 1, 0, 1, 0, 0, 0, 0, 1});
    const auto ci = bootstrap_summary(labels, all_rows(labels), 400, 0.9, 7);
    CHECK(ci.resamples == 400);
    CHECK(ci.model_accuracy[0].value == 5.0 / 8);
    CHECK(ci.model_accuracy[1].value == 3.0 / 8);
    CHECK(ci.oracle.value == 7.0 / 8);
    CHECK(ci.best_single.value == 5.0 / 8);
    CHECK(ci.headroom.value == 2.0 / 8);
    CHECK(ci.unsolvable.value == 1.0 / 8);
    for (const interval& iv : {ci.model_accuracy[0], ci.oracle, ci.best_single, ci.headroom}) {
        CHECK(iv.low <= iv.value);
        CHECK(iv.value <= iv.high);
        CHECK(iv.low < iv.high);  // 8 queries leave real uncertainty
    }
    CHECK(ci.unsolvable.low == Approx(1 - ci.oracle.high));
}

TEST_CASE("sliced runs equal one run, no rows or no variance give a point", "[summary_intervals]") {
    const auto labels = matrix(6, 2, {1, 0, 0, 1, 1, 1, 0, 0, 1, 0, 0, 1});
    summary_bootstrap sliced(labels, all_rows(labels), 100, 0.95, 3);
    CHECK(sliced.run(30) == 70);
    CHECK_FALSE(sliced.done());
    CHECK(sliced.run(1000) == 0);
    CHECK(sliced.done());
    const auto a = sliced.result();
    const auto b = bootstrap_summary(labels, all_rows(labels), 100, 0.95, 3);
    CHECK(a.oracle.low == b.oracle.low);
    CHECK(a.headroom.high == b.headroom.high);

    const auto none = bootstrap_summary(labels, {}, 100);
    CHECK(none.resamples == 0);
    const auto solid = matrix(3, 1, {1, 1, 1});
    const auto flat = bootstrap_summary(solid, all_rows(solid), 50);
    CHECK(flat.oracle.low == 1);
    CHECK(flat.oracle.high == 1);
}
