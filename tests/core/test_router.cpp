// router.h and split.h: the seeded, stratified split and the baseline routers
// (random, best-single, oracle) with their evaluation (accuracy, shares, collapse).
#include "router.h"

#include "split.h"

#include "test_support.h"

#include <algorithm>
#include <set>

using namespace headroom;
using namespace headroom::test;

namespace {

label_matrix matrix(std::size_t models, std::vector<double> values) {
    label_matrix l;
    l.models = models;
    l.queries = values.size() / models;
    l.value = std::move(values);
    return l;
}

study study_with(std::size_t mcq_queries, std::size_t numeric_queries) {
    study_maker m;
    const auto a = m.benchmark("a", task_kind::mcq);
    const auto b = m.benchmark("b", task_kind::numeric);
    // Interleaved, so a split that ignored benchmarks would show.
    for (std::size_t i = 0; i < std::max(mcq_queries, numeric_queries); ++i) {
        if (i < mcq_queries) m.query("a" + std::to_string(i), a, "A");
        if (i < numeric_queries) m.query("b" + std::to_string(i), b, "1");
    }
    return m.s;
}

} // namespace

TEST_CASE("split: stratified by benchmark, disjoint, complete, sorted and seeded", "[router][split]") {
    const study s = study_with(20, 10);
    const auto split = split_queries(s, 0.3, 1);
    CHECK(split.test.size() == 6 + 3);
    CHECK(split.train.size() == 14 + 7);
    CHECK(std::is_sorted(split.train.begin(), split.train.end()));
    CHECK(std::is_sorted(split.test.begin(), split.test.end()));
    std::set<std::uint32_t> all(split.train.begin(), split.train.end());
    for (auto q : split.test) CHECK(all.insert(q).second);
    CHECK(all.size() == 30);
    CHECK(*all.rbegin() == 29);
    std::size_t test_a = 0;
    for (auto q : split.test) test_a += s.queries[q].benchmark == 0;
    CHECK(test_a == 6);

    const auto again = split_queries(s, 0.3, 1);
    CHECK(again.test == split.test);
    bool some_seed_differs = false;
    for (std::uint64_t seed = 2; seed < 6; ++seed) some_seed_differs |= split_queries(s, 0.3, seed).test != split.test;
    CHECK(some_seed_differs);

    CHECK(split_queries(s, 0.0, 1).test.empty());
    CHECK(split_queries(s, 1.0, 1).train.empty());
    // Rounding per benchmark: 0.25 * 10 = 2.5 rounds away from zero to 3; 0.25 * 20 = 5.
    CHECK(split_queries(s, 0.25, 1).test.size() == 5 + 3);
}

TEST_CASE("router: best-single picks the training winner and oracle the per-query best", "[router]") {
    // Six queries, three models. Train on rows 0-3 (model 1 best there), test on rows 4-5
    // where model 2 is the only one that solves anything.
    const auto labels = matrix(3, {
        0, 1, 0,   // q0 train
        1, 1, 0,   // q1 train
        0, 1, 1,   // q2 train
        0, 0, 0,   // q3 train
        0, 0, 1,   // q4 test
        1, 0, 1,   // q5 test
    });
    query_split split;
    split.train = {0, 1, 2, 3};
    split.test = {4, 5};

    const auto best = route_baseline(baseline_router::best_single, labels, split, 1);
    CHECK(best == std::vector<std::uint16_t>{1, 1});
    const auto e_best = evaluate_routing(labels, split.test, best);
    CHECK(e_best.accuracy == 0);
    CHECK(e_best.share == std::vector<double>{0, 1, 0});
    CHECK(e_best.top_share == 1);

    const auto oracle = route_baseline(baseline_router::oracle, labels, split, 1);
    CHECK(oracle == std::vector<std::uint16_t>{2, 0});  // q5: models 0 and 2 tie, the first wins
    const auto e_oracle = evaluate_routing(labels, split.test, oracle);
    CHECK(e_oracle.accuracy == 1);
    CHECK(e_oracle.share == std::vector<double>{.5, 0, .5});
    CHECK(e_oracle.top_share == .5);
}

TEST_CASE("router: random is seeded, in range and spreads its picks", "[router]") {
    std::vector<double> values(400 * 4, 0.0);
    for (std::size_t q = 0; q < 400; ++q) values[q * 4 + q % 4] = 1;  // each query solved by one model
    const auto labels = matrix(4, values);
    query_split split;
    for (std::uint32_t q = 0; q < 400; ++q) split.test.push_back(q);
    const auto a = route_baseline(baseline_router::random, labels, split, 7);
    const auto b = route_baseline(baseline_router::random, labels, split, 7);
    const auto c = route_baseline(baseline_router::random, labels, split, 8);
    CHECK(a == b);
    CHECK(a != c);
    const auto e = evaluate_routing(labels, split.test, a);
    for (double share : e.share) CHECK(share == Approx(.25).margin(.08));
    CHECK(e.accuracy == Approx(.25).margin(.08));
    double total = 0;
    for (double share : e.share) total += share;
    CHECK(total == Approx(1.0));
}

TEST_CASE("router: empty test sets and empty model lists do not divide by zero", "[router]") {
    const auto labels = matrix(2, {1, 0});
    query_split split;
    split.train = {0};
    const auto choice = route_baseline(baseline_router::best_single, labels, split, 1);
    CHECK(choice.empty());
    const auto e = evaluate_routing(labels, split.test, choice);
    CHECK(e.accuracy == 0);
    CHECK(e.share == std::vector<double>{0, 0});
    label_matrix none;
    none.queries = 1;
    split.test = {0};
    CHECK(route_baseline(baseline_router::random, none, split, 1) == std::vector<std::uint16_t>{0});
    CHECK(to_string(baseline_router::best_single) == "best-single");
    CHECK(to_string(baseline_router::random) == "random");
    CHECK(to_string(baseline_router::oracle) == "oracle");
}
