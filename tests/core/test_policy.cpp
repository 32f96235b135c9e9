// routing/policy.h: every policy on hand-worked confidences, P1's published-code
// forms against the described ones, seeded randomness, ties and degenerate inputs.
#include "core/routing/policy.h"

#include <catch2/catch.hpp>

#include <stdexcept>

using namespace headroom;

namespace {

confidence_matrix confidences(std::size_t models, std::vector<double> values) {
    confidence_matrix c;
    c.models = models;
    c.rows = values.size() / models;
    c.value = std::move(values);
    return c;
}

// Three models: 0 mid (prior 0.5, $1), 1 strong and dear (0.8, $4), 2 weak and cheap (0.3, $0.5).
policy_context three_models() {
    policy_context ctx;
    ctx.prior = {0.5, 0.8, 0.3};
    ctx.cost = {1.0, 4.0, 0.5};
    ctx.best_single = 1;
    ctx.p1_code_label_order = {2, 0, 1};
    ctx.seed = 7;
    return ctx;
}

// Row A: one confident model; row B: unsure (top 0.55); row C: a tie below 0.5.
const confidence_matrix rows_abc = confidences(3, {0.7, 0.9, 0.2,  //
                                                   0.4, 0.3, 0.55,  //
                                                   0.45, 0.45, 0.1});

std::vector<std::uint16_t> chosen(const policy& p, const confidence_matrix& c = rows_abc,
                                  const policy_context& ctx = three_models()) {
    return apply_policy(p, c, ctx).chosen;
}

using picks = std::vector<std::uint16_t>;

} // namespace

TEST_CASE("policy: P1's four as described, worked by hand", "[policy]") {
    // ArgMax: the most confident, the first of a tie.
    CHECK(chosen({policy_kind::argmax}) == picks{1, 2, 0});
    // Prediction: confidence minus prior = A {0.2, 0.1, -0.1}, B {-0.1, -0.5, 0.25}, C {-0.05, -0.35, -0.2}.
    CHECK(chosen({policy_kind::prediction}) == picks{0, 2, 0});
    // Sorted Pred: weakest first (2, 0, 1), the first whose confidence beats its prior;
    // row C has none, so ArgMax.
    CHECK(chosen({policy_kind::sorted_pred}) == picks{0, 2, 0});
    // Random: row A is sure (0.9 > 0.6), so ArgMax there.
    CHECK(chosen({policy_kind::random})[0] == 1);

    const auto d = apply_policy({policy_kind::prediction}, rows_abc, three_models());
    CHECK(d.scored == d.chosen);
    CHECK(d.scored_as_wrong == std::vector<char>{0, 0, 0});
}

TEST_CASE("policy: P1's published-code forms", "[policy]") {
    const auto ctx = three_models();
    SECTION("ArgMax picks the same models but scores an unconfident pick as wrong") {
        const auto d = apply_policy({policy_kind::argmax, policy_variant::p1_code}, rows_abc, ctx);
        CHECK(d.chosen == picks{1, 2, 0});
        CHECK(d.scored == d.chosen);
        CHECK(d.scored_as_wrong == std::vector<char>{0, 0, 1});  // row C's pick has 0.45 < 0.5
    }
    SECTION("Prediction is ArgMax without the gate") {
        const auto d = apply_policy({policy_kind::prediction, policy_variant::p1_code}, rows_abc, ctx);
        CHECK(d.chosen == picks{1, 2, 0});
        CHECK(d.scored_as_wrong == std::vector<char>{0, 0, 0});
    }
    SECTION("Sorted Pred scores the model at the picked index of the label order") {
        const auto d = apply_policy({policy_kind::sorted_pred, policy_variant::p1_code}, rows_abc, ctx);
        CHECK(d.chosen == picks{1, 2, 0});
        CHECK(d.scored == picks{0, 1, 2});  // order {2, 0, 1}: index 1 -> 0, 2 -> 1, 0 -> 2
        CHECK(d.scored_as_wrong == std::vector<char>{0, 0, 0});
    }
    SECTION("Sorted Pred without a label order for every model is refused") {
        auto short_ctx = ctx;
        short_ctx.p1_code_label_order = {0, 1};
        CHECK_THROWS_AS(apply_policy({policy_kind::sorted_pred, policy_variant::p1_code}, rows_abc, short_ctx),
                        std::invalid_argument);
    }
}

TEST_CASE("policy: Random draws uniformly among the top three, seeded, P1's code doubles a tie", "[policy]") {
    // Row C many times: top confidence 0.45 <= 0.6, so every row draws.
    std::vector<double> values;
    const std::size_t n = 3000;
    for (std::size_t i = 0; i < n; ++i) values.insert(values.end(), {0.45, 0.45, 0.1});
    const auto c = confidences(3, values);
    const auto ctx = three_models();

    std::size_t described[3] = {0, 0, 0}, code[3] = {0, 0, 0};
    const auto d = apply_policy({policy_kind::random}, c, ctx);
    const auto k = apply_policy({policy_kind::random, policy_variant::p1_code}, c, ctx);
    for (std::size_t i = 0; i < n; ++i) {
        ++described[d.chosen[i]];
        ++code[k.chosen[i]];
    }
    // Described: a third each (sd of a count is about 26; 100 is about 4 sd).
    for (auto count : described) CHECK(count == Approx(1000).margin(100));
    // P1's code maps both 0.45s back to model 0: it gets two thirds, model 1 none.
    CHECK(code[0] == Approx(2000).margin(100));
    CHECK(code[1] == 0);
    CHECK(code[2] == Approx(1000).margin(100));
    // Every published-code pick here is below 0.5, so all of them score as wrong.
    for (char w : k.scored_as_wrong) CHECK(w == 1);

    CHECK(apply_policy({policy_kind::random}, c, ctx).chosen == d.chosen);
    auto other = ctx;
    other.seed = 8;
    CHECK(apply_policy({policy_kind::random}, c, other).chosen != d.chosen);
}

TEST_CASE("policy: threshold, cost-aware and cheapest-capable", "[policy]") {
    // Threshold: the cheapest (model 2) when its confidence >= t, else the best single (1).
    CHECK(chosen({policy_kind::threshold, policy_variant::described, 0.5}) == picks{1, 2, 1});
    CHECK(chosen({policy_kind::threshold, policy_variant::described, 0.0}) == picks{2, 2, 2});
    // Cost-aware, lambda 0.5, cost / $4: A {0.575, 0.4, 0.1375} -> 0; B {0.275, -0.2, 0.4875} -> 2;
    // C {0.325, -0.05, 0.0375} -> 0.
    CHECK(chosen({policy_kind::cost_aware, policy_variant::described, 0.5}) == picks{0, 2, 0});
    // Lambda 0 is ArgMax; a huge lambda always the cheapest.
    CHECK(chosen({policy_kind::cost_aware, policy_variant::described, 0.0}) == picks{1, 2, 0});
    CHECK(chosen({policy_kind::cost_aware, policy_variant::described, 100.0}) == picks{2, 2, 2});
    // Cheapest capable, tau 0.5: cheapest first (2, 0, 1); row C has none, so ArgMax.
    CHECK(chosen({policy_kind::cheapest_capable, policy_variant::described, 0.5}) == picks{0, 2, 0});
    CHECK(chosen({policy_kind::cheapest_capable, policy_variant::described, 0.0}) == picks{2, 2, 2});
    CHECK(chosen({policy_kind::cheapest_capable, policy_variant::described, 0.95}) == picks{1, 2, 0});
}

TEST_CASE("policy: degenerate inputs", "[policy]") {
    SECTION("one model: every policy picks it") {
        policy_context ctx;
        ctx.prior = {0.4};
        ctx.cost = {2.0};
        ctx.p1_code_label_order = {0};
        const auto c = confidences(1, {0.1, 0.9, 0.5});
        for (const auto& p : standard_policies()) CHECK(apply_policy(p, c, ctx).chosen == picks{0, 0, 0});
    }
    SECTION("no test rows: no decisions") {
        const auto d = apply_policy({policy_kind::random}, confidences(3, {}), three_models());
        CHECK(d.chosen.empty());
        CHECK(d.scored.empty());
    }
    SECTION("all confidences equal: the first model, for ArgMax-like rules") {
        const auto c = confidences(3, {0.7, 0.7, 0.7});
        CHECK(chosen({policy_kind::argmax}, c) == picks{0});
        CHECK(chosen({policy_kind::cost_aware, policy_variant::described, 0.0}, c) == picks{0});
        CHECK(chosen({policy_kind::cheapest_capable, policy_variant::described, 0.5}, c) == picks{2});
    }
    SECTION("free models: the cost term vanishes") {
        auto ctx = three_models();
        ctx.cost = {0, 0, 0};
        CHECK(chosen({policy_kind::cost_aware, policy_variant::described, 5.0}, rows_abc, ctx) == picks{1, 2, 0});
    }
    SECTION("a context for other models is refused") {
        auto ctx = three_models();
        ctx.prior = {0.5, 0.5};
        CHECK_THROWS_AS(apply_policy({policy_kind::argmax}, rows_abc, ctx), std::invalid_argument);
    }
}

TEST_CASE("policy: names round-trip and bad names are refused", "[policy][bad_input]") {
    for (const auto& p : standard_policies()) CHECK(parse_policy(describe(p)) == p);
    CHECK(describe(parse_policy("threshold=0.7")) == "threshold=0.7");
    CHECK(parse_policy("sorted-pred@p1-code").variant == policy_variant::p1_code);
    CHECK(parse_policy("cost=0.25").parameter == 0.25);
    for (const char* bad : {"argmx", "argmax=1", "threshold", "threshold=x", "cost=-1", "cost@p1-code=1",
                            "cheapest-capable=0.5junk", ""}) {
        INFO(bad);
        CHECK_THROWS_AS(parse_policy(bad), std::invalid_argument);
    }
    try {
        parse_policy("argmx");
    } catch (const std::invalid_argument& e) {
        CHECK(std::string(e.what()).find("argmx") != std::string::npos);
    }
}
