// labels/cost.h: the dollars and milliseconds a model spends per query at a budget,
// from measured costs, token counts and prices. All numbers by hand.
#include "core/labels/cost.h"

#include "test_support.h"

#include <cmath>
#include <limits>
#include <vector>

using namespace headroom;
using namespace headroom::test;

namespace {

void add_generation(study& s, std::uint32_t q, std::uint16_t m, std::uint32_t budget, std::uint32_t in,
                    std::uint32_t out) {
    auto& g = s.generations;
    g.id.push_back("g" + std::to_string(g.size()));
    g.query.push_back(q);
    g.model.push_back(m);
    g.budget.push_back(budget);
    g.sample.push_back(0);
    g.finish.push_back(finish_reason::stop);
    g.input_tokens.push_back(in);
    g.output_tokens.push_back(out);
    g.latency_ms.push_back(1);
    g.text.push_back("x");
}

} // namespace

TEST_CASE("cost: cost_per_query is the mean dollar cost of a model's generations at a budget", "[cost]") {
    study s;
    s.models = {{"a", "f", 0, 1.0, 2.0, 0, "", ""}, {"b", "f", 1, 3.0, 6.0, 0, "", ""}, {"c", "f", 2, 5.0, 5.0, 0, "", ""}};
    // a at budget 16: (100*1 + 10*2)/1e6 = 120e-6 and (200*1 + 16*2)/1e6 = 232e-6 -> mean 176e-6.
    add_generation(s, 0, 0, 16, 100, 10);
    add_generation(s, 1, 0, 16, 200, 16);
    // b at budget 16: (100*3 + 5*6)/1e6 = 330e-6.
    add_generation(s, 0, 1, 16, 100, 5);
    // Budget 64 generations do not count at 16, and the other way round.
    add_generation(s, 0, 0, 64, 100, 60);        // a: (100 + 120)/1e6 = 220e-6
    add_generation(s, 0, 1, 64, 1000, 1000);     // b: (3000 + 6000)/1e6 = 9000e-6
    add_generation(s, 1, 1, 64, 0, 0);           // b: 0 -> mean 4500e-6
    // c has no generations at all: 0, not a division by zero.
    const auto at16 = cost_per_query(s, 16);
    REQUIRE(at16.size() == 3);
    CHECK(at16[0] == Approx(176e-6));
    CHECK(at16[1] == Approx(330e-6));
    CHECK(at16[2] == 0.0);
    const auto at64 = cost_per_query(s, 64);
    CHECK(at64[0] == Approx(220e-6));
    CHECK(at64[1] == Approx(4500e-6));
    CHECK(at64[2] == 0.0);
    // A budget nobody was sampled at.
    CHECK(cost_per_query(s, 5) == std::vector<double>{0, 0, 0});
}

TEST_CASE("cost: a measured cost wins over tokens x prices, a generation with neither is left out", "[cost]") {
    study s;
    s.models = {{"a", "f", 0, 1.0, 2.0, 0, "", ""}};
    add_generation(s, 0, 0, 16, 100, 10);                      // tokens: 120e-6, but measured below
    add_generation(s, 1, 0, 16, unknown_tokens, unknown_tokens);  // nothing known: left out
    add_generation(s, 2, 0, 16, 1000, 0);                      // tokens: 1000e-6
    const double nan = std::numeric_limits<double>::quiet_NaN();
    s.generations.cost_usd = {0.5, nan, nan};
    const auto at16 = cost_per_query(s, 16);
    REQUIRE(at16.size() == 1);
    CHECK(at16[0] == Approx((0.5 + 1000e-6) / 2));
}

TEST_CASE("cost: latency per model from the study's generations", "[cost]") {
    study_maker mk;
    const auto b = mk.benchmark("b", task_kind::mcq);
    const auto q = mk.query("q", b, "A");
    const auto m0 = mk.model("m0");
    mk.model("m1");
    mk.generation(q, m0, 64, 0, "A", 1);
    mk.generation(q, m0, 64, 1, "A", 1);
    mk.generation(q, m0, 256, 0, "A", 1);
    mk.s.generations.latency_ms = {10, 30, 500};
    const auto at64 = latency_per_query(mk.s, 64);
    CHECK(at64 == std::vector<double>{20, 0});  // m1 has no generations
    CHECK(latency_per_query(mk.s, 256) == std::vector<double>{500, 0});
}

TEST_CASE("cost: an unknown latency makes the model's mean unknown", "[cost]") {
    study_maker mk;
    const auto b = mk.benchmark("b", task_kind::mcq);
    const auto q = mk.query("q", b, "A");
    const auto m0 = mk.model("m0");
    const auto m1 = mk.model("m1");
    mk.generation(q, m0, 64, 0, "A", 1);
    mk.generation(q, m1, 64, 0, "A", 1);
    mk.s.generations.latency_ms = {std::numeric_limits<double>::quiet_NaN(), 7};
    const auto at64 = latency_per_query(mk.s, 64);
    CHECK(std::isnan(at64[0]));
    CHECK(at64[1] == 7);
}
