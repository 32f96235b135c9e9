// routing/: the learned routers (logistic, softmax, kmeans, knn, matrix factorisation)
// and P2's controls on small cases checked by hand: identical queries, two separable
// topics, degenerate labels, and determinism.
#include "core/base/det_math.h"
#include "core/base/rng.h"
#include "core/features/feature_cache.h"
#include "core/routing/kmeans.h"
#include "core/routing/lbfgs.h"
#include "core/routing/logistic.h"
#include "core/routing/logistic_math.h"
#include "core/routing/neighbours.h"
#include "core/routing/router.h"

#include "test_support.h"

#include <algorithm>
#include <cmath>
#include <limits>

using namespace headroom;

namespace {

// Queries about cats are solved by model 0 only, queries about ships by model 1 only.
struct topics {
    study s;
    label_matrix labels;
    std::vector<std::uint32_t> train, test;

    explicit topics(std::size_t per_topic = 12, std::size_t models = 2) {
        labels.models = models;
        const char* cat[] = {"the cat purrs softly", "a cat chases the mouse", "my cat sleeps all day", "cat food and cat toys"};
        const char* ship[] = {"the ship sails north", "a ship crosses the ocean", "cargo ship in the harbour", "ship deck and ship mast"};
        for (std::size_t i = 0; i < per_topic; ++i)
            for (int t = 0; t < 2; ++t) {
                query q;
                q.text = std::string(t == 0 ? cat[i % 4] : ship[i % 4]) + " " + std::to_string(i);
                s.queries.push_back(q);
                for (std::size_t m = 0; m < models; ++m) labels.value.push_back(m == static_cast<std::size_t>(t) ? 1.0 : 0.0);
                const auto row = static_cast<std::uint32_t>(s.queries.size() - 1);
                (i % 4 == 3 ? test : train).push_back(row);
            }
        labels.queries = s.queries.size();
    }
    routing_task task(std::uint64_t seed = 3) const {
        routing_task t;
        t.s = &s;
        t.labels = &labels;
        t.train = train;
        t.test = test;
        t.seed = seed;
        return t;
    }
};

router_options small_options() {
    router_options o;
    o.clusters = 2;
    o.neighbours = 3;
    o.dimensions = 4;
    o.factors = 2;
    return o;
}

constexpr router_kind learned[] = {router_kind::logistic, router_kind::softmax, router_kind::kmeans,
                                   router_kind::knn, router_kind::matrix_factorisation,
                                   router_kind::random_features, router_kind::shuffled_labels};

} // namespace

TEST_CASE("routing: the fast logistic math agrees with det_math", "[routing][logistic]") {
    for (double a = 0; a < 40; a += 0.173) {
        CHECK(logistic_math::exp_negative(a) == Approx(det_math::exp(-a)).epsilon(1e-14));
        const double e = logistic_math::exp_negative(a);
        // det_math::log(1 + e) loses e's low bits in rounding 1 + e: compare absolutely.
        CHECK(logistic_math::log1p_unit(e) == Approx(det_math::log(1 + e)).epsilon(1e-14).margin(3e-16));
        CHECK(logistic_math::logistic(a) == Approx(det_math::logistic(a)).epsilon(1e-14));
        CHECK(logistic_math::logistic(-a) == Approx(det_math::logistic(-a)).epsilon(1e-14));
    }
    CHECK(logistic_math::exp_negative(800) == 0);
    CHECK(logistic_math::log1p_unit(0) == 0);
    // Across mantissas and binades; powers of two, and the largest mantissa below them.
    for (double x = 1; x < 1e6; x *= 1.37) CHECK(logistic_math::log_at_least_one(x) == Approx(det_math::log(x)).epsilon(1e-14));
    CHECK(logistic_math::log_at_least_one(1) == 0);
    CHECK(logistic_math::log_at_least_one(8) == Approx(3 * det_math::log(2)).epsilon(1e-15));
    for (double x : {std::nextafter(2.0, 0.0), std::nextafter(1024.0, 0.0), 1e300, std::numeric_limits<double>::max()})
        CHECK(logistic_math::log_at_least_one(x) == Approx(det_math::log(x)).epsilon(1e-14));

    // Over spans, in chunks of any width, each element is the very value of the scalar.
    for (std::size_t size = 0; size <= 19; ++size) {
        std::vector<double> a(size), e(size), x(size), out(size);
        for (std::size_t i = 0; i < size; ++i) {
            a[i] = 0.37 * static_cast<double>(i * i);
            e[i] = static_cast<double>(i) / 19;
            x[i] = 1 + 3.1 * static_cast<double>(i * i);
        }
        std::size_t differing = 0;
        logistic_math::exp_negative(a, out);
        for (std::size_t i = 0; i < size; ++i) differing += out[i] != logistic_math::exp_negative(a[i]);
        logistic_math::log1p_unit(e, out);
        for (std::size_t i = 0; i < size; ++i) differing += out[i] != logistic_math::log1p_unit(e[i]);
        logistic_math::log_at_least_one(x, out);
        for (std::size_t i = 0; i < size; ++i) differing += out[i] != logistic_math::log_at_least_one(x[i]);
        INFO("size " << size);
        CHECK(differing == 0);
    }
}

TEST_CASE("routing: L-BFGS minimises a quadratic and logistic fits match closed forms", "[routing][logistic]") {
    std::vector<double> x{5, -3};
    const auto r = lbfgs_minimise(x, [](std::span<const double> p, std::span<double> g) {
        g[0] = 2 * (p[0] - 1);
        g[1] = 8 * (p[1] + 2);
        return (p[0] - 1) * (p[0] - 1) + 4 * (p[1] + 2) * (p[1] + 2);
    });
    CHECK(r.converged);
    CHECK(x[0] == Approx(1).margin(1e-6));
    CHECK(x[1] == Approx(-2).margin(1e-6));

    // One constant feature: it is collinear with the free intercept, so the penalty
    // sends its weight to 0 and the intercept carries the base rate, 3 of 4.
    const csr_matrix ones = from_dense(std::vector<double>{1, 1, 1, 1}, 4, 1);
    const auto fit = fit_logistic(ones, std::vector<double>{1, 1, 1, 0});
    CHECK(fit.probability(ones, 0) == Approx(0.75).margin(1e-3));
    CHECK(fit.weight[0] == Approx(0).margin(1e-3));
    // Balanced class weights make the classes count alike: 1/2.
    logistic_options balanced;
    balanced.class_weights = true;
    CHECK(fit_logistic(ones, std::vector<double>{1, 1, 1, 0}, balanced).probability(ones, 0) == Approx(0.5).margin(1e-3));

    // Softmax with no features: the shares of the classes in the targets, 1/4 and 3/4.
    const auto soft = fit_softmax(ones, std::vector<double>{0, 1, 1, 0, 0, 1, 0, 1}, 2);
    std::vector<double> p(2);
    soft.probabilities(ones, 0, p);
    CHECK(p[0] == Approx(0.25).margin(1e-3));
    CHECK(p[1] == Approx(0.75).margin(1e-3));

    // Platt scaling of an uninformative score gives the mean of Platt's targets:
    // positives (3 + 1) / (3 + 2), the negative 1 / (1 + 2).
    const auto platt = fit_platt(std::vector<double>{0, 0, 0, 0}, std::vector<double>{1, 1, 1, 0});
    CHECK(platt(0) == Approx((3 * 0.8 + 1.0 / 3) / 4).margin(1e-6));
}

TEST_CASE("routing: L-BFGS takes the same steps to the bit as the textbook two-loop recursion", "[routing][logistic]") {
    // A smooth, non-quadratic objective of 500 variables with a 5-pair history. The
    // expected bits were written by the solver before its two-loop passes were fused
    // (each dot product in a pass of its own): the fused passes must sum the same
    // products in the same order. Only + - * / here, so WASM must match too.
    const std::size_t n = 500;
    std::vector<double> x(n);
    for (std::size_t i = 0; i < n; ++i) x[i] = 1.0 + 0.01 * static_cast<double>(i % 13);
    const auto r = lbfgs_minimise(
        x,
        [&](std::span<const double> p, std::span<double> g) {
            double f = 0;
            for (std::size_t i = 0; i < n; ++i) {
                const double s = 1 + 0.37 * static_cast<double>(i % 97), q = p[i] * p[i];
                f += 0.5 * s * q + 0.25 * q * q / (1 + q) - 0.3 * p[i];
                g[i] = s * p[i] + (0.5 * p[i] * q * (1 + q) - 0.25 * q * q * 2 * p[i]) / ((1 + q) * (1 + q)) - 0.3;
            }
            return f;
        },
        lbfgs_options{5, 200, 1e-12});
    CHECK(r.iterations == 30);
    CHECK(r.value == -0x1.458e8a1745788p+1);
    CHECK(x[7] == 0x1.56524d82151c2p-4);
}

TEST_CASE("routing: a weighted row fits as that many identical rows", "[routing][logistic]") {
    // Six rows, two of them repeated (rows 3 and 4 copy 0, row 5 copies 1), against the
    // three distinct rows weighted 3, 2 and 1 with their mean labels.
    const std::vector<double> dense{1, 0, 0.5,  0, 1, 0.5,  0.6, 0.8, 0,  1, 0, 0.5,  1, 0, 0.5,  0, 1, 0.5};
    const csr_matrix all = from_dense(dense, 6, 3);
    const csr_matrix distinct = from_dense(std::span(dense).first(9), 3, 3);
    const std::vector<double> weight{3, 2, 1};
    logistic_options tight;
    tight.solver.gradient_tolerance = 1e-12;
    tight.solver.max_iterations = 500;
    for (bool balanced : {false, true}) {
        tight.class_weights = balanced;
        INFO("class weights " << balanced);
        // Two models: labels per row (model 0, model 1).
        const std::vector<double> y{1, 0, 0, 1, 1, 1, 0, 0, 1, 0, 0, 1};
        const std::vector<double> mean_y{2.0 / 3, 0, 0, 1, 1, 1};  // rows 0, 3, 4 | 1, 5 | 2
        const auto repeated = fit_logistic_models(all, y, 2, tight);
        const auto weighted = fit_logistic_models(distinct, mean_y, 2, tight, weight);
        for (std::size_t m = 0; m < 2; ++m) {
            CHECK(weighted[m].intercept == Approx(repeated[m].intercept).margin(1e-7));
            for (std::size_t c = 0; c < 3; ++c) CHECK(weighted[m].weight[c] == Approx(repeated[m].weight[c]).margin(1e-7));
        }
    }
    // Softmax over two classes: targets per row, then their means per distinct row.
    const std::vector<double> target{1, 0, 0.5, 0.5, 0, 1, 0, 1, 1, 0, 0, 1};
    const std::vector<double> mean_target{2.0 / 3, 1.0 / 3, 0.25, 0.75, 0, 1};
    const auto repeated = fit_softmax(all, target, 2, tight);
    const auto weighted = fit_softmax(distinct, mean_target, 2, tight, weight);
    std::vector<double> p(2), q(2);
    for (std::size_t r = 0; r < 3; ++r) {
        repeated.probabilities(distinct, r, p);
        weighted.probabilities(distinct, r, q);
        CHECK(q[0] == Approx(p[0]).margin(1e-7));
    }
}

TEST_CASE("routing: learned routers send each topic to its model", "[routing][learned]") {
    const topics t;
    feature_cache cache(t.s);
    for (router_kind r : {router_kind::logistic, router_kind::softmax, router_kind::kmeans, router_kind::knn,
                          router_kind::matrix_factorisation}) {
        INFO(to_string(r));
        const auto c = run_router(r, t.task(), small_options(), cache);
        REQUIRE(c.rows == t.test.size());
        REQUIRE(c.models == 2);
        for (std::size_t row = 0; row < c.rows; ++row) {
            const bool cat_query = t.labels.at(t.test[row], 0) == 1;
            CHECK((c.at(row, 0) > c.at(row, 1)) == cat_query);
            for (std::size_t m = 0; m < 2; ++m) CHECK((c.at(row, m) >= 0 && c.at(row, m) <= 1));
        }
    }
}

TEST_CASE("routing: kmeans and knn confidences by hand", "[routing][kmeans][knn]") {
    const topics t;
    feature_cache cache(t.s);
    auto o = small_options();
    // 2 clusters = the 2 topics, 9 training queries each, all solved by their model:
    // (9 + overall 0.5) / (9 + 1) and (0 + 0.5) / 10.
    const auto k = run_router(router_kind::kmeans, t.task(), o, cache);
    for (std::size_t row = 0; row < k.rows; ++row) {
        const std::size_t own = t.labels.at(t.test[row], 0) == 1 ? 0 : 1;
        CHECK(k.at(row, own) == Approx(0.95));
        CHECK(k.at(row, 1 - own) == Approx(0.05));
    }
    const auto stable = measure_cluster_stability(t.task(), o, cache);
    CHECK(stable.clusters == 2);
    CHECK(stable.agreeing_clusters == 2);
    CHECK(stable.stability == 1.0);

    // P1's threshold variant with a margin no cluster reaches: best-single everywhere.
    o.cluster_margin = 0.95;
    const auto fallback = run_router(router_kind::kmeans, t.task(), o, cache);
    for (double v : fallback.value) CHECK(v == Approx(0.5));

    // knn: the 3 nearest are of the same topic: mean labels 1 and 0.
    const auto n = run_router(router_kind::knn, t.task(), small_options(), cache);
    for (std::size_t row = 0; row < n.rows; ++row) {
        const std::size_t own = t.labels.at(t.test[row], 0) == 1 ? 0 : 1;
        CHECK(n.at(row, own) == 1.0);
        CHECK(n.at(row, 1 - own) == 0.0);
    }
}

TEST_CASE("routing: knn over dense vectors is exact cosine over every training query", "[routing][knn]") {
    // 450 training queries: every LSA dimension is in every one of them, far past the
    // common-term cut of the term features (200 here), which once left no neighbours.
    const topics t(300);
    feature_cache cache(t.s);
    router_options o = small_options();
    o.features = feature_kind::lsa;
    const routing_task task = t.task();
    const auto c = run_router(router_kind::knn, task, o, cache);

    // The same by brute force: the 3 most similar with a positive cosine (the earlier
    // training query first on ties), each dot product summed over the columns in order.
    const std::vector<double> x = to_dense(cache.features(feature_kind::lsa, task.train, o, task.seed));
    const std::size_t d = x.size() / t.s.queries.size();
    std::size_t differing = 0;
    for (std::size_t r = 0; r < task.test.size(); ++r) {
        std::vector<std::pair<double, std::uint32_t>> near;
        for (std::uint32_t i = 0; i < task.train.size(); ++i) {
            double sum = 0;
            for (std::size_t col = 0; col < d; ++col) sum += x[task.test[r] * d + col] * x[task.train[i] * d + col];
            if (sum > 0) near.push_back({-sum, i});
        }
        std::sort(near.begin(), near.end());
        near.resize(std::min<std::size_t>(near.size(), 3));
        for (std::size_t m = 0; m < 2; ++m) {
            double expected = static_cast<double>(3 - near.size()) * 0.5;  // the overall accuracy of each model
            for (const auto& [similarity, i] : near) expected += t.labels.at(task.train[i], m);
            expected /= 3;
            differing += c.at(r, m) != expected;
        }
        const std::size_t own = t.labels.at(task.test[r], 0) == 1 ? 0 : 1;
        CHECK(c.at(r, own) > c.at(r, 1 - own));
    }
    CHECK(differing == 0);
}

TEST_CASE("routing: neighbour searches against brute force", "[routing][knn]") {
    // The k most similar with a positive similarity, more similar first, then the earlier
    // training row, each similarity summed over the columns in order.
    auto brute_force = [](const std::vector<double>& x, std::size_t d, std::span<const std::uint32_t> train,
                          std::span<const std::uint32_t> test, std::size_t k) {
        neighbour_lists out;
        for (std::uint32_t q : test) {
            std::vector<std::pair<double, std::uint32_t>> near;
            for (std::uint32_t i = 0; i < train.size(); ++i) {
                double sum = 0;
                for (std::size_t c = 0; c < d; ++c) sum += x[q * d + c] * x[train[i] * d + c];
                if (sum > 0) near.push_back({-sum, i});
            }
            std::sort(near.begin(), near.end());
            for (std::size_t j = 0; j < std::min(k, near.size()); ++j) out.row.push_back(near[j].second);
            out.start.push_back(out.row.size());
        }
        return out;
    };
    SECTION("terms: a query sharing its terms with every training row") {
        // Ten training rows with both terms: every one is touched twice.
        std::vector<double> dense(11 * 3, 0.0);
        for (std::size_t r = 0; r < 11; ++r) dense[r * 3] = dense[r * 3 + 1] = 1;
        dense[5 * 3 + 2] = 1;  // one row a little apart
        csr_matrix x = from_dense(dense, 11, 3);
        normalize_rows(x);
        const std::vector<std::uint32_t> train{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, test{10};
        const std::vector<double> unit = to_dense(x);
        for (std::size_t k : {0, 1, 3, 10, 30}) {
            INFO("k " << k);
            const neighbour_lists got = nearest_by_terms(x, train, test, k), want = brute_force(unit, 3, train, test, k);
            CHECK(got.start == want.start);
            CHECK(got.row == want.row);
        }
        CHECK(nearest_by_terms(x, train, test, 3).row == std::vector<std::uint32_t>{0, 1, 2});  // ties: the earlier rows
    }
    SECTION("vectors: exact, with duplicates, ties, a zero query and more neighbours than rows") {
        const std::size_t n = 300, d = 5;
        std::vector<double> dense(n * d);
        rng draw(11);
        for (auto& v : dense) v = std::round(draw.normal() * 2);  // small integers: many exact ties
        for (std::size_t c = 0; c < d; ++c) {
            dense[7 * d + c] = dense[3 * d + c];  // a duplicate row
            dense[299 * d + c] = 0;               // a zero query
        }
        csr_matrix x = from_dense(dense, n, d);
        normalize_rows(x);
        const std::vector<double> unit = to_dense(x);
        std::vector<std::uint32_t> train, test;
        for (std::uint32_t r = 0; r < n; ++r) (r % 5 == 4 ? test : train).push_back(r);
        for (std::size_t k : {0, 1, 5, 20, 400}) {
            INFO("k " << k);
            const neighbour_lists got = nearest_by_vectors(x, train, test, k), want = brute_force(unit, d, train, test, k);
            CHECK(got.start == want.start);
            CHECK(got.row == want.row);
        }
        const neighbour_lists none = nearest_by_vectors(x, {}, test, 5);
        CHECK(none.start == std::vector<std::size_t>(test.size() + 1, 0));
    }
}

TEST_CASE("routing: kmeans clusters duplicate points exactly and keeps the best restart", "[routing][kmeans]") {
    const csr_matrix x = from_dense(std::vector<double>{1, 0, 1, 0, 0, 1, 0, 1, 0, 1}, 5, 2);
    kmeans_options o;
    o.clusters = 2;
    const auto fit = fit_kmeans(x, o, 1);
    CHECK(fit.inertia == Approx(0).margin(1e-12));
    CHECK(fit.assignment[0] == fit.assignment[1]);
    CHECK(fit.assignment[2] == fit.assignment[4]);
    CHECK(fit.assignment[0] != fit.assignment[2]);
    o.clusters = 9;  // more clusters than rows: one per row
    CHECK(fit_kmeans(x, o, 1).clusters == 5);
    CHECK(fit_kmeans(x, o, 1).inertia == Approx(0).margin(1e-12));
}

TEST_CASE("routing: kmeans on weighted rows finds the clusters of the rows repeated", "[routing][kmeans]") {
    // Two blobs: (1, 0, 0) x3 and (1, 0.2, 0) x1; (0, 0, 1) x2 and (0, 0.2, 1) x2.
    const std::vector<double> distinct{1, 0, 0, 1, 0.2, 0, 0, 0, 1, 0, 0.2, 1};
    const std::vector<double> weight{3, 1, 2, 2};
    std::vector<double> repeated;
    for (std::size_t r = 0; r < 4; ++r)
        for (int copy = 0; copy < weight[r]; ++copy) repeated.insert(repeated.end(), &distinct[r * 3], &distinct[r * 3 + 3]);
    kmeans_options o;
    o.clusters = 2;
    const auto weighted = fit_kmeans(from_dense(distinct, 4, 3), o, 1, weight);
    const auto plain = fit_kmeans(from_dense(repeated, 8, 3), o, 1);
    // Weighted means (1, 0.05, 0) and (0, 0.1, 1); inertia 3 (0.05)^2 + 0.15^2 + 4 (0.1)^2.
    for (const auto* fit : {&weighted, &plain}) {
        CHECK(fit->inertia == Approx(0.07).margin(1e-12));
        const std::size_t first = fit->assignment.front(), other = 1 - first;
        CHECK(fit->centre[first * 3 + 1] == Approx(0.05).margin(1e-12));
        CHECK(fit->centre[other * 3 + 1] == Approx(0.1).margin(1e-12));
        CHECK(fit->centre[other * 3 + 2] == Approx(1).margin(1e-12));
    }
    CHECK(weighted.assignment == std::vector<std::uint32_t>{weighted.assignment[0], weighted.assignment[0],
                                                            weighted.assignment[2], weighted.assignment[2]});
}

TEST_CASE("routing: learned routers on degenerate data", "[routing][learned][degenerate]") {
    topics t;
    feature_cache cache(t.s);
    SECTION("all labels 0 or all 1: confidences follow") {
        for (double label : {0.0, 1.0}) {
            std::fill(t.labels.value.begin(), t.labels.value.end(), label);
            for (router_kind r : learned) {
                INFO(to_string(r) << " label " << label);
                const auto c = run_router(r, t.task(), small_options(), cache);
                for (double v : c.value) CHECK(std::abs(v - label) < 0.1);
            }
        }
    }
    SECTION("empty training split: best-single's zeros") {
        t.train.clear();
        for (router_kind r : learned) {
            const auto c = run_router(r, t.task(), small_options(), cache);
            CHECK(c.rows == t.test.size());
            for (double v : c.value) CHECK(v == 0);
        }
    }
    SECTION("no term in two training queries: no TF-IDF or LSA columns, best-single's guesses") {
        study unique;
        label_matrix labels;
        labels.models = 2;
        for (const char* text : {"alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel"}) {
            query q;
            q.text = text;
            unique.queries.push_back(q);
            labels.value.insert(labels.value.end(), {1.0, 0.0});
        }
        labels.queries = unique.queries.size();
        routing_task task;
        task.s = &unique;
        task.labels = &labels;
        const std::vector<std::uint32_t> train{0, 1, 2, 3, 4, 5}, test{6, 7};
        task.train = train;
        task.test = test;
        feature_cache unique_cache(unique);
        for (feature_kind f : {feature_kind::tfidf, feature_kind::lsa}) {
            router_options o = small_options();
            o.features = f;
            for (router_kind r : learned) {
                INFO(to_string(r) << " over " << to_string(f));
                const auto c = run_router(r, task, o, unique_cache);
                REQUIRE(c.rows == 2);
                // Model 0 solves every training query: with nothing to tell queries
                // apart, a router can only follow that.
                for (std::size_t i = 0; i < c.rows; ++i) CHECK(c.at(i, 0) > c.at(i, 1));
            }
        }
    }
    SECTION("one model, empty test split") {
        topics one(12, 1);
        feature_cache one_cache(one.s);
        for (router_kind r : learned) {
            CHECK(run_router(r, one.task(), small_options(), one_cache).models == 1);
            auto empty = one.task();
            empty.test = {};
            CHECK(run_router(r, empty, small_options(), one_cache).value.empty());
        }
    }
}

TEST_CASE("routing: same seed, same confidences, the controls differ from logistic", "[routing][learned]") {
    const topics t;
    feature_cache cache(t.s), fresh(t.s);
    for (router_kind r : learned) {
        INFO(to_string(r));
        for (feature_kind f : {feature_kind::tfidf, feature_kind::hashing, feature_kind::lsa}) {
            auto o = small_options();
            o.features = f;
            CHECK(run_router(r, t.task(5), o, cache).value == run_router(r, t.task(5), o, fresh).value);
        }
    }
    const auto logistic = run_router(router_kind::logistic, t.task(), small_options(), cache);
    CHECK(run_router(router_kind::random_features, t.task(), small_options(), cache).value != logistic.value);
    CHECK(run_router(router_kind::shuffled_labels, t.task(), small_options(), cache).value != logistic.value);
    CHECK(run_router(router_kind::shuffled_labels, t.task(6), small_options(), cache).value !=
          run_router(router_kind::shuffled_labels, t.task(7), small_options(), cache).value);
}
