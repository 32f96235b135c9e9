// noise.h: the exchangeability null. Each query's samples, pooled over the models,
// are dealt back at random; the null's oracle for greedy labels is analytic
// (C(N-C, M) / C(N, M) misses all M models) and hand-checked here; the simulated one
// must agree with it; models that are one model have no headroom above the null, and
// models that really differ do.
#include "core/stats/noise.h"

#include "core/base/rng.h"
#include "core/labels/summary.h"

#include "test_support.h"

#include <cmath>
#include <vector>

using namespace headroom;
using namespace headroom::test;

namespace {

// An mcq study (gold A): samples[q][m] lists each sample's rightness, in sample order.
study make_study(const std::vector<std::vector<std::vector<bool>>>& samples) {
    study_maker mk;
    const auto quiz = mk.benchmark("quiz", task_kind::mcq);
    const std::size_t models = samples.empty() ? 0 : samples[0].size();
    for (std::size_t m = 0; m < models; ++m) mk.model("m" + std::to_string(m));
    for (std::size_t q = 0; q < samples.size(); ++q) {
        const auto qi = mk.query("q" + std::to_string(q), quiz, "A");
        for (std::size_t m = 0; m < models; ++m)
            for (std::size_t k = 0; k < samples[q][m].size(); ++k) {
                const bool right = samples[q][m][k];
                mk.generation(qi, static_cast<std::uint16_t>(m), 100, static_cast<std::uint16_t>(k), right ? "A" : "B",
                              right ? 1.0f : 0.0f);
            }
    }
    return mk.s;
}

protocol with(aggregation a, int k = 1) {
    protocol p;
    p.budget = 100;
    p.aggregate = a;
    p.k = k;
    return p;
}

std::vector<std::uint32_t> first_rows(std::size_t n) {
    std::vector<std::uint32_t> rows(n);
    for (std::uint32_t i = 0; i < n; ++i) rows[i] = i;
    return rows;
}

noise_null null_of(const study& s, const protocol& p, const std::vector<std::uint32_t>& rows, int sims,
                   std::uint64_t seed) {
    const study_index index(s);
    return noise_headroom(s, index, p, rows, sims, seed);
}

constexpr bool R = true, W = false;

} // namespace

TEST_CASE("noise: the greedy null oracle is 1 - C(N-C, M) / C(N, M), by hand", "[noise]") {
    // Two models, three samples each (N = 6 per query), greedy labels (sample 0):
    //   q0  m0 R W W  m1 W W W   C = 1: misses both with C(5,2)/C(6,2) = 10/15 -> 1/3
    //   q1  m0 R R W  m1 R W W   C = 3: C(3,2)/C(6,2) = 3/15                  -> 4/5
    //   q2  all wrong            C = 0                                        -> 0
    //   q3  all right            C = 6                                        -> 1
    //   q4  m0 R R R  m1 R R R   (not in the rows)
    const study s = make_study({
        {{R, W, W}, {W, W, W}},
        {{R, R, W}, {R, W, W}},
        {{W, W, W}, {W, W, W}},
        {{R, R, R}, {R, R, R}},
        {{R, R, R}, {R, R, R}},
    });
    const noise_null n = null_of(s, with(aggregation::greedy), {0, 1, 2, 3}, 50, 1);
    REQUIRE(n.oracle_analytic.has_value());
    CHECK(*n.oracle_analytic == Approx((1.0 / 3 + 0.8 + 0 + 1) / 4));  // 0.5333...
    // Observed greedy labels: q0 (1, 0), q1 (1, 1), q2 (0, 0), q3 (1, 1): oracle 3/4, m0
    // 3/4, m1 1/2, headroom 0.
    CHECK(n.observed_oracle == Approx(0.75));
    CHECK(n.observed_best_single == Approx(0.75));
    CHECK(n.observed_headroom == Approx(0.0).margin(1e-12));
    CHECK_FALSE(n.single_sample);
    CHECK(n.headroom == Approx(n.oracle_simulated - n.best_single_simulated));
    CHECK(n.oracle_above_null == Approx(n.observed_oracle - n.oracle_simulated));
    CHECK(n.headroom_above_null == Approx(n.observed_headroom - n.headroom));

    // Three models with one sample each: N = M, so the null misses a query only when no
    // sample is right: its oracle is the observed one, and there is nothing to tell
    // noise from real differences with.
    const study one = make_study({{{R}, {W}, {W}}, {{W}, {W}, {W}}, {{R}, {R}, {W}}});
    const noise_null o = null_of(one, with(aggregation::greedy), first_rows(3), 30, 2);
    CHECK(o.single_sample);
    CHECK(*o.oracle_analytic == Approx(2.0 / 3));
    CHECK(o.observed_oracle == Approx(2.0 / 3));
    CHECK(o.oracle_simulated == Approx(2.0 / 3));  // dealing the same labels keeps every query's max
    CHECK(o.oracle_above_null == Approx(0.0).margin(1e-12));
}

TEST_CASE("noise: the simulated null oracle agrees with the analytic one", "[noise]") {
    // The two mixed queries above, twenty times each (40 queries). With 2000 dealings
    // the simulated oracle's standard error is about 0.001, so 0.01 is ten of them.
    std::vector<std::vector<std::vector<bool>>> samples;
    for (int i = 0; i < 20; ++i) {
        samples.push_back({{R, W, W}, {W, W, W}});
        samples.push_back({{R, R, W}, {R, W, W}});
    }
    const study s = make_study(samples);
    const auto rows = first_rows(40);
    const noise_null n = null_of(s, with(aggregation::greedy), rows, 2000, 11);
    CHECK(*n.oracle_analytic == Approx((1.0 / 3 + 0.8) / 2));
    CHECK(std::fabs(n.oracle_simulated - *n.oracle_analytic) < 0.01);
    // The null's best single model is the better of two noisy shares, so above their
    // mean: a dealt first sample is right with probability C/6, so each model's share
    // averages (1/6 + 3/6)/2 = 1/3.
    CHECK(n.best_single_simulated > 1.0 / 3);
    CHECK(n.best_single_simulated < n.oracle_simulated);

    // Seeded: the same seed repeats; another seed moves only the simulated numbers.
    const noise_null same = null_of(s, with(aggregation::greedy), rows, 2000, 11);
    CHECK(same.oracle_simulated == n.oracle_simulated);
    CHECK(same.best_single_simulated == n.best_single_simulated);
    const noise_null other = null_of(s, with(aggregation::greedy), rows, 2000, 12);
    CHECK(*other.oracle_analytic == *n.oracle_analytic);
    CHECK(other.observed_headroom == n.observed_headroom);
    CHECK(other.oracle_simulated != n.oracle_simulated);
}

TEST_CASE("noise: without noise there is no null headroom", "[noise]") {
    // Every sample of a query alike: dealing changes nothing.
    const study s = make_study({{{R, R}, {R, R}, {R, R}}, {{W, W}, {W, W}, {W, W}}, {{R, R}, {R, R}, {R, R}}});
    for (auto a : {aggregation::greedy, aggregation::majority, aggregation::mean, aggregation::pass_at_k}) {
        INFO("aggregation " << static_cast<int>(a));
        const noise_null n = null_of(s, with(a, 2), first_rows(3), 20, 1);
        CHECK(n.observed_oracle == Approx(2.0 / 3));
        CHECK(n.oracle_simulated == Approx(2.0 / 3));
        CHECK(n.best_single_simulated == Approx(2.0 / 3));
        CHECK(n.headroom == Approx(0.0).margin(1e-12));
        CHECK(n.headroom_above_null == Approx(0.0).margin(1e-12));
        CHECK(n.oracle_analytic.has_value() == (a == aggregation::greedy));
    }
    // No rows: zeros.
    const noise_null e = null_of(s, with(aggregation::greedy), {}, 10, 1);
    CHECK(e.observed_oracle == 0.0);
    CHECK(e.headroom_above_null == 0.0);
}

TEST_CASE("noise: models that are one model have no headroom above the null", "[noise]") {
    // Four models, five samples each, every sample right with the query's own
    // probability p_q (uniform on [0, 1]), whichever the model: all of the observed
    // headroom is noise. Under exchangeability the observed numbers are one dealing of
    // the pooled samples, so they differ from the null's mean only by one dealing's
    // spread: for 1000 queries about 0.01 for the headroom, so 0.04 is four sd.
    rng r(derive_seed(2024, "exchangeable"));
    std::vector<std::vector<std::vector<bool>>> samples(1000);
    for (auto& q : samples) {
        const double p = r.uniform();
        q.assign(4, {});
        for (auto& m : q)
            for (int k = 0; k < 5; ++k) m.push_back(r.bernoulli(p));
    }
    const study s = make_study(samples);
    const auto rows = first_rows(samples.size());
    for (auto a : {aggregation::greedy, aggregation::majority}) {
        const noise_null n = null_of(s, with(a, 5), rows, 100, 5);
        INFO("aggregation " << static_cast<int>(a) << ": observed headroom " << n.observed_headroom << ", null "
                            << n.headroom << ", oracle " << n.observed_oracle << " vs null " << n.oracle_simulated);
        CHECK(n.observed_headroom > 0.1);  // large, and all of it noise
        CHECK(std::fabs(n.headroom_above_null) < 0.04);
        CHECK(std::fabs(n.oracle_above_null) < 0.04);
    }
}

TEST_CASE("noise: models that really differ are above the null", "[noise]") {
    // Complementary specialists: m0 always right on even queries, m1 on odd ones, five
    // samples each. Observed: oracle 1, best single 1/2, headroom 1/2. Dealt, each query
    // pools 5 right of N = 10, so greedy misses both with C(5,2)/C(10,2) = 10/45: the
    // null oracle is 7/9 and 2/9 of the oracle is not noise.
    std::vector<std::vector<std::vector<bool>>> samples;
    for (int q = 0; q < 200; ++q) {
        const bool even = q % 2 == 0;
        samples.push_back({std::vector<bool>(5, even), std::vector<bool>(5, !even)});
    }
    const study s = make_study(samples);
    const noise_null n = null_of(s, with(aggregation::greedy), first_rows(200), 200, 3);
    CHECK(n.observed_oracle == 1.0);
    CHECK(n.observed_best_single == 0.5);
    CHECK(*n.oracle_analytic == Approx(7.0 / 9));
    CHECK(n.oracle_simulated == Approx(7.0 / 9).margin(0.01));
    CHECK(n.oracle_above_null == Approx(2.0 / 9).margin(0.01));
    CHECK(n.headroom_above_null > 0.15);

    // One model better everywhere: observed headroom 0, but dealing mixes the samples,
    // so the null has headroom: the observed headroom is below the null's.
    std::vector<std::vector<std::vector<bool>>> dominant(200, {std::vector<bool>(5, R), std::vector<bool>(5, W)});
    const noise_null d = null_of(make_study(dominant), with(aggregation::greedy), first_rows(200), 200, 3);
    CHECK(d.observed_headroom == 0.0);
    CHECK(d.headroom > 0.1);
    CHECK(d.headroom_above_null < -0.1);
}

TEST_CASE("noise: the analytic null oracle counts only the models that answered", "[noise]") {
    // Regression test: the comment below describes the defect it caught, now fixed.
    // A pair may have no generations (a study is not always complete: such labels are
    // 0). Greedy deals one first sample to each model that has samples, so the null
    // misses a query with probability C(N-C, M') / C(N, M'), M' the models that answered.
    //   q0  m0 W R   m1 (none)    M' = 1: misses with 1/2 -> 0.5   (C(N-C, 2)/C(N, 2) = 0 -> 1)
    //   q1  m0 R R   m1 W         M' = 2, N = 3, C = 2: misses never -> 1
    const study s = make_study({{{W, R}, {}}, {{R, R}, {W}}});
    const noise_null n = null_of(s, with(aggregation::greedy), first_rows(2), 400, 1);
    REQUIRE(n.oracle_analytic.has_value());
    CHECK(n.oracle_simulated == Approx(0.75).margin(0.05));  // q0 is found half the time
    CHECK(*n.oracle_analytic == Approx(0.75));
}
