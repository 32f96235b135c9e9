// labels/summary.h: best single B, oracle O, unsolvable U = 1 - O, headroom H = O - B.
//
// The tiny fixture (tests/core/fixtures/tiny), by hand. One sample per pair, so every
// protocol is greedy. From the grades in test_grade.cpp (1 = the answer equals the gold):
//
//   strict, budget 16 (the naive protocol)     lenient, budget 64 (the corrected protocol)
//          small  mid  big                            small  mid  big
//     q1     1     0    0   (mid: no letter;     q1     1     1    1
//     q2     0     0    1    big: cut, D left)   q2     0     1    0   (big changes its mind)
//     q3     1     0    0   (strict reads 250)   q3     1     0    1
//     q4     0     0    0                        q4     0     1    0   (forty-two)
//
//   naive, all:   accuracy .50 .00 .25 -> B = .50 (m-small); O = (1+1+1+0)/4 = .75;
//                 U = .25; H = .25
//   naive, quiz (q1,q2): .50 .00 .50 -> B = .50 (m-small, first of a tie); O = 1; U = 0; H = .50
//   naive, sums (q3,q4): .50 .00 .00 -> B = .50 (m-small); O = .50; U = .50; H = 0
//   corrected, all:  .50 .75 .50 -> B = .75 (m-mid); O = 1; U = 0; H = .25
//   corrected, quiz: .50 1.0 .50 -> B = 1 (m-mid); O = 1; U = 0; H = 0
//   corrected, sums: .50 .50 .50 -> B = .50 (m-small, first of a three-way tie); O = 1; U = 0; H = .50
//
//   The two mixed protocols (for the decomposition):
//   strict, budget 64:   q1 1 0 0 / q2 0 1 0 / q3 1 0 0 / q4 0 0 0
//                        -> .50 .25 .00; B = .50; O = .75; H = .25
//   lenient, budget 16:  q1 1 1 0 / q2 0 0 1 / q3 1 0 1 / q4 0 0 0   (q4 mid reads "forty-" as 40)
//                        -> .50 .25 .50; B = .50 (m-small); O = .75; H = .25
// All of these are multiples of 1/4, exact in binary, so they are compared exactly.
#include "core/labels/summary.h"

#include "core/grading/grade.h"
#include "core/io/study_io.h"

#include "test_support.h"

using namespace headroom;
using namespace headroom::test;

namespace {

struct tiny {
    tiny() : s(load()), index(s) {}
    static study load() {
        study s = load_study_dir(fixture("tiny"));
        grade_extractions(s);
        return s;
    }
    label_matrix labels(const char* settings) const {
        return compute_labels(s, index, parse_protocol(settings, naive_protocol(s)));
    }
    study s;
    study_index index;
};

void check_summary(const headroom_summary& h, std::vector<double> accuracy, std::size_t best_model, double best,
                   double oracle, double unsolvable, double headroom) {
    CHECK(h.model_accuracy == accuracy);
    CHECK(h.best_model == best_model);
    CHECK(h.best_single == best);
    CHECK(h.oracle == oracle);
    CHECK(h.unsolvable == unsolvable);
    CHECK(h.headroom == headroom);
}

} // namespace

TEST_CASE("headroom: the tiny fixture under the naive and corrected protocols, by hand", "[headroom]") {
    tiny t;
    REQUIRE(naive_protocol(t.s) == parse_protocol("budget=16 extractor=strict aggregate=greedy", protocol{}));
    const auto naive = compute_labels(t.s, t.index, naive_protocol(t.s));
    const auto corrected = compute_labels(t.s, t.index, corrected_protocol(t.s));
    CHECK(naive.value == std::vector<double>{1, 0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0});
    CHECK(corrected.value == std::vector<double>{1, 1, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0});

    const std::vector<std::uint32_t> quiz{0, 1}, sums{2, 3};
    check_summary(summarize(naive, all_rows(naive)), {.5, 0, .25}, 0, .5, .75, .25, .25);
    check_summary(summarize(naive, quiz), {.5, 0, .5}, 0, .5, 1, 0, .5);
    check_summary(summarize(naive, sums), {.5, 0, 0}, 0, .5, .5, .5, 0);
    check_summary(summarize(corrected, all_rows(corrected)), {.5, .75, .5}, 1, .75, 1, 0, .25);
    check_summary(summarize(corrected, quiz), {.5, 1, .5}, 1, 1, 1, 0, 0);
    check_summary(summarize(corrected, sums), {.5, .5, .5}, 0, .5, 1, 0, .5);
}

TEST_CASE("headroom: the tiny fixture under the mixed protocols, by hand", "[headroom]") {
    tiny t;
    const auto strict64 = t.labels("budget=64");
    CHECK(strict64.value == std::vector<double>{1, 0, 0, 0, 1, 0, 1, 0, 0, 0, 0, 0});
    check_summary(summarize(strict64, all_rows(strict64)), {.5, .25, 0}, 0, .5, .75, .25, .25);
    const auto lenient16 = t.labels("extractor=lenient");
    CHECK(lenient16.value == std::vector<double>{1, 1, 0, 0, 0, 1, 1, 0, 1, 0, 0, 0});
    check_summary(summarize(lenient16, all_rows(lenient16)), {.5, .25, .5}, 0, .5, .75, .25, .25);
}

TEST_CASE("headroom: summarize on hand-made matrices", "[headroom]") {
    SECTION("fractional labels (pass@k, mean) and the oracle's per-query maximum") {
        // q0: .2 .9 ; q1: .6 .1 ; q2: 1 0 ; q3: 0 0
        const auto l = matrix(2, {.2, .9, .6, .1, 1, 0, 0, 0});
        const auto h = summarize(l, all_rows(l));
        CHECK(h.queries == 4);
        CHECK(h.model_accuracy[0] == Approx(1.8 / 4));
        CHECK(h.model_accuracy[1] == Approx(1.0 / 4));
        CHECK(h.best_model == 0);
        CHECK(h.best_single == Approx(.45));
        CHECK(h.oracle == Approx((.9 + .6 + 1 + 0) / 4));
        CHECK(h.unsolvable == Approx(1 - .625));
        CHECK(h.headroom == Approx(.625 - .45));
    }
    SECTION("a subset of rows, in any order") {
        const auto l = matrix(3, {1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0});
        const std::vector<std::uint32_t> rows{2, 0};
        const auto h = summarize(l, rows);
        CHECK(h.queries == 2);
        CHECK(h.model_accuracy == std::vector<double>{.5, 0, .5});
        CHECK(h.best_model == 0);
        CHECK(h.oracle == 1);
        CHECK(h.headroom == .5);
    }
    SECTION("identical models have no headroom; complementary ones have the most") {
        const auto same = matrix(2, {1, 1, 0, 0, 1, 1, 0, 0});
        CHECK(summarize(same, all_rows(same)).headroom == 0);
        CHECK(summarize(same, all_rows(same)).unsolvable == .5);
        const auto complementary = matrix(2, {1, 0, 0, 1, 1, 0, 0, 1});
        CHECK(summarize(complementary, all_rows(complementary)).headroom == .5);
        CHECK(summarize(complementary, all_rows(complementary)).oracle == 1);
    }
    SECTION("the best model is the first of equals, and later better ones win") {
        const auto l = matrix(4, {0, 1, 1, 0, 0, 0, 1, 1});
        const auto h = summarize(l, all_rows(l));
        CHECK(h.model_accuracy == std::vector<double>{0, .5, 1, .5});
        CHECK(h.best_model == 2);
        const auto tie = matrix(3, {0, 1, 1});
        CHECK(summarize(tie, all_rows(tie)).best_model == 1);
    }
    SECTION("no rows or no models: zeros, not NaN") {
        const auto l = matrix(2, {1, 0});
        const auto h = summarize(l, std::vector<std::uint32_t>{});
        CHECK(h.queries == 0);
        CHECK(h.model_accuracy == std::vector<double>{0, 0});
        CHECK(h.oracle == 0);
        CHECK(h.headroom == 0);
        label_matrix none;
        none.queries = 3;
        const auto rows = all_rows(none);
        CHECK(rows == std::vector<std::uint32_t>{0, 1, 2});
        CHECK(summarize(none, rows).model_accuracy.empty());
    }
}
