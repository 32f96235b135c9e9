// analysis/decomposition.h: combine()'s bits, and decompose() on protocol grids filled by hand. The
// five queries each have their own rule for which fixes solve them, so U of every one
// of the 8 combinations, the sequential attribution and the Shapley values can all be
// worked out on paper (below).
#include "core/analysis/decomposition.h"

#include "test_support.h"

#include <functional>
#include <string>
#include <vector>

using namespace headroom;
using namespace headroom::test;

TEST_CASE("decompose: combine applies fix bits truncation=1 format=2 judge=4", "[decompose]") {
    protocol naive;
    naive.budget = 16;
    naive.extractor = extractor::strict;
    naive.judges = judge_mode::single;
    naive.grounding = false;
    naive.aggregate = aggregation::majority;
    naive.k = 5;
    naive.ties = tie_rule::first_seen;
    protocol corrected = naive;
    corrected.budget = 64;
    corrected.extractor = extractor::lenient;
    corrected.judges = judge_mode::dual;
    corrected.grounding = true;
    // Settings outside the three fixes come from naive, never from corrected.
    corrected.aggregate = aggregation::mean;
    corrected.k = 3;
    corrected.ties = tie_rule::plurality;

    for (unsigned bits = 0; bits < 8; ++bits) {
        INFO("bits " << bits);
        const protocol p = combine(naive, corrected, bits);
        CHECK(p.budget == ((bits & 1) ? 64u : 16u));
        CHECK(p.extractor == ((bits & 2) ? extractor::lenient : extractor::strict));
        CHECK(p.judges == ((bits & 4) ? judge_mode::dual : judge_mode::single));
        CHECK(p.grounding == ((bits & 4) != 0));
        CHECK(p.aggregate == aggregation::majority);
        CHECK(p.k == 5);
        CHECK(p.ties == tie_rule::first_seen);
    }
    CHECK(combine(naive, corrected, 0) == naive);
    CHECK(to_string(artifact::truncation) == "truncation");
    CHECK(to_string(artifact::format) == "format");
    CHECK(to_string(artifact::judge) == "judge");
}

namespace {

constexpr unsigned T = 1, F = 2, J = 4;

// Which combinations of fixes solve each query, and which model solves it:
//   q0  solved iff T            by m1
//   q1  solved iff F and J      by m0
//   q2  solved iff T or F       by m0 under T alone, else by m1 (either column may hold the max);
//       five_queries() also gives it a partial 0.25 where unsolved (see the first test)
//   q3  solved iff T and J      by m0 and m1
//   q4  never (the residual)
//   q5  always, but outside the rows decomposed (it must not count)
//
// Solved per combination (bits = T|F|J), of q0..q4, and U = 1 - solved/5:
//   bits 0 -   : none            U0 = 1
//   bits 1 T   : q0 q2           U1 = 0.6
//   bits 2 F   : q2              U2 = 0.8
//   bits 3 TF  : q0 q2           U3 = 0.6
//   bits 4 J   : none            U4 = 1
//   bits 5 TJ  : q0 q2 q3        U5 = 0.4
//   bits 6 FJ  : q1 q2           U6 = 0.6
//   bits 7 TFJ : q0 q1 q2 q3     U7 = 0.2
// drop = 0.8; alone T 0.4, F 0.2, J 0; interactions 0.8 - 0.6 = 0.2; residual 0.2.
// Sequential T,F,J: T = U0-U1 = 0.4, F = U1-U3 = 0, J = U3-U7 = 0.4.
// Sequential J,F,T: J = U0-U4 = 0,   F = U4-U6 = 0.4, T = U6-U7 = 0.4.
// Shapley (weights 1/3, 1/6, 1/6, 1/3 over |S| = 0, 1, 1, 2):
//   T = (U0-U1)/3 + ((U2-U3) + (U4-U5))/6 + (U6-U7)/3 = 0.4/3 + 0.8/6 + 0.4/3 = 0.4
//   F = (U0-U2)/3 + ((U1-U3) + (U4-U6))/6 + (U5-U7)/3 = 0.2/3 + 0.4/6 + 0.2/3 = 0.2
//   J = (U0-U4)/3 + ((U1-U5) + (U2-U6))/6 + (U3-U7)/3 = 0     + 0.4/6 + 0.4/3 = 0.2
// Check per query (Shapley is additive over queries, each weighs 1/5): q0 all to T;
// q1 half F half J; q2 half T half F; q3 half T half J -> T 2/5, F 1/5, J 1/5.
using rule = std::function<bool(unsigned)>;

struct query_rule {
    rule solved;
    std::vector<double> by_model;  // the labels when solved (else 0 everywhere)
    std::function<std::vector<double>(unsigned)> custom = nullptr;
};

protocol_grid grid_of(const std::vector<query_rule>& queries) {
    protocol_grid grid;
    for (unsigned bits = 0; bits < 8; ++bits) {
        label_matrix& l = grid.labels[bits];
        l.queries = queries.size();
        l.models = 2;
        for (const auto& q : queries) {
            std::vector<double> row = q.custom ? q.custom(bits) : (q.solved(bits) ? q.by_model : std::vector<double>{0, 0});
            l.value.insert(l.value.end(), row.begin(), row.end());
        }
    }
    return grid;
}

protocol_grid five_queries() {
    return grid_of({
        {[](unsigned b) { return (b & T) != 0; }, {0, 1}},
        {[](unsigned b) { return (b & F) && (b & J); }, {1, 0}},
        {nullptr, {}, [](unsigned b) {
             if (b == T) return std::vector<double>{1, 0};
             return (b & (T | F)) ? std::vector<double>{0.25, 1} : std::vector<double>{0.25, 0};  // 0.25: partial, no solve
         }},
        {[](unsigned b) { return (b & T) && (b & J); }, {1, 1}},
        {[](unsigned) { return false; }, {1, 1}},
        {[](unsigned) { return true; }, {1, 1}},
    });
}

const std::vector<std::uint32_t> rows5{0, 1, 2, 3, 4};

decomposition_options no_bootstrap() {
    decomposition_options o;
    o.resamples = 0;
    return o;
}

void check_point(const interval& iv, double want) {
    CHECK(iv.value == Approx(want).margin(1e-12));
    CHECK(iv.low == iv.value);
    CHECK(iv.high == iv.value);
}

std::vector<const interval*> every_interval(const decomposition& d) {
    std::vector<const interval*> out;
    for (const auto& u : d.unsolvable) out.push_back(&u);
    out.push_back(&d.drop);
    for (const auto& a : d.alone) out.push_back(&a);
    out.push_back(&d.interactions);
    for (const auto& s : d.sequential) out.push_back(&s);
    for (const auto& s : d.shapley) out.push_back(&s);
    out.push_back(&d.residual);
    return out;
}

} // namespace

TEST_CASE("decompose: U of each combination, alone, interactions and residual, by hand", "[decompose]") {
    const protocol_grid grid = five_queries();
    // As the table above, except that q2 keeps a partial label of 0.25 (m0) where no fix
    // solves it (bits 0 and 4). The oracle of fractional labels is their max, so there
    // U0 = U4 = 1 - 0.25/5 = 0.95; the other six U are the table's.
    const decomposition d = decompose(grid, rows5, "made", no_bootstrap());
    CHECK(d.benchmark == "made");
    CHECK(d.queries == 5);
    const double want_u[8] = {0.95, 0.6, 0.8, 0.6, 0.95, 0.4, 0.6, 0.2};
    for (unsigned bits = 0; bits < 8; ++bits) {
        INFO("bits " << bits);
        check_point(d.unsolvable[bits], want_u[bits]);
    }
    check_point(d.drop, 0.75);                        // 0.95 - 0.2
    check_point(d.alone[0], 0.35);                    // T: 0.95 - 0.6
    check_point(d.alone[1], 0.15);                    // F: 0.95 - 0.8
    check_point(d.alone[2], 0.0);                     // J: 0.95 - 0.95
    check_point(d.interactions, 0.75 - 0.5);          // drop minus the three alone
    check_point(d.residual, 0.2);
    // Sequential in the default order truncation, format, judge.
    check_point(d.sequential[0], 0.35);               // U0 - U1
    check_point(d.sequential[1], 0.0);                // U1 - U3
    check_point(d.sequential[2], 0.4);                // U3 - U7
    // Shapley with the weights 1/3, 1/6, 1/6, 1/3:
    //   T = 0.35/3 + (0.2 + 0.55)/6 + 0.4/3 = 0.375
    //   F = 0.15/3 + (0 + 0.35)/6 + 0.2/3   = 0.175
    //   J = 0 + (0.2 + 0.2)/6 + 0.4/3        = 0.2
    // (q2's game is now worth 0.75, split half T half F: 0.4 - 0.025 and 0.2 - 0.025.)
    check_point(d.shapley[0], 0.375);
    check_point(d.shapley[1], 0.175);
    check_point(d.shapley[2], 0.2);
    double sum = 0;
    for (const auto& s : d.shapley) sum += s.value;
    CHECK(sum == Approx(d.drop.value));
}

TEST_CASE("decompose: integer labels give the textbook split, sequential order matters, Shapley does not", "[decompose]") {
    // As five_queries but q2 with 0/1 labels only.
    const protocol_grid grid = grid_of({
        {[](unsigned b) { return (b & T) != 0; }, {0, 1}},
        {[](unsigned b) { return (b & F) && (b & J); }, {1, 0}},
        {[](unsigned b) { return (b & (T | F)) != 0; }, {0, 1}},
        {[](unsigned b) { return (b & T) && (b & J); }, {1, 1}},
        {[](unsigned) { return false; }, {1, 1}},
        {[](unsigned) { return true; }, {1, 1}},
    });
    decomposition_options o = no_bootstrap();
    const decomposition d = decompose(grid, rows5, "all", o);
    const double want_u[8] = {1, 0.6, 0.8, 0.6, 1, 0.4, 0.6, 0.2};
    for (unsigned bits = 0; bits < 8; ++bits) check_point(d.unsolvable[bits], want_u[bits]);
    check_point(d.drop, 0.8);
    check_point(d.alone[0], 0.4);
    check_point(d.alone[1], 0.2);
    check_point(d.alone[2], 0.0);
    check_point(d.interactions, 0.2);
    check_point(d.sequential[0], 0.4);
    check_point(d.sequential[1], 0.0);
    check_point(d.sequential[2], 0.4);
    check_point(d.shapley[0], 0.4);
    check_point(d.shapley[1], 0.2);
    check_point(d.shapley[2], 0.2);

    // Another order: judge, format, truncation. Results stay indexed by artifact.
    o.order = {artifact::judge, artifact::format, artifact::truncation};
    const decomposition e = decompose(grid, rows5, "all", o);
    check_point(e.sequential[2], 0.0);   // J first: U0 - U4
    check_point(e.sequential[1], 0.4);   // then F: U4 - U6
    check_point(e.sequential[0], 0.4);   // then T: U6 - U7
    double seq = 0;
    for (const auto& s : e.sequential) seq += s.value;
    CHECK(seq == Approx(e.drop.value));
    for (std::size_t a = 0; a < 3; ++a) CHECK(e.shapley[a].value == Approx(d.shapley[a].value));

    // Only the rows asked for count: q5 (always solved) and q4 (never) change U.
    const decomposition g = decompose(grid, {0, 1, 2, 3}, "four", no_bootstrap());
    check_point(g.unsolvable[0], 1.0);
    check_point(g.unsolvable[7], 0.0);
    check_point(g.drop, 1.0);
    const decomposition h = decompose(grid, {5}, "solved", no_bootstrap());
    for (const auto& u : h.unsolvable) check_point(u, 0.0);
    check_point(h.drop, 0.0);
}

TEST_CASE("decompose: bootstrap intervals hold the estimate, repeat per seed, collapse without spread", "[decompose]") {
    const protocol_grid grid = five_queries();
    decomposition_options o;
    o.resamples = 400;
    o.seed = 7;
    const decomposition d = decompose(grid, rows5, "made", o);
    const decomposition point = decompose(grid, rows5, "made", no_bootstrap());
    const auto ivs = every_interval(d);
    const auto points = every_interval(point);
    REQUIRE(ivs.size() == 20);
    bool any_spread = false;
    for (std::size_t k = 0; k < ivs.size(); ++k) {
        INFO("statistic " << k);
        CHECK(ivs[k]->value == Approx(points[k]->value).margin(1e-12));  // the point estimate is not resampled
        CHECK(ivs[k]->low <= ivs[k]->value + 1e-12);
        CHECK(ivs[k]->value <= ivs[k]->high + 1e-12);
        any_spread = any_spread || ivs[k]->high > ivs[k]->low;
    }
    CHECK(any_spread);
    // U is a share: its bounds stay in [0, 1].
    for (const auto& u : d.unsolvable) {
        CHECK(u.low >= 0.0);
        CHECK(u.high <= 1.0);
    }

    // Deterministic per seed (and per benchmark name, which the seed is derived with).
    const decomposition again = decompose(grid, rows5, "made", o);
    const auto ivs2 = every_interval(again);
    for (std::size_t k = 0; k < ivs.size(); ++k) {
        CHECK(ivs2[k]->low == ivs[k]->low);
        CHECK(ivs2[k]->high == ivs[k]->high);
    }
    decomposition_options other = o;
    other.seed = 8;
    const decomposition reseeded = decompose(grid, rows5, "made", other);
    const auto ivs3 = every_interval(reseeded);
    bool differs = false;
    for (std::size_t k = 0; k < ivs.size(); ++k)
        differs = differs || ivs3[k]->low != ivs[k]->low || ivs3[k]->high != ivs[k]->high;
    CHECK(differs);

    // Wider confidence, wider (or equal) intervals.
    decomposition_options wide = o;
    wide.confidence = 0.99;
    const decomposition w = decompose(grid, rows5, "made", wide);
    CHECK(w.drop.low <= d.drop.low);
    CHECK(w.drop.high >= d.drop.high);

    // Identical queries: every resample is the same sample, so every interval is its point.
    const decomposition same = decompose(grid, {1, 1, 1, 1, 1, 1}, "same", o);
    check_point(same.drop, 1.0);            // q1: unsolved except under F and J together
    check_point(same.interactions, 1.0);    // no fix alone does anything
    check_point(same.shapley[0], 0.0);
    check_point(same.shapley[1], 0.5);
    check_point(same.shapley[2], 0.5);
    for (const interval* iv : every_interval(same)) {
        CHECK(iv->low == iv->value);
        CHECK(iv->high == iv->value);
    }

    // No rows: zeros, no division by zero.
    const decomposition empty = decompose(grid, {}, "empty", o);
    CHECK(empty.queries == 0);
    for (const interval* iv : every_interval(empty)) check_point(*iv, 0.0);
}

TEST_CASE("decompose: make_grid computes each combination's labels", "[decompose]") {
    // Two budgets and two extractors; no judges (so the judge fix is a no-op).
    study_maker m;
    const auto quiz = m.benchmark("quiz", task_kind::mcq);
    const auto q0 = m.query("q0", quiz, "A");
    const auto q1 = m.query("q1", quiz, "B");
    const auto a = m.model("a");
    // q0: right only when long (truncation). q1: right only under lenient (format).
    for (std::uint32_t budget : {16u, 64u}) {
        const auto g0 = m.generation(q0, a, budget, 0, budget == 64 ? "A" : "C", budget == 64 ? 1.0f : 0.0f);
        m.grade(g0, "lenient", budget == 64 ? "A" : "C", budget == 64 ? 1.0f : 0.0f);
        const auto g1 = m.generation(q1, a, budget, 0, "", 0.0f);
        m.grade(g1, "lenient", "B", 1.0f);
    }
    const study_index index(m.s);
    protocol naive;
    naive.budget = 16;
    protocol corrected = naive;
    corrected.budget = 64;
    corrected.extractor = extractor::lenient;
    corrected.judges = judge_mode::dual;
    corrected.grounding = true;
    const protocol_grid grid = make_grid(m.s, index, naive, corrected);
    CHECK(grid.naive == naive);
    CHECK(grid.corrected == corrected);
    // Labels {q0, q1} per combination: q0 needs T, q1 needs F.
    for (unsigned bits = 0; bits < 8; ++bits) {
        INFO("bits " << bits);
        CHECK(grid.labels[bits].value ==
              std::vector<double>{(bits & T) ? 1.0 : 0.0, (bits & F) ? 1.0 : 0.0});
    }
    const decomposition d = decompose(grid, {0, 1}, "quiz", no_bootstrap());
    check_point(d.drop, 1.0);
    check_point(d.shapley[0], 0.5);
    check_point(d.shapley[1], 0.5);
    check_point(d.shapley[2], 0.0);
}
