// routing/evaluate.h on a hand-made study whose labels are known by construction:
// folds, pooled k-fold scoring, per-benchmark numbers, the label-noise cost of the
// best-single router, the oracle's ceiling, the cost sweep, an empty training split,
// and the JSON the CLI and the app share.
#include "core/routing/evaluate.h"

#include "core/features/feature_cache.h"
#include "core/routing/router.h"

#include "test_support.h"

#include <nlohmann/json.hpp>
#include <cmath>
#include <set>

using namespace headroom;
using namespace headroom::test;

namespace {

// 30 queries, even ones in benchmark "a" (mcq), odd ones in "b" (numeric); budgets 64
// and 256, each generation graded strict and lenient with the same verdict.
//   m0 (cheap):  solves even queries everywhere                    -> 15/30
//   m1 (dear):   naive (64, strict) nothing; corrected: i % 4 != 3 -> 0/30 and 23/30
//   m2 (middle): solves i % 5 == 0 everywhere                       -> 6/30
// So the best single model is m0 under the naive protocol and m1 under the corrected one.
study noisy_study() {
    study_maker mk;
    const auto a = mk.benchmark("a", task_kind::mcq);
    const auto b = mk.benchmark("b", task_kind::numeric);
    for (int i = 0; i < 30; ++i) mk.query("q" + std::to_string(i), i % 2 == 0 ? a : b, i % 2 == 0 ? "A" : "1");
    for (const char* id : {"m0", "m1", "m2"}) mk.model(id);
    mk.s.models[0].price_input_per_mtok = mk.s.models[0].price_output_per_mtok = 1;
    mk.s.models[1].price_input_per_mtok = mk.s.models[1].price_output_per_mtok = 10;
    mk.s.models[2].price_input_per_mtok = mk.s.models[2].price_output_per_mtok = 5;
    for (std::uint32_t q = 0; q < 30; ++q) {
        const bool solves[3][2] = {{q % 2 == 0, q % 2 == 0}, {false, q % 4 != 3}, {q % 5 == 0, q % 5 == 0}};
        for (std::uint16_t m = 0; m < 3; ++m) {
            for (int budget_index = 0; budget_index < 2; ++budget_index) {
                const bool ok = solves[m][budget_index];
                const std::string answer = ok ? (q % 2 == 0 ? "A" : "1") : (q % 2 == 0 ? "B" : "2");
                const auto row = mk.generation(q, m, budget_index == 0 ? 64 : 256, 0, answer, ok ? 1.0f : 0.0f);
                mk.grade(row, "lenient", answer, ok ? 1.0f : 0.0f);
            }
        }
    }
    return mk.s;
}

std::size_t count_if_rows(const std::vector<std::uint32_t>& rows, bool (*pred)(std::uint32_t)) {
    std::size_t n = 0;
    for (auto q : rows) n += pred(q);
    return n;
}

} // namespace

TEST_CASE("evaluate: folds are stratified, disjoint, complete and seeded", "[evaluate]") {
    const study s = noisy_study();
    const auto folds = fold_splits(s, 4, 3);
    REQUIRE(folds.size() == 4);
    std::multiset<std::uint32_t> tested;
    for (const auto& f : folds) {
        CHECK(f.train.size() + f.test.size() == 30);
        std::set<std::uint32_t> train(f.train.begin(), f.train.end());
        for (auto q : f.test) CHECK(train.count(q) == 0);
        tested.insert(f.test.begin(), f.test.end());
        // 15 queries per benchmark dealt over 4 folds: 3 or 4 of each.
        const std::size_t a = count_if_rows(f.test, [](std::uint32_t q) { return q % 2 == 0; });
        CHECK((a == 3 || a == 4));
        CHECK((f.test.size() - a == 3 || f.test.size() - a == 4));
    }
    CHECK(tested.size() == 30);
    CHECK(std::set<std::uint32_t>(tested.begin(), tested.end()).size() == 30);
    CHECK(fold_splits(s, 4, 3)[0].test == folds[0].test);
    CHECK(fold_splits(s, 4, 4)[0].test != folds[0].test);
    CHECK_THROWS_AS(fold_splits(s, 1, 3), std::invalid_argument);
}

TEST_CASE("evaluate: best single, oracle and cheapest routers under 3-fold cross-validation", "[evaluate]") {
    const study s = noisy_study();
    const study_index index(s);
    feature_cache features(s);
    evaluation_options options;
    options.folds = 3;
    options.seed = 11;
    const auto naive = naive_protocol(s), corrected = corrected_protocol(s);

    SECTION("the label-noise cost of the best-single router") {
        const auto naive_run = evaluate_route(s, index, router_kind::best_single, naive, corrected, options, features);
        const auto corrected_run = evaluate_route(s, index, router_kind::best_single, corrected, corrected, options, features);
        REQUIRE(naive_run.evaluation.test_queries == 30);
        const auto& argmax_naive = naive_run.evaluation.policies[0];
        const auto& argmax_corrected = corrected_run.evaluation.policies[0];
        REQUIRE(argmax_naive.policy == policy{policy_kind::argmax});
        // Naive labels name m0 in every fold, corrected labels m1; both scored on corrected labels.
        CHECK(argmax_naive.overall.share == std::vector<double>{1, 0, 0});
        CHECK(argmax_corrected.overall.share == std::vector<double>{0, 1, 0});
        CHECK(argmax_naive.overall.accuracy == Approx(15.0 / 30));
        CHECK(argmax_corrected.overall.accuracy == Approx(23.0 / 30));
        CHECK(argmax_corrected.overall.accuracy - argmax_naive.overall.accuracy == Approx(8.0 / 30));
        CHECK(argmax_corrected.overall.top_share == 1.0);
        // Per benchmark: m0 solves every "a" query and no "b" one.
        CHECK(argmax_naive.per_benchmark[0].accuracy == 1.0);
        CHECK(argmax_naive.per_benchmark[1].accuracy == 0.0);
        CHECK(argmax_naive.per_benchmark[0].queries == 15);
        // Its best single is the training split's: m0 for the naive-trained run.
        CHECK(argmax_naive.overall.gap_to_best_single == Approx(0));
        // Oracle: unsolved are i % 4 == 3 with i % 5 != 0: 3, 7, 11, 19, 23, 27.
        CHECK(argmax_naive.overall.oracle == Approx(24.0 / 30));
        // The evaluation pair: strong m1 (corrected labels), weak the cheapest other, m0.
        CHECK(naive_run.strong == 1);
        CHECK(naive_run.weak == 0);
        // Cost per query: 10 input and 5 output tokens at $1 per million each.
        CHECK(argmax_naive.overall.cost == Approx(15e-6));
        CHECK(argmax_naive.overall.latency_ms == Approx(1.0));
    }
    SECTION("the oracle router reaches the oracle under every ArgMax-like policy") {
        const auto run = evaluate_route(s, index, router_kind::oracle, corrected, corrected, options, features);
        const auto& e = run.evaluation;
        CHECK(e.policies[0].overall.accuracy == Approx(24.0 / 30));
        CHECK(e.policies[0].overall.gap_to_oracle == Approx(0));
        CHECK(e.classifier_upper_bound == Approx(24.0 / 30));
        // Confidence(m1) - confidence(m0) ranks exactly the queries where m1 wins first:
        // i % 4 != 3 and odd (i = 1, 5, 9, ...: 8 queries); the gap is 8 queries, so
        // half of it needs 4 of 30 calls and 80% needs 7 (6.4 rounded up).
        CHECK(e.strong_weak.cpt50 == Approx(4.0 / 30));
        CHECK(e.strong_weak.cpt80 == Approx(7.0 / 30));
        // The sweep: lambda 0 is ArgMax; lambda 1000 sends everything to m0.
        REQUIRE(e.sweep.size() == options.lambdas.size() + options.taus.size());
        CHECK(e.sweep.front().accuracy == Approx(24.0 / 30));
        CHECK(e.sweep[options.lambdas.size() - 1].cost == Approx(15e-6));
        CHECK(e.sweep[options.lambdas.size() - 1].accuracy == Approx(0.5));
        CHECK(e.aiq > 0.5);
        CHECK(e.aiq <= 24.0 / 30);
    }
    SECTION("the cheapest router always calls m0") {
        const auto run = evaluate_route(s, index, router_kind::cheapest, corrected, corrected, options, features);
        for (const auto& pr : run.evaluation.policies) {
            INFO(describe(pr.policy));
            CHECK(pr.overall.share[0] == 1.0);
        }
    }
}

TEST_CASE("evaluate: the routers table and its JSON", "[evaluate]") {
    const study s = noisy_study();
    const study_index index(s);
    feature_cache features(s);
    evaluation_options options;
    options.folds = 3;
    options.seed = 11;
    const routers_table t = evaluate_routers(s, index, naive_protocol(s), corrected_protocol(s), options, features);
    REQUIRE(t.corrected_trained.size() == all_router_kinds().size());
    const auto j = to_json(t);
    CHECK(j["study"] == "made");
    CHECK(j["routers"].size() == all_router_kinds().size());
    const auto& best = j["routers"][1];
    CHECK(best["router"] == "best-single");
    CHECK(best["policies"][0]["policy"] == "argmax");
    CHECK(best["policies"][0]["label_noise_cost"].get<double>() == Approx(8.0 / 30));
    CHECK(best["policies"][0]["overall"]["top_model"] == "m1");
    CHECK(best["policies"][1]["policy"] == "argmax@p1-code");
    // The oracle reads the corrected test labels however it is "trained": no noise cost.
    CHECK(j["routers"][3]["policies"][0]["label_noise_cost"].get<double>() == Approx(0));
    CHECK(to_text(t).find("best-single") != std::string::npos);

    // The jobs in any order (here last first), with a fresh cache: the same table.
    feature_cache fresh(s);
    std::vector<std::size_t> order;
    const routers_table reversed = evaluate_routers(
        s, index, naive_protocol(s), corrected_protocol(s), options, fresh,
        [&](std::size_t count, const std::function<void(std::size_t)>& job) {
            for (std::size_t i = count; i-- > 0;) {
                order.push_back(i);
                job(i);
            }
        });
    CHECK(order.size() == 2 * all_router_kinds().size());
    CHECK(to_json(reversed).dump() == j.dump());
}

TEST_CASE("evaluate: the table's jobs train every router once on each protocol", "[evaluate]") {
    const std::vector<routers_job> jobs = routers_jobs();
    CHECK(jobs.size() == 2 * all_router_kinds().size());
    for (router_kind r : all_router_kinds())
        for (bool corrected : {true, false}) {
            INFO(to_string(r) << (corrected ? " on corrected labels" : " on naive labels"));
            CHECK(std::count_if(jobs.begin(), jobs.end(), [&](const routers_job& job) {
                      return job.router == r && job.on_corrected == corrected;
                  }) == 1);
        }
}

TEST_CASE("evaluate: degenerate splits", "[evaluate]") {
    const study s = noisy_study();
    const study_index index(s);
    feature_cache features(s);
    const auto corrected = corrected_protocol(s);
    SECTION("an empty training split") {
        evaluation_options options;
        options.test_fraction = 1.0;
        const auto run = evaluate_route(s, index, router_kind::best_single, corrected, corrected, options, features);
        CHECK(run.evaluation.test_queries == 30);
        // Nothing learned: every prior is 0 and the first model is the best single.
        CHECK(run.evaluation.policies[0].overall.share[0] == 1.0);
        CHECK(run.evaluation.policies[0].overall.accuracy == Approx(0.5));
    }
    SECTION("an empty test split") {
        evaluation_options options;
        options.test_fraction = 0.0;
        const auto run = evaluate_route(s, index, router_kind::oracle, corrected, corrected, options, features);
        CHECK(run.evaluation.test_queries == 0);
        CHECK(run.evaluation.policies[0].overall.accuracy == 0);
        CHECK(std::isnan(run.evaluation.strong_weak.apgr));
        CHECK(to_json(run)["evaluation"]["strong_weak"]["apgr"].is_null());
    }
}

TEST_CASE("evaluate: training and scoring apart give evaluate_route's report, and refuse mismatched confidences",
          "[evaluate]") {
    const study s = noisy_study();
    const study_index index(s);
    feature_cache features(s);
    const auto naive = naive_protocol(s), corrected = corrected_protocol(s);
    evaluation_options options;
    options.folds = 3;
    for (router_kind r : {router_kind::logistic, router_kind::kmeans, router_kind::oracle}) {
        INFO(to_string(r));
        const auto whole = evaluate_route(s, index, r, naive, corrected, options, features);
        const auto confidences = train_route(s, index, r, naive, corrected, options, features);
        CHECK(confidences.size() == 3);
        CHECK(to_json(score_route(s, index, r, naive, corrected, options, confidences)).dump() == to_json(whole).dump());
        // With the labels the caller keeps (the app's, per protocol): the same report.
        const auto naive_labels = compute_labels(s, index, naive), corrected_labels = compute_labels(s, index, corrected);
        CHECK(to_json(score_route(s, r, naive, corrected, options, naive_labels, corrected_labels, confidences)).dump() ==
              to_json(whole).dump());
    }
    const label_matrix too_small{4, s.models.size(), std::vector<double>(4 * s.models.size(), 1.0)};
    CHECK_THROWS_WITH(score_route(s, router_kind::oracle, naive, corrected, options, too_small, too_small, {}),
                      Catch::Contains("do not fit the study"));
    auto confidences = train_route(s, index, router_kind::logistic, naive, corrected, options, features);
    confidences.pop_back();
    CHECK_THROWS_WITH(score_route(s, index, router_kind::logistic, naive, corrected, options, confidences),
                      Catch::Contains("2 confidence matrices for 3 splits"));
    confidences = train_route(s, index, router_kind::logistic, naive, corrected, options, features);
    confidences[1].rows -= 1;
    CHECK_THROWS_WITH(score_route(s, index, router_kind::logistic, naive, corrected, options, confidences),
                      Catch::Contains("confidence matrix for split 1"));
}
