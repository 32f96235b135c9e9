// grade.h: grade_extractions over the tiny fixture. The expected answers were worked
// out by hand from the rules in extract.h; they are the inputs of the hand-computed
// headroom numbers in test_headroom.cpp.
#include "core/grading/grade.h"

#include "core/io/study_io.h"

#include "test_support.h"

#include <map>

using namespace headroom;
using namespace headroom::test;

namespace {

struct expected_grade {
    const char* strict;   // "" = invalid (no answer)
    const char* lenient;
    const char* lenient_rule;
};

// generation id -> (strict answer, lenient answer, lenient rule)
const std::map<std::string, expected_grade>& expected() {
    static const std::map<std::string, expected_grade> table{
        // q1, gold B (carbon, oxygen, neon, argon)
        {"q1.small.b16", {"B", "B", "answer-line"}},
        {"q1.small.b64", {"B", "B", "answer-line"}},
        {"q1.mid.b16", {"", "B", "answer-option-text"}},   // "...the answer is oxygen."
        {"q1.mid.b64", {"", "B", "answer-option-text"}},
        {"q1.big.b16", {"D", "D", "last-letter"}},          // cut before "B"; "D is argon" remains
        {"q1.big.b64", {"D", "B", "answer-line"}},          // "...answer is B. Option D is a common trap."
        // q2, gold C (red, green, blue, yellow)
        {"q2.small.b16", {"A", "A", "answer-line"}},
        {"q2.small.b64", {"A", "A", "answer-line"}},
        {"q2.mid.b16", {"", "", "none"}},                   // cut before "**C**"
        {"q2.mid.b64", {"C", "C", "answer-line"}},
        {"q2.big.b16", {"C", "C", "answer-line"}},          // cut before the change of mind
        {"q2.big.b64", {"D", "D", "answer-line"}},          // "...on reflection the answer is D."
        // q3, gold 1250
        {"q3.small.b16", {"1250", "1250", "last-number"}},
        {"q3.small.b64", {"1250", "1250", "last-number"}},
        {"q3.mid.b16", {"200", "1200", "answer-line"}},     // exactly 16 tokens: not cut
        {"q3.mid.b64", {"200", "1200", "answer-line"}},
        {"q3.big.b16", {"250", "1250", "answer-line"}},     // "$1,250." cut from "$1,250.00."
        {"q3.big.b64", {"250", "1250", "answer-line"}},
        // q4, gold 42
        {"q4.small.b16", {"48", "48", "last-number"}},
        {"q4.small.b64", {"48", "48", "last-number"}},
        {"q4.mid.b16", {"", "40", "answer-line"}},          // "...The answer is forty-" reads forty
        {"q4.mid.b64", {"", "42", "answer-line"}},          // "...The answer is forty-two."
        {"q4.big.b16", {"36", "36", "hash-line"}},
        {"q4.big.b64", {"36", "36", "hash-line"}},
    };
    return table;
}

} // namespace

TEST_CASE("grade: strict and lenient grades of every fixture generation, by hand", "[grade]") {
    study s = load_study_dir(fixture("tiny"));
    grade_extractions(s);
    const auto& t = s.grades;
    const auto strict = t.find_grader("strict"), lenient = t.find_grader("lenient"), judge = t.find_grader("judge:ref");
    REQUIRE(strict);
    REQUIRE(lenient);
    REQUIRE(judge);
    REQUIRE(t.size() == 1 + 2 * 24);

    std::map<std::pair<std::uint32_t, std::uint16_t>, std::size_t> row_of;
    for (std::size_t r = 0; r < t.size(); ++r) {
        const bool inserted = row_of.emplace(std::make_pair(t.generation[r], t.grader[r]), r).second;
        REQUIRE(inserted);  // one grade per (generation, grader)
    }
    for (std::uint32_t g = 0; g < s.generations.size(); ++g) {
        const std::string id = s.generations.id[g];
        INFO(id << ": " << s.generations.text[g]);
        const auto& want = expected().at(id);
        const query& q = s.queries[s.generations.query[g]];
        const std::size_t rs = row_of.at({g, *strict}), rl = row_of.at({g, *lenient});
        CHECK(t.answer[rs] == want.strict);
        CHECK(t.status[rs] == (*want.strict ? grade_status::ok : grade_status::invalid));
        CHECK(t.rules[t.rule[rs]] == (*want.strict ? (q.options.empty() ? "last-integer" : "last-letter") : "none"));
        CHECK(t.score[rs] == (want.strict == q.gold ? 1.0f : 0.0f));
        CHECK(t.answer[rl] == want.lenient);
        CHECK(t.status[rl] == (*want.lenient ? grade_status::ok : grade_status::invalid));
        CHECK(t.rules[t.rule[rl]] == want.lenient_rule);
        CHECK(t.score[rl] == (want.lenient == q.gold ? 1.0f : 0.0f));
        CHECK(t.detail[rs].empty());
    }
    // The hand-written judge grade is kept as it was.
    const std::size_t rj = row_of.at({1, *judge});
    CHECK(t.score[rj] == 2.0f);
    CHECK(t.detail[rj] == "The reply is correct. Score: 2");
}

TEST_CASE("grade: grading again replaces the extraction grades and changes nothing", "[grade]") {
    study s = load_study_dir(fixture("tiny"));
    grade_extractions(s);
    study again = s;
    grade_extractions(again);
    CHECK(first_difference(s, again) == "");
    // Stale extraction grades are replaced, not kept beside the new ones.
    study stale = s;
    for (auto& score : stale.grades.score) score = 0.5f;
    grade_extractions(stale);
    CHECK(first_difference(s, stale) != "");  // the judge's 0.5 stays
    const auto judge = stale.grades.find_grader("judge:ref");
    REQUIRE(judge);
    for (std::size_t r = 0; r < stale.grades.size(); ++r)
        if (stale.grades.grader[r] != *judge) CHECK(stale.grades.score[r] != 0.5f);
}

TEST_CASE("grade: code and open benchmarks get no extraction grades", "[grade]") {
    study_maker m;
    const auto code = m.benchmark("code", task_kind::code);
    const auto open = m.benchmark("open", task_kind::open);
    const auto q0 = m.query("c0", code, "");
    const auto q1 = m.query("o0", open, "");
    const auto model = m.model("m");
    m.generation(q0, model, 64, 0, "", 1.0f, "exec:strict");
    m.generation(q1, model, 64, 0, "", 2.0f, "judge:a");
    grade_extractions(m.s);
    CHECK(m.s.grades.size() == 2);
    CHECK(m.s.grades.graders[m.s.grades.grader[0]] == "exec:strict");
    CHECK(m.s.grades.graders[m.s.grades.grader[1]] == "judge:a");
}
