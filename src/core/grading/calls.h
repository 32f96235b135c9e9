// The exec grader's call protocol, trusted side. A clean process (the oracle) runs
// only the test program's setup and reports each case's arguments and expected value
// as repr() text; the candidate's process receives the program and those argument
// literals, calls the entry point on each and reports what came back as repr() text;
// the comparison happens here, on parsed literals. The candidate never sees the tests
// or the expected values, and nothing it reports is more than text.
//
// Framing, both ways, so no byte of a payload can be read as structure:
//   to the driver (fd 3):   items, each "<decimal length>\n<bytes>":
//                           mode ("call" or "eval"), code, entry, then one item per
//                           argument tuple (call) or expression (eval)
//   from the driver (fd 4): records, each "<kind><decimal length>\n<bytes>":
//                           R repr of a value, E an exception ("<line>\n<Type: message>",
//                           line: the innermost line of the candidate's code, or 0), D the end
#pragma once
#include "core/grading/grade.h"
#include "core/grading/literal.h"
#include "core/grading/test_cases.h"

#include <string>
#include <string_view>
#include <vector>

namespace headroom {

// What the oracle process reads: the plan's setup, then per case its argument tuple
// and its expected value, as expressions.
std::string oracle_payload(const case_plan& plan);

struct oracle {
    bool usable = false;
    std::string why_not;
    std::string entry;
    std::vector<std::string> args;      // repr of each case's argument tuple
    std::vector<literal> expected;
    std::vector<std::string> expected_text;
    std::vector<call_case> cases;       // from the plan: how each is compared and shown
};

// The oracle's report read against its plan. `completed`: the process ran to its end
// (it did not time out, crash or fail to load the setup); `failure` says why otherwise.
oracle read_oracle(const case_plan& plan, bool completed, std::string_view report, std::string_view failure);

// What the candidate's process reads: its program, the entry point and the arguments.
std::string call_payload(std::string_view program, const oracle& cases);

// The verdict of a candidate run that completed: passed iff every case returned a
// plain literal equal to the expected one. The first failing case is told as the
// in-process harness told it (the test's own assert message when the grader can
// format it, the exception's last line, with the line of the combined program and
// tests), else as "case i of n, f(args) returned X, expected Y".
exec_outcome judge_calls(const oracle& cases, std::string_view report, std::string_view program);

} // namespace headroom
