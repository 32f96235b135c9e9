// judge.h and grade_judgments (grade.h): a judge reply's verdict, the pass thresholds
// of both scales, and the judge grades of a small study written by hand. Every
// expected verdict is read off the reply by eye.
#include "core/grading/judge.h"

#include "core/grading/grade.h"

#include "test_support.h"

#include <string>
#include <vector>

using namespace headroom;
using namespace headroom::test;

namespace {

struct parsed {
    bool ok;
    double score;
    std::string problem;
};

parsed parse(std::string_view reply, judge_scale scale) {
    const judge_verdict v = parse_judge_reply(reply, scale);
    return {v.parsed, v.score, std::string(v.problem)};
}

void check_verdict(std::string_view reply, judge_scale scale, double score) {
    INFO("reply: " << reply << " (" << to_string(scale) << ")");
    const parsed p = parse(reply, scale);
    CHECK(p.ok);
    CHECK(p.score == score);
    CHECK(p.problem.empty());
}

void check_failure(std::string_view reply, judge_scale scale, const std::string& problem) {
    INFO("reply: " << reply << " (" << to_string(scale) << ")");
    const parsed p = parse(reply, scale);
    CHECK_FALSE(p.ok);
    CHECK(p.score == 0);
    CHECK(p.problem == problem);
}

} // namespace

TEST_CASE("judge: rubric replies carry one verdict in double brackets", "[judge]") {
    const auto rubric = judge_scale::rubric;
    check_verdict("[[0]]", rubric, 0);
    check_verdict("[[1]]", rubric, 1);
    check_verdict("[[2]]", rubric, 2);
    check_verdict("The response answers the question correctly and completely. [[2]]", rubric, 2);
    check_verdict("[[1]] because it misses the second part.", rubric, 1);
    // The simulator's judges write "<rationale> [[g]]"; a rationale with digits is no verdict.
    check_verdict("Step 2 of 3 is wrong, so: [[0]]", rubric, 0);
    // Out-of-range values are not verdicts: they neither count nor conflict.
    check_verdict("[[3]] is not a grade here, [[1]] is.", rubric, 1);
    check_verdict("[[12]] then [[2]]", rubric, 2);
    // "Rating:" belongs to the ten-point scale only.
    check_verdict("Rating: 9, overall [[1]]", rubric, 1);
}

TEST_CASE("judge: ten-point replies read Rating: n or a bracketed n", "[judge]") {
    const auto ten = judge_scale::ten;
    check_verdict("Rating: 7", ten, 7);
    check_verdict("The answer is fine. Rating: 1", ten, 1);
    check_verdict("rating: 10", ten, 10);           // case-insensitive, two digits
    check_verdict("RATING:3", ten, 3);              // no space needed
    check_verdict("Rating:    8", ten, 8);          // any number of spaces
    check_verdict("Rating: 7/10", ten, 7);
    check_verdict("[[7]]", ten, 7);
    check_verdict("[[10]]", ten, 10);
    check_verdict("Good. [[4]]", ten, 4);
    // Out of range on 1..10: ignored, so the other verdict stands alone.
    check_verdict("Rating: 0 at first, but on reflection [[6]]", ten, 6);
    check_verdict("Rating: 11? No: Rating: 9", ten, 9);
}

TEST_CASE("judge: decimal verdicts parse, as MT-Bench-style judges write them", "[judge]") {
    const auto ten = judge_scale::ten;
    check_verdict("[[9.5]]", ten, 9.5);
    check_verdict("Rating: [[8.5]]", ten, 8.5);
    check_verdict("Rating: 7.25", ten, 7.25);
    check_verdict("[[1.5]]", judge_scale::rubric, 1.5);
    check_failure("[[10.5]]", ten, "no verdict");  // out of range on 1..10
    CHECK_FALSE(judge_passes(ten, 6.5));
    CHECK(judge_passes(ten, 7.0));
}

TEST_CASE("judge: no verdict and several verdicts are parse failures that name the problem", "[judge]") {
    const auto rubric = judge_scale::rubric, ten = judge_scale::ten;
    check_failure("", rubric, "no verdict");
    check_failure("I cannot settle on a single score for this one.", rubric, "no verdict");
    check_failure("[[3]]", rubric, "no verdict");        // out of range on 0..2
    check_failure("[[-1]]", rubric, "no verdict");
    check_failure("[[123]]", rubric, "no verdict");      // three digits are not a small grade
    check_failure("[[2]", rubric, "no verdict");         // not closed
    check_failure("[2]", rubric, "no verdict");
    check_failure("[[ 2 ]]", rubric, "no verdict");
    check_failure("Rating: 2", rubric, "no verdict");    // the ten-point form on the rubric scale
    check_failure("Score: [[2]], or arguably [[1]].", rubric, "several verdicts");  // the simulator's malformed reply
    check_failure("[[2]][[2]]", rubric, "several verdicts");                        // even when they agree

    check_failure("", ten, "no verdict");
    check_failure("Rating: none", ten, "no verdict");
    check_failure("Rating: 0", ten, "no verdict");
    check_failure("Rating: 11", ten, "no verdict");
    check_failure("Rating: 123", ten, "no verdict");
    check_failure("[[0]]", ten, "no verdict");
    check_failure("Score: Rating: 8, or arguably Rating: 5.", ten, "several verdicts");
    check_failure("Rating: 7 [[7]]", ten, "several verdicts");
}

TEST_CASE("judge: judge_passes at rubric 2 and ten-point 7 or more", "[judge]") {
    CHECK(judge_passes(judge_scale::rubric, 2));
    CHECK_FALSE(judge_passes(judge_scale::rubric, 1));
    CHECK_FALSE(judge_passes(judge_scale::rubric, 1.9));
    CHECK_FALSE(judge_passes(judge_scale::rubric, 0));
    CHECK(judge_passes(judge_scale::ten, 7));
    CHECK(judge_passes(judge_scale::ten, 10));
    CHECK_FALSE(judge_passes(judge_scale::ten, 6));
    CHECK_FALSE(judge_passes(judge_scale::ten, 6.99));
    CHECK_FALSE(judge_passes(judge_scale::ten, 2));  // a rubric "2" is not a ten-point pass
}

namespace {

void add_reply(study& s, std::uint32_t generation, const std::string& judge, judge_scale scale,
               const std::string& reply) {
    auto& j = s.judgments;
    j.generation.push_back(generation);
    j.judge.push_back(j.judge_index(judge));
    j.scale.push_back(scale);
    j.reply.push_back(reply);
}

void add_grade(grade_table& t, std::uint32_t generation, const std::string& grader, grade_status status, float score,
               const std::string& rule, const std::string& answer, const std::string& detail) {
    t.generation.push_back(generation);
    t.grader.push_back(t.grader_index(grader));
    t.status.push_back(status);
    t.score.push_back(score);
    t.rule.push_back(t.rule_index(rule));
    t.answer.push_back(answer);
    t.detail.push_back(detail);
}

// Three open-ended generations judged by "a" (rubric) and "b" (ten-point), replies
// interleaved per generation as the simulator writes them.
study judged_study() {
    study_maker m;
    const auto chat = m.benchmark("chat", task_kind::open);
    const auto q = m.query("o0", chat, "");
    const auto model = m.model("m");
    for (std::uint16_t i = 0; i < 3; ++i) m.generation(q, model, 100, i, "", 0.0f, "unused");
    m.s.grades = {};
    // Grades already in the study: an extraction grade, a hand-written judge grade from
    // a judge with no replies here, and a stale grade of judge "a" that must be replaced.
    add_grade(m.s.grades, 0, "strict", grade_status::ok, 1.0f, "made", "B", "");
    add_grade(m.s.grades, 0, "judge:human", grade_status::ok, 2.0f, "made", "", "hand-written");
    add_grade(m.s.grades, 1, "judge:a", grade_status::ok, 2.0f, "rubric", "", "");

    const auto rubric = judge_scale::rubric, ten = judge_scale::ten;
    add_reply(m.s, 0, "a", rubric, "Fully right. [[2]]");
    add_reply(m.s, 0, "b", ten, "Rating: 8");
    add_reply(m.s, 1, "a", rubric, "I cannot settle on a single score for this one.");
    add_reply(m.s, 1, "b", ten, "[[3]]");
    add_reply(m.s, 2, "a", rubric, "Score: [[1]], or arguably [[2]].");
    add_reply(m.s, 2, "b", ten, "Rating: 11");
    return m.s;
}

struct grade_row {
    std::uint32_t generation;
    std::string grader;
    grade_status status;
    float score;
    std::string rule, answer, detail;
    bool operator==(const grade_row&) const = default;
};

std::vector<grade_row> rows_of(const grade_table& t) {
    std::vector<grade_row> out;
    for (std::size_t i = 0; i < t.size(); ++i)
        out.push_back({t.generation[i], t.graders[t.grader[i]], t.status[i], t.score[i], t.rules[t.rule[i]],
                       std::string(t.answer[i]), std::string(t.detail[i])});
    return out;
}

} // namespace

TEST_CASE("judge: grade_judgments parses every reply into a judge grade", "[judge][grade]") {
    study s = judged_study();
    grade_judgments(s);
    const auto ok = grade_status::ok, fail = grade_status::parse_failure;
    // Kept grades first, in their order; then one grade per reply, in reply order. The
    // rule is the scale's name; the detail names the parse problem; the score of a
    // parse failure is 0 (and is never read: the status says it has no verdict).
    const std::vector<grade_row> want{
        {0, "strict", ok, 1.0f, "made", "B", ""},
        {0, "judge:human", ok, 2.0f, "made", "", "hand-written"},
        {0, "judge:a", ok, 2.0f, "rubric", "", ""},
        {0, "judge:b", ok, 8.0f, "ten", "", ""},
        {1, "judge:a", fail, 0.0f, "rubric", "", "no verdict"},
        {1, "judge:b", ok, 3.0f, "ten", "", ""},          // [[3]] is in range on the ten-point scale
        {2, "judge:a", fail, 0.0f, "rubric", "", "several verdicts"},
        {2, "judge:b", fail, 0.0f, "ten", "", "no verdict"},  // 11 is out of range
    };
    const auto got = rows_of(s.grades);
    REQUIRE(got.size() == want.size());
    for (std::size_t i = 0; i < want.size(); ++i) {
        INFO("grade row " << i);
        CHECK(got[i].generation == want[i].generation);
        CHECK(got[i].grader == want[i].grader);
        CHECK(got[i].status == want[i].status);
        CHECK(got[i].score == want[i].score);
        CHECK(got[i].rule == want[i].rule);
        CHECK(got[i].answer == want[i].answer);
        CHECK(got[i].detail == want[i].detail);
    }
    // The stale judge:a grade of generation 1 (score 2) is gone, not kept beside the new one.
    std::size_t judge_a_rows = 0;
    for (const auto& r : got) judge_a_rows += r.grader == "judge:a";
    CHECK(judge_a_rows == 3);

    // Grading again changes nothing.
    study again = s;
    grade_judgments(again);
    CHECK(rows_of(again.grades) == got);
    // And extraction grading keeps every judge grade.
    grade_extractions(again);
    std::size_t judge_rows = 0;
    for (const auto& r : rows_of(again.grades)) judge_rows += r.grader.rfind("judge:", 0) == 0;
    CHECK(judge_rows == 7);
}

TEST_CASE("judge: grade_judgments keeps hand-written grades of judges without replies", "[judge][grade]") {
    study s = judged_study();
    // No replies at all: nothing is regraded, every grade stays, the stale judge:a one too.
    s.judgments = {};
    const auto before = rows_of(s.grades);
    grade_judgments(s);
    CHECK(rows_of(s.grades) == before);
    REQUIRE(before.size() == 3);
    CHECK(before[1].grader == "judge:human");
    CHECK(before[2].grader == "judge:a");
}
