// Ordinary programs: what a run sees and reports when nothing is hostile.
#include "sandbox/sandbox.h"
#include "support.h"

#include <catch2/catch.hpp>
#include <filesystem>

using namespace headroom::sandbox;
using namespace headroom::sandbox::testing;

TEST_CASE("run: a correct program passes", "[run]") {
    temp_root root;
    auto r = run_python("def add(a, b):\n    return a + b\n",
                        "assert add(2, 3) == 5\nprint('ok')", {}, config_in(root));
    INFO(r.reason << "\n" << r.stderr_text);
    CHECK(r.verdict == exec_verdict::passed);
    CHECK(r.exit_code == 0);
    CHECK(r.stdout_text == "ok\n");
    CHECK(r.wall_ms > 0);
    CHECK(r.cpu_ms > 0);
    CHECK(left_nothing(r, root));
}

TEST_CASE("run: a wrong answer fails with the assertion and its line", "[run]") {
    temp_root root;
    auto r = run_python("def add(a, b):\n    return a - b\n",
                        "assert add(2, 3) == 5, 'add is wrong'", {}, config_in(root));
    CHECK(r.verdict == exec_verdict::failed);
    CHECK(r.exit_code == 1);
    CHECK(r.reason == "AssertionError: add is wrong (candidate line 3)");
    CHECK_THAT(r.stderr_text, Catch::Contains("Traceback"));
    CHECK(left_nothing(r, root));
}

TEST_CASE("run: a syntax error fails", "[run]") {
    temp_root root;
    auto r = run_python("def f(:\n    pass\n", "assert True", {}, config_in(root));
    CHECK(r.verdict == exec_verdict::failed);
    CHECK_THAT(r.reason, Catch::StartsWith("SyntaxError"));
    CHECK(left_nothing(r, root));
}

TEST_CASE("run: leaving before the tests finish is a failure, not a pass", "[run]") {
    temp_root root;
    auto r = run_python("import sys\nsys.exit(0)\n", "assert False", {}, config_in(root));
    CHECK(r.verdict == exec_verdict::failed);
    CHECK_THAT(r.reason, Catch::Contains("SystemExit(0)"));

    r = run_python("import os\nos._exit(0)\n", "assert False", {}, config_in(root));
    CHECK(r.verdict == exec_verdict::failed);
    CHECK(r.exit_code == 0);
    CHECK_THAT(r.reason, Catch::Contains("before the tests finished"));

    // Blanking the driver's helpers does not fake a pass either.
    r = run_python("import os\nos.write = os._exit = None\n", "assert 1 == 2", {}, config_in(root));
    CHECK(r.verdict == exec_verdict::failed);
    CHECK(left_nothing(r, root));
}

TEST_CASE("run: the program is not __main__, has no stdin, and a fresh interpreter", "[run]") {
    temp_root root;
    const char* program =
        "import sys, builtins\n"
        "if __name__ == '__main__':\n"
        "    raise SystemExit('main block ran')\n"
        "assert sys.flags.isolated == 1 and sys.flags.no_site == 1\n"
        "assert sys.flags.dont_write_bytecode == 1\n"
        "assert not hasattr(builtins, 'headroom_leak'), 'state leaked between runs'\n"
        "builtins.headroom_leak = True\n"
        "try:\n"
        "    input()\n"
        "    raise AssertionError('stdin had data')\n"
        "except EOFError:\n"
        "    pass\n";
    auto first = run_python(program, "", {}, config_in(root));
    INFO(first.reason);
    CHECK(first.verdict == exec_verdict::passed);
    auto second = run_python(program, "", {}, config_in(root));
    INFO(second.reason);
    CHECK(second.verdict == exec_verdict::passed);
    CHECK(left_nothing(second, root));
}

TEST_CASE("run: the working directory is fresh, empty, writable and removed", "[run]") {
    temp_root root;
    auto r = run_python("import os\n"
                        "assert os.listdir('.') == [], os.listdir('.')\n"
                        "with open('scratch.txt', 'w') as f:\n"
                        "    f.write('x' * 1000)\n"
                        "import tempfile\n"
                        "with tempfile.TemporaryFile() as t:\n"
                        "    t.write(b'y')\n"
                        "print(os.getcwd())\n",
                        "", {}, config_in(root));
    INFO(r.reason << r.stderr_text);
    REQUIRE(r.verdict == exec_verdict::passed);
    std::string cwd = r.stdout_text.substr(0, r.stdout_text.find('\n'));
    CHECK(cwd.rfind(root.path + "/headroom-exec-", 0) == 0);
    CHECK_FALSE(std::filesystem::exists(cwd));
    CHECK(left_nothing(r, root));
}

TEST_CASE("run: output past the cap is kept as head and tail, and still passes", "[run]") {
    temp_root root;
    exec_limits limits;
    limits.output_bytes = 1000;
    auto r = run_python("print('BEGIN')\nprint('z' * 500000)\nprint('END')\n", "", limits, config_in(root));
    CHECK(r.verdict == exec_verdict::passed);
    CHECK(r.stdout_total == 6 + 500001 + 4);
    CHECK(r.stdout_text.size() < 1100);
    CHECK(r.stdout_text.rfind("BEGIN", 0) == 0);
    CHECK(r.stdout_text.substr(r.stdout_text.size() - 4) == "END\n");
    CHECK(left_nothing(r, root));
}

TEST_CASE("run: the isolation in use is described", "[run]") {
    temp_root root;
    const std::string text = describe_isolation(config_in(root));
    WARN("isolation on this machine: " << text);
    CHECK_FALSE(text.empty());
    CHECK_THAT(text, Catch::Contains("rlimits"));
}
