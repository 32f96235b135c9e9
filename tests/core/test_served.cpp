// served.h: the dollars a model spends per query, from token counts and prices, and
// which model serves each query cheapest. All numbers by hand.
#include "core/analysis/served.h"

#include "test_support.h"

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

label_matrix matrix(std::size_t models, const std::vector<std::vector<double>>& rows) {
    label_matrix l;
    l.queries = rows.size();
    l.models = models;
    for (const auto& r : rows) l.value.insert(l.value.end(), r.begin(), r.end());
    return l;
}

model priced(const std::string& id, int tier) { return {id, "fam", tier, 0, 0, 0, "", ""}; }

} // namespace

TEST_CASE("served: cost_per_query is the mean dollar cost of a model's generations at a budget", "[served]") {
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

TEST_CASE("served: best_served_by sends each solved query to its cheapest solver", "[served]") {
    // Costs: m1 (1) < m2 (2) < m0 (3). Tiers: m0 2, m1 0, m2 0.
    const std::vector<double> cost{3, 1, 2};
    const std::vector<model> models{priced("m0", 2), priced("m1", 0), priced("m2", 0)};
    const label_matrix l = matrix(3, {
        {1, 1, 1},        // q0 -> m1, the cheapest
        {1, 0, 1},        // q1 -> m2
        {1, 0, 0},        // q2 -> m0, the only solver
        {0, 0, 0},        // q3 unsolved
        {0.5, 0.4, 0},    // q4 -> m0: 0.5 counts as solved, 0.4 does not
        {0, 1, 0},        // q5 -> m1, but not in the rows
    });
    const served_by s = best_served_by(l, {0, 1, 2, 3, 4}, cost, models);
    // 4 of 5 rows solved: m0 serves 2, m1 1, m2 1.
    REQUIRE(s.share_by_model.size() == 3);
    CHECK(s.share_by_model[0] == Approx(0.5));
    CHECK(s.share_by_model[1] == Approx(0.25));
    CHECK(s.share_by_model[2] == Approx(0.25));
    CHECK(s.unsolved == Approx(0.2));
    double sum = 0;
    for (double v : s.share_by_model) sum += v;
    CHECK(sum == Approx(1.0));
    // By tier: tier 0 = m1 + m2 = 0.5, tier 2 = m0 = 0.5.
    REQUIRE(s.share_by_tier.size() == 2);
    CHECK(s.share_by_tier.at(0) == Approx(0.5));
    CHECK(s.share_by_tier.at(2) == Approx(0.5));

    // With q5 too: m1 serves 2 of 5 solved.
    const served_by t = best_served_by(l, {0, 1, 2, 3, 4, 5}, cost, models);
    CHECK(t.share_by_model[0] == Approx(0.4));
    CHECK(t.share_by_model[1] == Approx(0.4));
    CHECK(t.share_by_model[2] == Approx(0.2));
    CHECK(t.unsolved == Approx(1.0 / 6.0));

    // Equal costs: ties keep the study's model order, so m0 serves everything it solves.
    const served_by tie = best_served_by(l, {0, 1, 2, 3, 4}, {1, 1, 1}, models);
    CHECK(tie.share_by_model[0] == Approx(1.0));
    CHECK(tie.share_by_model[1] == 0.0);
    CHECK(tie.share_by_model[2] == 0.0);
    // Reversed costs: m2 cheapest, then m1, then m0.
    const served_by rev = best_served_by(l, {0, 1, 2, 3, 4}, {3, 2, 1}, models);
    CHECK(rev.share_by_model[2] == Approx(0.5));   // q0, q1
    CHECK(rev.share_by_model[0] == Approx(0.5));   // q2, q4
    CHECK(rev.share_by_model[1] == 0.0);
}

TEST_CASE("served: nothing solved and no rows are not divisions by zero", "[served]") {
    const std::vector<model> models{priced("m0", 0), priced("m1", 1)};
    const label_matrix none = matrix(2, {{0, 0}, {0.4, 0.1}});
    const served_by s = best_served_by(none, {0, 1}, {1, 2}, models);
    CHECK(s.share_by_model == std::vector<double>{0, 0});
    CHECK(s.unsolved == 1.0);
    CHECK(s.share_by_tier.at(0) == 0.0);
    CHECK(s.share_by_tier.at(1) == 0.0);
    const served_by e = best_served_by(none, {}, {1, 2}, models);
    CHECK(e.unsolved == 0.0);
    CHECK(e.share_by_model == std::vector<double>{0, 0});
}
