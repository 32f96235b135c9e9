// From a task's test program to (call, expected) pairs, so that the candidate's code
// never shares a process with the tests. Two shapes are read:
//   asserts  `assert f(args) == expected` at top level (MBPP), or `assert
//            candidate(args) == expected` / `is True|False|None` inside
//            `def check(candidate)` with a top-level `check(f)` (HumanEval);
//   table    inside check, `for args in CASES:` with `expected = reference(*args)`,
//            `got = candidate(*args)` and `assert got == expected` (optionally
//            `type(got) is type(expected) and ...`), over a top-level list CASES
//            (the simulator's code tasks).
// Every statement of check must be one of these (or `assert True`); any other shape
// makes the whole test program unusable here, and the grader falls back to running it
// in the candidate's interpreter with a stated weaker guarantee.
#pragma once
#include <string>
#include <string_view>
#include <vector>

namespace headroom {

struct call_case {
    std::string args;       // a Python expression whose value is the argument tuple
    std::string expected;   // a Python expression for the expected value
    bool identical = false; // type and value must match (`is`, or a `type(..) is type(..)` check)
    std::size_t line = 0;   // of its assert in the test program, 1-based
    std::string message;    // the assert's message expression ("" when it has none)
    // The names the message may show with {name!r}: the argument tuple, the expected
    // value and the candidate's value (table form only).
    std::string args_name, expected_name, got_name;
};

struct case_plan {
    bool usable = false;
    std::string why_not;    // when not usable: the first statement the reader could not use
    std::string entry;      // the function the candidate must define
    std::string setup;      // the test program without its assertions and check: the
                            // names the expected values need, run only in a clean process
    std::vector<call_case> cases;
};

case_plan plan_cases(std::string_view tests);

} // namespace headroom
