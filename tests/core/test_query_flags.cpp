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

// Two models on two mcq queries at budget 100, worked out by hand:
//   m0: g0 strict A, lenient A, a judge reply without a verdict; g1 strict none,
//       lenient B, cut at the budget
//   m1: g2 strict C, lenient D, finish unknown at 100 output tokens; g3 no answer under
//       either, its text blank
// and one generation of m0 at budget 200 that budget 100 does not count.
TEST_CASE("query_flags: artifact counts per model at one budget", "[labels][flags]") {
    study_maker mk;
    const auto mcq = mk.benchmark("mcq", task_kind::mcq);
    mk.model("m0");
    mk.model("m1");
    mk.query("q0", mcq, "A");
    mk.query("q1", mcq, "B");
    const auto g0 = mk.generation(0, 0, 100, 0, "A", 1.0f);
    mk.grade(g0, "lenient", "A", 1.0f);
    reply(mk.s, "a", g0, judge_scale::rubric);
    mk.grade(g0, "judge:a", "", 0.0f);
    mk.s.grades.status.back() = grade_status::parse_failure;
    const auto g1 = mk.generation(1, 0, 100, 0, "", 0.0f);
    mk.grade(g1, "lenient", "B", 1.0f);
    mk.s.generations.finish[g1] = finish_reason::length;
    const auto g2 = mk.generation(0, 1, 100, 0, "C", 0.0f);
    mk.grade(g2, "lenient", "D", 0.0f);
    mk.s.generations.finish[g2] = finish_reason::unknown;
    mk.s.generations.output_tokens[g2] = 100;
    const auto g3 = mk.generation(1, 1, 100, 0, "", 0.0f);
    mk.grade(g3, "lenient", "", 0.0f);
    mk.s.generations.text = {};
    for (const char* text : {"A", "B", "C", " \n"}) mk.s.generations.text.push_back(text);
    const auto g4 = mk.generation(0, 0, 200, 0, "", 0.0f);
    mk.s.generations.finish[g4] = finish_reason::length;

    const study_index index(mk.s);
    const auto flags = artifact_flags(mk.s, index, 100);
    REQUIRE(flags.size() == 2);
    CHECK(flags[0].generations == 2);
    CHECK(flags[0].truncated == 1);
    CHECK(flags[0].suspected_truncated == 0);
    CHECK(flags[0].extracted == 2);
    CHECK(flags[0].no_answer == 0);
    CHECK(flags[0].extractors_disagree == 1);
    CHECK(flags[0].judged == 1);
    CHECK(flags[0].judge_unparsable == 1);
    CHECK(flags[0].empty == 0);
    CHECK(flags[1].generations == 2);
    CHECK(flags[1].truncated == 0);
    CHECK(flags[1].suspected_truncated == 1);
    CHECK(flags[1].no_answer == 1);
    CHECK(flags[1].extractors_disagree == 1);
    CHECK(flags[1].judged == 0);
    CHECK(flags[1].empty == 1);
    const auto at_200 = artifact_flags(mk.s, index, 200);
    CHECK(at_200[0].generations == 1);
    CHECK(at_200[0].truncated == 1);
    CHECK(at_200[0].extracted == 1);
    CHECK(at_200[0].no_answer == 1);  // strict invalid, no lenient grade: strict is read
}
