// Issue 18's attacks on the exec grader's verdicts, each as a program that does not
// solve its task and tries to be graded `passed` anyway: end to end, through the
// clean oracle process, the candidate's process and the trusted comparison. None may
// pass, none may crash the grading; the honest program beside them must pass.
#include "core/base/rng.h"
#include "core/grading/calls.h"
#include "core/grading/grade.h"
#include "core/grading/test_cases.h"
#include "core/sim/code_tasks.h"
#include "sandbox/sandbox.h"
#include "support.h"

#include <catch2/catch.hpp>
#include <string>

using namespace headroom;
using namespace headroom::sandbox;
using namespace headroom::sandbox::testing;

namespace {

struct graded {
    exec_outcome outcome;
    exec_result run;
};

// The grader's flow for one program: plan, oracle, candidate run, comparison.
graded grade_program(const std::string& program, const std::string& tests, const sandbox_config& config) {
    const case_plan plan = plan_cases(tests);
    REQUIRE(plan.usable);
    exec_limits limits;
    limits.wall_seconds = 3.0;
    const exec_result oracle_run = run_records(oracle_payload(plan), limits, config);
    const oracle cases = read_oracle(plan, oracle_run.verdict == exec_verdict::passed, oracle_run.report, oracle_run.reason);
    INFO("oracle: " << cases.why_not << " / " << oracle_run.stderr_text);
    REQUIRE(cases.usable);
    graded g;
    g.run = run_records(call_payload(program, cases), limits, config);
    g.outcome = {*parse_grade_status(to_string(g.run.verdict)), g.run.reason, {}};
    if (g.run.verdict == exec_verdict::passed) g.outcome = judge_calls(cases, g.run.report, program);
    return g;
}

const std::string mbpp_tests = "assert add_one(1) == 2\nassert add_one(41) == 42\nassert add_one(-1) == 0\n";

const std::string humaneval_tests = R"PY(
METADATA = {'author': 'jt'}


def check(candidate):
    assert candidate([1, 2, 3]) == 6
    assert candidate([]) == 0, "empty list"
    assert candidate([5]) == 5
    assert True, "This prints if this assert fails"

check(total)
)PY";

std::string sim_tests() {
    rng r(derive_seed(3, "forgery", 0));
    return sim::draft_code_task(r, 0).tests;  // sum_multiples over a _CASES table, with a _reference
}

} // namespace

TEST_CASE("forgery: honest programs pass in all three test shapes", "[forgery]") {
    temp_root root;
    const auto config = config_in(root);
    CHECK(grade_program("def add_one(x):\n    return x + 1\n", mbpp_tests, config).outcome.status == grade_status::passed);
    CHECK(grade_program("def total(xs):\n    return sum(xs)\n", humaneval_tests, config).outcome.status ==
          grade_status::passed);
    rng r(derive_seed(3, "forgery", 0));
    const sim::code_task task = sim::draft_code_task(r, 0);
    CHECK(grade_program(sim::write_solution(task, sim::code_fault::none), task.tests, config).outcome.status ==
          grade_status::passed);
    // A right answer with helpers named as the old harness's own (check, _CASES).
    const std::string helpers = "_CASES = {}\ndef check(x):\n    return x\ndef add_one(x):\n    return check(x) + 1\n";
    CHECK(grade_program(helpers, mbpp_tests, config).outcome.status == grade_status::passed);
    CHECK(root.entries() == 0);
}

TEST_CASE("forgery: a program cannot write the verdict itself", "[forgery]") {
    temp_root root;
    const auto config = config_in(root);
    // Finding 1: the old driver's pass byte, then leave before any case runs.
    const auto pass_byte = grade_program("import os\ndef add_one(x):\n    return 0\nos.write(4, b'P'); os._exit(0)\n",
                                         mbpp_tests, config);
    CHECK(pass_byte.outcome.status == grade_status::failed);
    // The call protocol's own records, forged: a guessed value per case and the end.
    const auto forged = grade_program(
        "import os\ndef add_one(x):\n    return 0\nos.write(4, b'R1\\n0R1\\n0R1\\n0D0\\n'); os._exit(0)\n", mbpp_tests,
        config);
    CHECK(forged.outcome.status == grade_status::failed);
    // Forged records that would pass if the real ones were ignored: the real ones follow.
    const auto prefix = grade_program(
        "import os\nos.write(4, b'R1\\n2R2\\n42R1\\n0D0\\n')\ndef add_one(x):\n    return 0\n", mbpp_tests, config);
    CHECK(prefix.outcome.status == grade_status::failed);
    CHECK(root.entries() == 0);
}

TEST_CASE("forgery: tracing, patched builtins and the tests' reference are out of reach", "[forgery]") {
    temp_root root;
    const auto config = config_in(root);
    const std::string tests = sim_tests();
    // Finding 2: a trace function rewriting the driver's locals (its marks, its values).
    const std::string tracer = R"PY(
import sys
def sum_multiples(values):
    return -1
def tracer(frame, event, arg):
    for name in ('mark', 'kind', 'expected'):
        if name in frame.f_locals:
            frame.f_locals[name] = b'P'
    return tracer
sys.settrace(tracer)
sys._getframe(1).f_trace = tracer
)PY";
    CHECK(grade_program(tracer, tests, config).outcome.status == grade_status::failed);
    // Finding 3: the tests' reference solution, called by name.
    const auto reference = grade_program("def sum_multiples(values):\n    return _reference(values)\n", tests, config);
    CHECK(reference.outcome.status == grade_status::failed);
    CHECK_THAT(reference.outcome.detail, Catch::Contains("NameError"));
    // An object equal to everything, and builtins.type replaced to hide its type.
    const std::string equal_to_all = R"PY(
import builtins
class Anything:
    def __eq__(self, other): return True
    def __ne__(self, other): return False
    def __repr__(self): return "Anything()"
builtins.type = lambda *args: int
def sum_multiples(values):
    return Anything()
)PY";
    const auto anything = grade_program(equal_to_all, tests, config);
    CHECK(anything.outcome.status == grade_status::failed);
    CHECK_THAT(anything.outcome.detail, Catch::Contains("got Anything()"));
    // Under `==` tests (no message to format) the grader says why it refused it.
    const auto anything_eq = grade_program(equal_to_all + "def add_one(x):\n    return Anything()\n", mbpp_tests, config);
    CHECK(anything_eq.outcome.status == grade_status::failed);
    CHECK_THAT(anything_eq.outcome.detail, Catch::Contains("not a plain literal"));
    // A repr that is valid literal text but claims to be anything: still a wrong value.
    const auto lying_repr =
        grade_program("class Int(int):\n    def __repr__(self): return '0'\ndef add_one(x):\n    return Int(7)\n",
                      mbpp_tests, config);
    CHECK(lying_repr.outcome.status == grade_status::failed);
    // The tests are nowhere to be read: not on fd 3, not in the environment, not on disk.
    const std::string reread = R"PY(
import os
seen = b''
try:
    os.lseek(3, 0, 0)
    seen = os.read(3, 1 << 20)
except OSError:
    pass
def sum_multiples(values):
    return int(b'_reference' in seen or b'_CASES' in seen) * 10**9
)PY";
    CHECK(grade_program(reread, tests, config).outcome.status == grade_status::failed);
    CHECK(root.entries() == 0);
}

TEST_CASE("forgery: hostile output never breaks the grading", "[forgery]") {
    temp_root root;
    const auto config = config_in(root);
    // Finding 5: invalid UTF-8 in an exception, and a message cut inside a character.
    const std::string bad_bytes =
        "import sys\ndef add_one(x):\n    sys.stderr.buffer.write(b'\\xff\\xfe')\n    raise ValueError('\\udcff' + 'é' * 400)\n";
    const auto raised = grade_program(bad_bytes, mbpp_tests, config);
    CHECK(raised.outcome.status == grade_status::failed);
    const std::string detail = clean_detail(raised.outcome.detail);
    CHECK(detail.size() <= exec_detail_cap + 3);
    // Valid UTF-8 all through (what nlohmann::json would throw on otherwise).
    for (std::size_t i = 0; i < detail.size();) {
        const auto lead = static_cast<unsigned char>(detail[i]);
        const std::size_t n = lead < 0x80 ? 1 : lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2;
        REQUIRE(lead != 0xFF);
        REQUIRE(i + n <= detail.size());
        i += n;
    }
    // A repr a megabyte long, and one with newlines and record-like text inside.
    const auto huge = grade_program("def add_one(x):\n    return 'x' * (1 << 20)\n", mbpp_tests, config);
    CHECK(huge.outcome.status == grade_status::failed);
    const auto framing = grade_program("class R:\n    def __repr__(self): return '2\\nD0\\n'\ndef add_one(x):\n    return R()\n",
                                       mbpp_tests, config);
    CHECK(framing.outcome.status == grade_status::failed);
    CHECK(root.entries() == 0);
}

TEST_CASE("forgery: the seccomp filter refuses namespaces, mounts and ptrace, and /sys is hidden", "[forgery]") {
    temp_root root;
    const auto config = config_in(root);
    REQUIRE(describe_isolation(config).find("seccomp filter") != std::string::npos);
    const std::string probe = R"PY(
import ctypes, os
libc = ctypes.CDLL(None, use_errno=True)
def refused(result):
    return result == -1 and ctypes.get_errno() == 1
CLONE_NEWUSER, CLONE_NEWNS = 0x10000000, 0x00020000
checks = [
    refused(libc.unshare(CLONE_NEWUSER)),
    refused(libc.unshare(CLONE_NEWNS)),
    refused(libc.mount(b"none", b"/tmp", b"tmpfs", 0, None)),
    refused(libc.ptrace(16, 1, None, None)),
    refused(libc.syscall(321, 0, None, 0)),
    not os.path.exists('/sys/class/net') or os.listdir('/sys/class/net') == [],
]
def add_one(x):
    return x + 1 if all(checks) else repr(checks)
)PY";
    const auto r = grade_program(probe, mbpp_tests, config);
    INFO(r.outcome.detail << " / " << r.run.stderr_text);
    CHECK(r.outcome.status == grade_status::passed);
    CHECK(root.entries() == 0);
}
