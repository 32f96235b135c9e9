// query_flags.h and study/judge_grades.h: the inspector's disputed and truncated flags,
// and the judge lookups under them, on a study built by hand.
#include "core/analysis/query_flags.h"
#include "core/study/judge_grades.h"

#include "test_support.h"

using namespace headroom;
using namespace headroom::test;

namespace {

// Judge `name` replied to `generation` on `scale` (the reply's text does not matter here).
void reply(study& s, const std::string& name, std::uint32_t generation, judge_scale scale) {
    auto& j = s.judgments;
    j.generation.push_back(generation);
    j.judge.push_back(j.judge_index(name));
    j.scale.push_back(scale);
    j.reply.push_back("reply");
}

// Three queries, one model; judges "a" (rubric: pass at 2) and "b" (ten: pass at 7),
// and "c", who replied but has no grades.
study judged() {
    study_maker mk;
    const auto open = mk.benchmark("open", task_kind::open);
    mk.model("m");
    for (int q = 0; q < 3; ++q) mk.query("q" + std::to_string(q), open, "");
    for (std::uint32_t q = 0; q < 3; ++q) mk.generation(q, 0, 100, 0, "x", 1.0f);
    reply(mk.s, "a", 0, judge_scale::rubric);
    reply(mk.s, "c", 0, judge_scale::ten);
    reply(mk.s, "b", 0, judge_scale::ten);
    mk.grade(0, "judge:a", "2", 2);   // q0: a passes, b fails: disputed
    mk.grade(0, "judge:b", "3", 3);
    mk.grade(1, "judge:a", "2", 2);   // q1: both pass
    mk.grade(1, "judge:b", "8", 8);
    mk.grade(2, "judge:a", "0", 0);   // q2: b has no usable verdict: nothing to dispute
    mk.grade(2, "judge:b", "", 9);
    mk.s.generations.finish[1] = finish_reason::length;
    return mk.s;
}

} // namespace

TEST_CASE("judge_grades: graded judges in study order with the scale of their replies", "[labels][judge]") {
    const study s = judged();
    const auto judges = graded_judges(s);
    REQUIRE(judges.size() == 2);  // c replied but was never graded
    CHECK(s.judgments.judges[judges[0].judge] == "a");
    CHECK(judges[0].scale == judge_scale::rubric);
    CHECK(s.judgments.judges[judges[1].judge] == "b");
    CHECK(judges[1].scale == judge_scale::ten);
    CHECK(s.grades.graders[judges[1].grader] == "judge:b");
    const auto rows = grade_rows(s.grades, judges[1].grader, s.generations.size());
    REQUIRE(rows.size() == 3);
    for (std::uint32_t g = 0; g < 3; ++g) {
        REQUIRE(rows[g] >= 0);
        CHECK(s.grades.generation[static_cast<std::size_t>(rows[g])] == g);
        CHECK(s.grades.grader[static_cast<std::size_t>(rows[g])] == judges[1].grader);
    }
    CHECK(grade_rows(s.grades, *s.grades.find_grader("strict"), 4)[3] == -1);  // no grade, no row
}

TEST_CASE("query_flags: disputed where two usable verdicts differ, truncated per budget", "[labels][judge]") {
    const study s = judged();
    const study_index index(s);
    CHECK(disputed_queries(s, index) == std::vector<char>{1, 0, 0});
    CHECK(truncated_queries(s, 100) == std::vector<char>{0, 1, 0});
    CHECK(truncated_queries(s, 200) == std::vector<char>{0, 0, 0});
}
