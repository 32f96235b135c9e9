// routing/baselines and routing/choice: random, best-single, cheapest and oracle as
// confidences, the argmax choice and its evaluation; names and parsing of router.h.
#include "core/features/feature_cache.h"
#include "core/routing/choice.h"
#include "core/routing/router.h"

#include "test_support.h"

#include <set>
#include <stdexcept>
#include <string>
#include <string_view>

using namespace headroom;
using headroom::test::matrix;

namespace {

struct fixture {
    study s;
    label_matrix labels;
    std::vector<std::uint32_t> train, test;
    feature_cache cache{s};

    routing_task task(std::uint64_t seed = 1) const {
        routing_task t;
        t.s = &s;
        t.labels = &labels;
        t.train = train;
        t.test = test;
        t.seed = seed;
        return t;
    }
    confidence_matrix run(router_kind r, std::uint64_t seed = 1) { return run_router(r, task(seed), {}, cache); }
};

} // namespace

TEST_CASE("routing: best-single gives training accuracies, oracle the test labels", "[routing][baselines]") {
    // Six queries, three models. Train on rows 0-3 (model 1 best there), test on rows 4-5
    // where model 2 is the only one that solves anything.
    fixture f;
    f.labels = matrix(3, {
        0, 1, 0,   // q0 train
        1, 1, 0,   // q1 train
        0, 1, 1,   // q2 train
        0, 0, 0,   // q3 train
        0, 0, 1,   // q4 test
        1, 0, 1,   // q5 test
    });
    f.train = {0, 1, 2, 3};
    f.test = {4, 5};

    const auto best = f.run(router_kind::best_single);
    REQUIRE(best.rows == 2);
    REQUIRE(best.models == 3);
    CHECK(best.value == std::vector<double>{.25, .75, .25, .25, .75, .25});
    CHECK(argmax_choice(best) == std::vector<std::uint16_t>{1, 1});
    const auto e_best = evaluate_routing(f.labels, f.test, argmax_choice(best));
    CHECK(e_best.accuracy == 0);
    CHECK(e_best.share == std::vector<double>{0, 1, 0});
    CHECK(e_best.top_share == 1);

    const auto oracle = f.run(router_kind::oracle);
    CHECK(oracle.value == std::vector<double>{0, 0, 1, 1, 0, 0});
    CHECK(argmax_choice(oracle) == std::vector<std::uint16_t>{2, 0});  // q5: models 0 and 2 cost the same
    const auto e_oracle = evaluate_routing(f.labels, f.test, argmax_choice(oracle));
    CHECK(e_oracle.accuracy == 1);
    CHECK(e_oracle.share == std::vector<double>{.5, 0, .5});
    CHECK(e_oracle.top_share == .5);
}

TEST_CASE("routing: the oracle takes each query's cheapest solver, whatever the model order", "[routing][baselines]") {
    fixture f;
    f.labels = matrix(3, {
        1, 1, 1,   // q0 train
        1, 0, 1,   // q1 test: models 0 and 2 solve it
        0, 1, 1,   // q2 test: models 1 and 2
        0, 0, 0,   // q3 test: nobody
    });
    f.train = {0};
    f.test = {1, 2, 3};
    auto t = f.task();
    t.model_cost = {5.0, 3.0, 1.0};
    CHECK(run_router(router_kind::oracle, t, {}, f.cache).value == std::vector<double>{0, 0, 1, 0, 0, 1, 0, 0, 0});
    t.model_cost = {1.0, 3.0, 5.0};
    const auto reversed = run_router(router_kind::oracle, t, {}, f.cache);
    CHECK(reversed.value == std::vector<double>{1, 0, 0, 0, 1, 0, 0, 0, 0});
    const auto e = evaluate_routing(f.labels, f.test, argmax_choice(reversed));
    CHECK(e.accuracy == Approx(2.0 / 3));
}

TEST_CASE("routing: cheapest is one-hot on the lowest cost, first on ties, list price by default",
          "[routing][baselines]") {
    fixture f;
    f.labels = matrix(3, {1, 0, 0, 0, 1, 1});
    f.train = {0};
    f.test = {1};
    auto t = f.task();
    t.model_cost = {3.0, 1.0, 1.0};
    CHECK(run_router(router_kind::cheapest, t, {}, f.cache).value == std::vector<double>{0, 1, 0});
    t.model_cost = {3.0, 1.0};
    CHECK_THROWS_AS(run_router(router_kind::cheapest, t, {}, f.cache), std::invalid_argument);

    // Without costs: the models' list prices (input + output per million tokens).
    f.s.models = {{"a", "f", 0, 2, 8, 0, "", ""}, {"b", "f", 1, 1, 4, 0, "", ""}, {"c", "f", 2, 1, 5, 0, "", ""}};
    CHECK(f.run(router_kind::cheapest).value == std::vector<double>{0, 1, 0});
}

TEST_CASE("routing: random is seeded, one-hot, in range and spreads its picks", "[routing][baselines]") {
    fixture f;
    std::vector<double> values(400 * 4, 0.0);
    for (std::size_t q = 0; q < 400; ++q) values[q * 4 + q % 4] = 1;  // each query solved by one model
    f.labels = matrix(4, values);
    for (std::uint32_t q = 0; q < 400; ++q) f.test.push_back(q);
    const auto a = f.run(router_kind::random, 7);
    CHECK(a.value == f.run(router_kind::random, 7).value);
    CHECK(a.value != f.run(router_kind::random, 8).value);
    for (std::size_t r = 0; r < a.rows; ++r) {
        double sum = 0;
        for (std::size_t m = 0; m < a.models; ++m) {
            CHECK((a.at(r, m) == 0 || a.at(r, m) == 1));
            sum += a.at(r, m);
        }
        CHECK(sum == 1);
    }
    const auto e = evaluate_routing(f.labels, f.test, argmax_choice(a));
    for (double share : e.share) CHECK(share == Approx(.25).margin(.08));
    CHECK(e.accuracy == Approx(.25).margin(.08));
}

TEST_CASE("routing: empty splits, no models, all-zero labels", "[routing][baselines][degenerate]") {
    fixture f;
    f.labels = matrix(2, {1, 0, 0, 0});
    f.train = {0};
    auto best = f.run(router_kind::best_single);  // no test rows
    CHECK(best.rows == 0);
    CHECK(best.value.empty());
    const auto e = evaluate_routing(f.labels, f.test, argmax_choice(best));
    CHECK(e.accuracy == 0);
    CHECK(e.share == std::vector<double>{0, 0});

    f.train.clear();  // no training rows: every training accuracy is 0, the first model wins ties
    f.test = {0, 1};
    best = f.run(router_kind::best_single);
    CHECK(best.value == std::vector<double>{0, 0, 0, 0});
    CHECK(argmax_choice(best) == std::vector<std::uint16_t>{0, 0});

    fixture none;
    none.labels.queries = 1;
    none.test = {0};
    for (auto r : {router_kind::random, router_kind::best_single, router_kind::cheapest, router_kind::oracle}) {
        const auto c = none.run(r);
        CHECK(c.rows == 1);
        CHECK(c.models == 0);
        CHECK(argmax_choice(c) == std::vector<std::uint16_t>{0});
    }
}

TEST_CASE("routing: router and feature names round-trip, unknown names are errors", "[routing]") {
    CHECK(all_router_kinds().size() == 11);
    for (auto r : all_router_kinds()) CHECK(parse_router_kind(to_string(r)) == r);
    for (std::size_t i = 0; i < all_router_kinds().size(); ++i) CHECK(router_position(all_router_kinds()[i]) == i);
    CHECK(to_string(router_kind::best_single) == "best-single");
    CHECK(to_string(router_kind::matrix_factorisation) == "matrix-factorisation");
    CHECK(all_feature_kinds().size() == 4);
    for (auto f : all_feature_kinds()) CHECK(parse_feature_kind(to_string(f)) == f);
    CHECK_THROWS_WITH(parse_router_kind("bogus"), Catch::Contains("unknown router 'bogus'") && Catch::Contains("kmeans"));
    CHECK_THROWS_AS(parse_feature_kind("bert"), std::invalid_argument);
    routing_task t;
    study s;
    feature_cache cache(s);
    CHECK_THROWS_AS(run_router(router_kind::oracle, t, {}, cache), std::invalid_argument);  // no labels
}

TEST_CASE("routing: the routers table gives every router a name, a help line and a run", "[routing]") {
    const std::string help = routers_help();
    std::set<std::string_view> names;
    for (const auto& entry : router_table()) {
        INFO(entry.name);
        CHECK(&router_info(entry.kind) == &entry);
        CHECK(names.insert(entry.name).second);
        CHECK(entry.help.size() > 20);
        CHECK(entry.run != nullptr);
        // The CLI's help lists each router with its line.
        CHECK_THAT(help, Catch::Contains("  " + std::string(entry.name) + " ") && Catch::Contains(std::string(entry.help)));
    }
    CHECK(names.size() == all_router_kinds().size());
    // The baselines read no text; every other router learns from it.
    for (auto r : {router_kind::random, router_kind::best_single, router_kind::cheapest, router_kind::oracle})
        CHECK_FALSE(router_info(r).learns_from_text);
    CHECK(router_info(router_kind::kmeans).learns_from_text);
}
