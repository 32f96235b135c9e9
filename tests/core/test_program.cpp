// extract_program (extract.h) and the exec graders' bookkeeping (grade.h): which
// program each rule takes from a code answer, the jobs plan_exec asks the sandbox to
// run, and the grades add_exec_grades writes back, `invalid` where no program was found.
#include "core/grading/extract.h"

#include "core/grading/grade.h"

#include "test_support.h"

#include <stdexcept>
#include <string>
#include <vector>

using namespace headroom;
using namespace headroom::test;

namespace {

void check_program(std::string_view text, bool lenient, const std::string& program, const std::string& rule) {
    INFO((lenient ? "lenient" : "strict") << " on:\n" << text);
    const extraction e = extract_program(text, lenient);
    CHECK(e.found);
    CHECK(e.answer == program);
    CHECK(e.rule == rule);
}

void check_none(std::string_view text, bool lenient) {
    INFO((lenient ? "lenient" : "strict") << " on:\n" << text);
    const extraction e = extract_program(text, lenient);
    CHECK_FALSE(e.found);
    CHECK(e.answer.empty());
    CHECK(e.rule == "none");
}

const std::string fn = "def f(x):\n    return x + 1\n";

} // namespace

TEST_CASE("program: strict takes the last closed python fence", "[program][extract]") {
    // The simulator's fenced_python habit: prose, a blank line, the fence.
    const std::string answer = "A single pass is enough here.\n\n```python\n" + fn + "```";
    check_program(answer, false, fn, "python-fence");
    check_program(answer, true, fn, "python-fence");
    // py and python3 are python too, and text after the fence does not matter.
    check_program("```py\n" + fn + "```\nThat is all.", false, fn, "python-fence");
    check_program("```python3\n" + fn + "```", false, fn, "python-fence");
    check_program("```python  \n" + fn + "```", false, fn, "python-fence");  // trailing blanks on the opening line
    // Of two python fences, the last.
    const std::string second = "def f(x):\n    return x + 2\n";
    check_program("Draft:\n```python\n" + fn + "```\nBetter:\n```python\n" + second + "```\n", false, second,
                  "python-fence");
    // A fence must open a line: an inline ``` is not a fence.
    check_none("Use ```python here``` inline.", false);
}

TEST_CASE("program: strict needs a python fence, lenient also takes other fences and bare code", "[program][extract]") {
    // fenced_plain habit: no language on the fence.
    const std::string plain = "Here it is.\n\n```\n" + fn + "```";
    check_none(plain, false);
    check_program(plain, true, fn, "any-fence");
    // Another language's fence.
    check_none("```text\n" + fn + "```", false);
    check_program("```text\n" + fn + "```", true, fn, "any-fence");
    // unfenced habit: the bare function after the prose, to the end of the text.
    const std::string bare = "I will handle the empty input first.\n\nHere is the function:\n\n" + fn;
    check_none(bare, false);
    check_program(bare, true, fn, "bare-def");
    // An import or a from-import also starts bare code, and everything after it is kept.
    check_program("Prose first.\nimport math\n" + fn, true, "import math\n" + fn, "bare-def");
    check_program("Prose first.\nfrom math import sqrt\n" + fn, true, "from math import sqrt\n" + fn, "bare-def");
    // Only at the start of a line: prose that mentions def or import is not code.
    check_none("You could def ine it inline, or import it.", true);
    check_none("  def f(x):\n      return x\n", true);  // indented: not a top-level definition
    check_none("No code at all, sorry.", true);
    check_none("", true);
    check_none("", false);
}

TEST_CASE("program: an unclosed fence (an answer cut by its budget) is not a program", "[program][extract]") {
    // Cut inside the fenced block: the closing ``` never came.
    const std::string cut = "A single pass is enough here.\n\n```python\ndef f(x):\n    return x";
    check_none(cut, false);
    // A closed fence before the cut one still counts: it is the last closed fence.
    const std::string earlier = "```python\n" + fn + "```\nAnd a variant:\n```python\ndef g(x):\n    ret";
    check_program(earlier, false, fn, "python-fence");
    check_program(earlier, true, fn, "python-fence");
    // Cut inside the opening line itself.
    check_none("Here:\n\n```pyth", false);
    check_none("Here:\n\n```pyth", true);
}

TEST_CASE("program: lenient finds no program in a cut python fence either", "[program][extract]") {
    // Regression test: the comment below describes the defect it caught, now fixed.
    // The scan stops at the unclosed fence ("the answer was cut"), but lenient then falls
    // back to bare-def and returns the cut function from inside the fence. The
    // truncation artifact is then graded as a program (usually a syntax error: `failed`)
    // instead of `invalid`, and when the cut falls exactly on the closing backticks the
    // cut answer even passes: the format fix quietly repairs truncation.
    check_none("A single pass is enough here.\n\n```python\ndef f(x):\n    return x", true);
    check_none("Sure.\n\n```python\n" + fn, true);  // only the closing fence is missing
}

TEST_CASE("program: lenient prefers a python fence to a later fence in another language", "[program][extract]") {
    // Regression test: the comment below describes the defect it caught, now fixed.
    // Real answers often show usage after the code. Lenient must find at least what
    // strict finds; here it takes the usage block (any-fence, the last closed fence) and
    // the exec grader runs ">>> f(1)" instead of the function.
    const std::string answer = "```python\n" + fn + "```\n\nUsage:\n\n```\n>>> f(1)\n2\n```";
    check_program(answer, false, fn, "python-fence");
    check_program(answer, true, fn, "python-fence");
    // Whichever comes first.
    const std::string before = "Example:\n```\n>>> f(1)\n2\n```\nCode:\n```python\n" + fn + "```";
    check_program(before, true, fn, "python-fence");
}

namespace {

// Code generations with every habit, one mcq generation between them (no jobs), and
// an exec grade of an earlier run that must be replaced.
struct exec_study {
    exec_study() {
        const auto code = m.benchmark("code", task_kind::code);
        const auto quiz = m.benchmark("quiz", task_kind::mcq);
        const auto c0 = m.query("c0", code, "");
        const auto c1 = m.query("c1", code, "");
        const auto q0 = m.query("q0", quiz, "A");
        const auto a = m.model("a");
        add(c0, a, 0, "Done.\n\n```python\n" + fn + "```");        // g0: both rules
        add(q0, a, 0, "Answer: A");                                   // g1: mcq, no jobs
        m.grade(1, "strict", "A", 1.0f);                              //     and its grade stays
        add(c0, a, 1, "Here.\n\n```\n" + fn + "```");                 // g2: lenient only (any-fence)
        add(c1, a, 0, "Here is the function:\n\n" + fn);              // g3: lenient only (bare-def)
        add(c1, a, 1, "I am not able to help with this question.");   // g4: no program
        // A stale exec grade.
        auto& g = m.s.grades;
        g.generation.push_back(0);
        g.grader.push_back(g.grader_index("exec:strict"));
        g.status.push_back(grade_status::failed);
        g.score.push_back(0);
        g.rule.push_back(g.rule_index("python-fence"));
        g.answer.push_back("");
        g.detail.push_back("stale");
    }
    void add(std::uint32_t q, std::uint16_t model, std::uint16_t sample, const std::string& text) {
        auto& g = m.s.generations;
        g.id.push_back("g" + std::to_string(g.size()));
        g.query.push_back(q);
        g.model.push_back(model);
        g.budget.push_back(100);
        g.sample.push_back(sample);
        g.finish.push_back(finish_reason::stop);
        g.input_tokens.push_back(10);
        g.output_tokens.push_back(10);
        g.latency_ms.push_back(1);
        g.text.push_back(text);
    }
    study_maker m;
};

} // namespace

TEST_CASE("program: lenient takes right answers in common shapes (issue 18, finding 8)", "[program][extract]") {
    const auto lenient = [](std::string_view text, std::string_view entry = "f") {
        return extract_program(text, true, entry);
    };
    // A solution fence, then a usage example that calls it: the defining fence.
    const std::string usage = "```python\n" + fn + "```\n\nUse it like this:\n\n```python\nprint(f(1))\n```\n";
    extraction e = lenient(usage);
    CHECK(e.answer == fn);
    CHECK(e.rule == "entry-fence");
    CHECK(extract_program(usage, false).answer == "print(f(1))\n");  // strict stays P1's rule
    // The same shape without a known entry point keeps the old rule.
    CHECK(lenient(usage, "").answer == "print(f(1))\n");
    // A bare def, then prose at the left margin.
    e = lenient("Here you go:\n" + fn + "This adds one to x.\nIt works for ints.\n");
    CHECK(e.answer == fn);
    CHECK(e.rule == "bare-def");
    // Code lines at the left margin are not prose.
    e = lenient(fn + "result = f(2)\nprint(result)\nif result:\n    pass\n");
    CHECK(e.answer == fn + "result = f(2)\nprint(result)\nif result:\n    pass\n");
    // An indented fence (inside a list item), its indentation removed.
    e = lenient("1. The code:\n\n   ```python\n   def f(x):\n       return x + 1\n   ```\n");
    CHECK(e.answer == fn);
    CHECK(e.rule == "python-fence");
    // A ~~~ fence, and a longer ``` run that holds a shorter one.
    CHECK(lenient("~~~python\n" + fn + "~~~\n").answer == fn);
    CHECK(lenient("````python\n" + fn + "```\nnot the end\n````\n").answer == fn + "```\nnot the end\n");
    // The fence defining the entry point wins over a later python fence of a helper.
    e = lenient("```\n" + fn + "```\n```python\ndef g():\n    pass\n```\n");
    CHECK(e.answer == fn);
    CHECK(e.rule == "entry-fence");
    // Still nothing from a fence the budget cut.
    CHECK_FALSE(lenient("```python\ndef f(x):\n").found);
}

TEST_CASE("program: plan_exec asks for one run per generation and rule that found a program", "[program][grade]") {
    exec_study e;
    REQUIRE(e.m.s.generations.size() == 5);

    const auto jobs = plan_exec(e.m.s);
    // In generation order, strict before lenient; mcq g1 and program-less g4 have none.
    REQUIRE(jobs.size() == 4);
    CHECK(jobs[0].generation == 0);
    CHECK_FALSE(jobs[0].lenient);
    CHECK(jobs[0].rule == "python-fence");
    CHECK(jobs[0].program == fn);
    CHECK(jobs[1].generation == 0);
    CHECK(jobs[1].lenient);
    CHECK(jobs[1].rule == "python-fence");
    CHECK(jobs[2].generation == 2);
    CHECK(jobs[2].lenient);
    CHECK(jobs[2].rule == "any-fence");
    CHECK(jobs[2].program == fn);
    CHECK(jobs[3].generation == 3);
    CHECK(jobs[3].lenient);
    CHECK(jobs[3].rule == "bare-def");
    CHECK(jobs[3].program == fn);

    // The sandbox's verdicts, one per job.
    const std::vector<exec_outcome> outcomes{
        {grade_status::passed, "4 cases passed", {}},
        {grade_status::failed, "AssertionError", {}},
        {grade_status::timeout, "over 5 s", "any-fence+in-process"},
        {grade_status::passed, "", {}},
    };
    study s = e.m.s;
    add_exec_grades(s, jobs, outcomes);
    const auto& t = s.grades;
    // The mcq strict grade stays first; the stale exec grade is gone; then two exec
    // grades per code generation (g0, g2, g3, g4), strict then lenient.
    REQUIRE(t.size() == 1 + 8);
    CHECK(t.graders[t.grader[0]] == "strict");
    CHECK(t.generation[0] == 1);
    struct want_row {
        std::uint32_t generation;
        const char* grader;
        grade_status status;
        float score;
        const char* rule;
        const char* detail;
    };
    const auto invalid = grade_status::invalid;
    const char* none_detail = "no program found in the answer";
    const want_row want[] = {
        {0, "exec:strict", grade_status::passed, 1, "python-fence", "4 cases passed"},
        {0, "exec:lenient", grade_status::failed, 0, "python-fence", "AssertionError"},
        {2, "exec:strict", invalid, 0, "none", none_detail},
        // An outcome's own rule (the in-process fallback's) replaces the extraction's.
        {2, "exec:lenient", grade_status::timeout, 0, "any-fence+in-process", "over 5 s"},
        {3, "exec:strict", invalid, 0, "none", none_detail},
        {3, "exec:lenient", grade_status::passed, 1, "bare-def", ""},
        {4, "exec:strict", invalid, 0, "none", none_detail},
        {4, "exec:lenient", invalid, 0, "none", none_detail},
    };
    for (std::size_t i = 0; i < 8; ++i) {
        INFO("exec grade " << i);
        const std::size_t r = i + 1;
        CHECK(t.generation[r] == want[i].generation);
        CHECK(t.graders[t.grader[r]] == want[i].grader);
        CHECK(t.status[r] == want[i].status);
        CHECK(t.score[r] == want[i].score);
        CHECK(t.rules[t.rule[r]] == want[i].rule);
        CHECK(t.detail[r] == want[i].detail);
        CHECK(t.answer[r].empty());
    }
}

TEST_CASE("program: add_exec_grades refuses outcomes that do not match the plan", "[program][grade]") {
    exec_study e;
    const auto jobs = plan_exec(e.m.s);
    REQUIRE(jobs.size() == 4);
    std::vector<exec_outcome> outcomes(jobs.size(), {grade_status::passed, "", {}});

    study s = e.m.s;
    auto fewer = outcomes;
    fewer.pop_back();
    CHECK_THROWS_AS(add_exec_grades(s, jobs, fewer), std::invalid_argument);
    // Jobs out of plan order (lenient before strict) are refused, not misfiled.
    auto swapped = jobs;
    std::swap(swapped[0], swapped[1]);
    CHECK_THROWS_WITH(add_exec_grades(s, swapped, outcomes), Catch::Contains("not in plan_exec order"));
    // A job for a generation that is not code.
    auto foreign = jobs;
    foreign[3].generation = 1;
    CHECK_THROWS_AS(add_exec_grades(s, foreign, outcomes), std::invalid_argument);
    // Nothing was written by the refused calls.
    CHECK(s.grades.size() == e.m.s.grades.size());
    // No jobs at all: every code generation is invalid under both rules.
    add_exec_grades(s, {}, {});
    std::size_t invalid = 0;
    for (std::size_t r = 0; r < s.grades.size(); ++r) invalid += s.grades.status[r] == grade_status::invalid;
    CHECK(invalid == 8);
}
