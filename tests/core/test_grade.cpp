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

// ---- the exec grader's trusted side: literals, test plans, the comparison ----------

#include "core/grading/calls.h"
#include "core/grading/literal.h"
#include "core/grading/test_cases.h"

namespace {

literal lit(std::string_view text) {
    literal out;
    std::string error;
    INFO(text);
    REQUIRE(parse_literal(text, out, error));
    return out;
}

bool refused(std::string_view text) {
    literal out;
    std::string error;
    return !parse_literal(text, out, error) && !error.empty();
}

} // namespace

TEST_CASE("literal: Python's == on plain values, and the stricter same-type check", "[grade][literal]") {
    const auto eq = [](std::string_view a, std::string_view b) { return literals_equal(lit(a), lit(b), false); };
    const auto same = [](std::string_view a, std::string_view b) { return literals_equal(lit(a), lit(b), true); };
    CHECK(eq("1", "1.0"));
    CHECK(eq("True", "1"));
    CHECK_FALSE(same("True", "1"));
    CHECK_FALSE(same("1", "1.0"));
    CHECK(eq("100000000000000000000", "1e+20"));
    CHECK_FALSE(eq("0.1", "0.10000000000000002"));
    CHECK(eq("'a\\nb'", "\"a\\nb\""));
    CHECK(eq("'\\xe9'", "'é'"));
    CHECK_FALSE(eq("'1'", "1"));
    CHECK_FALSE(eq("b'a'", "'a'"));
    CHECK_FALSE(eq("[1, 2]", "(1, 2)"));
    CHECK(eq("(1)", "1"));  // grouping, not a tuple
    CHECK_FALSE(eq("(1,)", "1"));
    CHECK(eq("{1: 'a', 2: 'b'}", "{2: 'b', 1: 'a'}"));
    CHECK(eq("{3, 1, 2}", "{1, 2, 3}"));
    CHECK(eq("{1, 1.0}", "{1}"));
    CHECK(eq("set()", "frozenset()"));
    CHECK_FALSE(same("{1}", "frozenset({1})"));
    CHECK(eq("-0.0", "0"));
    CHECK(eq("-inf", "-inf"));
    CHECK(eq("None", "None"));
    CHECK_FALSE(eq("None", "0"));
    CHECK_FALSE(eq("{}", "set()"));
    CHECK(eq("[[1, [2, (3,)]], {'k': [None]}]", "[[1, [2, (3,)]], {'k': [None]}]"));
    // What the candidate controls is text; anything but a plain literal is refused.
    for (std::string_view text : {"Anything()", "<object at 0x7f>", "1j", "(1+2j)", "__import__('os')", "[1, 2",
                                  "'open", "1 2", "Truex", "x", "", "{1: }", "frozenset([1])", "1__0"})
        CHECK(refused(text));
    CHECK(refused(std::string(1000, '[') + std::string(1000, ']')));  // too deep for the stack: refused, not a crash
}

TEST_CASE("test plans: MBPP asserts, HumanEval check, the simulator's table", "[grade][test_cases]") {
    const case_plan mbpp = plan_cases("import math\nassert f(1, [2]) == 3\nassert f(x := 1) == 2\n");
    CHECK_FALSE(mbpp.usable);  // := is a keyword-like form the reader does not take
    const case_plan plain = plan_cases("import math\nassert f(1, [2, 3]) == math.pi\nassert 4 == f(0,)\n");
    REQUIRE(plain.usable);
    CHECK(plain.entry == "f");
    CHECK(plain.setup == "import math\n");
    REQUIRE(plain.cases.size() == 2);
    CHECK(plain.cases[0].args == "(1, [2, 3],)");
    CHECK(plain.cases[0].expected == "math.pi");
    CHECK(plain.cases[0].line == 2);
    CHECK(plain.cases[1].args == "(0,)");
    CHECK(plain.cases[1].expected == "4");

    const case_plan human = plan_cases(
        "\n\ndef check(candidate):\n    \"\"\"docs\"\"\"\n    assert candidate('a,b') == ['a', 'b'], 'split'\n"
        "    assert candidate(\n        'x'\n    ) is None\n    assert True\n\ncheck(split)\n");
    REQUIRE(human.usable);
    CHECK(human.entry == "split");
    REQUIRE(human.cases.size() == 2);
    CHECK(human.cases[0].message == "'split'");
    CHECK(human.cases[1].identical);
    CHECK(human.cases[1].expected == "None");
    CHECK(human.setup.find("check") == std::string::npos);

    const case_plan table = plan_cases(
        "def _reference(v):\n    return v\n\n_CASES = [\n    ([1],),\n    ('a' * 2,),\n]\n\n"
        "def check(candidate):\n    for args in _CASES:\n        expected = _reference(*args)\n"
        "        got = candidate(*args)\n        assert type(got) is type(expected) and got == expected, "
        "f'{args!r}: expected {expected!r}, got {got!r}'\n\n\ncheck(echo)\n");
    REQUIRE(table.usable);
    CHECK(table.entry == "echo");
    REQUIRE(table.cases.size() == 2);
    CHECK(table.cases[1].args == "tuple(('a' * 2,))");
    CHECK(table.cases[1].expected == "_reference(*('a' * 2,))");
    CHECK(table.cases[1].identical);
    CHECK(table.cases[1].line == 13);

    // Shapes the reader does not take fall back, with the statement named.
    for (const char* tests : {"assert abs(f(1) - 2) < 1e-9\n", "def check(candidate):\n    for x in range(3):\n"
                              "        assert candidate(x) == x\n\ncheck(f)\n",
                              "assert f(1, key=2) == 3\n", "assert f(f(1)) == 3\n", "x = 1\n", "assert f('open\n",
                              "def f(x):\n    return x\nassert f(1) == 1\n"}) {
        INFO(tests);
        const case_plan no = plan_cases(tests);
        CHECK_FALSE(no.usable);
        CHECK_FALSE(no.why_not.empty());
    }
}

TEST_CASE("judge_calls: only a full, well-formed, equal report passes", "[grade][calls]") {
    const case_plan plan = plan_cases("assert f(1) == 2\nassert f(2) == 3\n");
    REQUIRE(plan.usable);
    // The oracle's records: args then expected, per case, then the end.
    const std::string oracle_report = "R4\n(1,)R1\n2R4\n(2,)R1\n3D0\n";
    const oracle cases = read_oracle(plan, true, oracle_report, "");
    REQUIRE(cases.usable);
    CHECK(call_payload("def f(x): return x + 1\n", cases) ==
          "4\ncall23\ndef f(x): return x + 1\n1\nf4\n(1,)4\n(2,)");
    CHECK(judge_calls(cases, "R1\n2R1\n3D0\n", "").status == grade_status::passed);
    CHECK(judge_calls(cases, "R3\n2.0R1\n3D0\n", "").status == grade_status::passed);
    CHECK(judge_calls(cases, "R1\n2R1\n4D0\n", "").detail == "case 2 of 2, f(2) returned 4, expected 3");
    CHECK(judge_calls(cases, "R1\n2R1\n3", "").status == grade_status::failed);              // no end record
    CHECK(judge_calls(cases, "R1\n2R1\n3D0\nR1\n3", "").status == grade_status::failed);     // records after the end
    CHECK(judge_calls(cases, "R1\n2", "").detail == "the program stopped before case 2 of 2, f(2)");
    CHECK(judge_calls(cases, "R99\n2", "").status == grade_status::failed);                  // a length past the end
    CHECK(judge_calls(cases, "", "").status == grade_status::failed);
    CHECK(judge_calls(cases, "E22\n3\nZeroDivisionError: xD0\n", "def f(x):\n\n\n    1/0\n").detail ==
          "ZeroDivisionError: x (candidate line 3)");
    // An oracle that failed, reported too few records or a non-literal, is no oracle.
    CHECK_FALSE(read_oracle(plan, false, oracle_report, "SyntaxError").usable);
    CHECK_FALSE(read_oracle(plan, true, "R4\n(1,)R1\n2D0\n", "").usable);
    CHECK_FALSE(read_oracle(plan, true, "R4\n(1,)R5\nobj()R4\n(2,)R1\n3D0\n", "").usable);
}

TEST_CASE("clean_detail: valid UTF-8, cut on a character boundary", "[grade][detail]") {
    CHECK(clean_detail("ok") == "ok");
    CHECK(clean_detail("a\xff\xfe" "b") == "a\xEF\xBF\xBD\xEF\xBF\xBD" "b");
    CHECK(clean_detail("\xed\xa0\x80") == "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");  // a surrogate's bytes
    CHECK(clean_detail("\xc3\xa9\xc3\xa9", 3) == "\xc3\xa9...");                      // not half an é
    CHECK(clean_detail("\xc3", 10) == "\xEF\xBF\xBD");                                 // cut inside one
    CHECK(clean_detail(std::string(5000, 'x')).size() == exec_detail_cap + 3);
}
