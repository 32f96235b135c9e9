// served.h: which model serves each query cheapest, by tier and share. All numbers by hand.
#include "core/analysis/served.h"

#include "test_support.h"

#include <vector>

using namespace headroom;
using namespace headroom::test;

namespace {

label_matrix matrix(std::size_t models, const std::vector<std::vector<double>>& rows) {
    label_matrix l;
    l.queries = rows.size();
    l.models = models;
    for (const auto& r : rows) l.value.insert(l.value.end(), r.begin(), r.end());
    return l;
}

model priced(const std::string& id, int tier) { return {id, "fam", tier, 0, 0, 0, "", ""}; }

} // namespace

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
