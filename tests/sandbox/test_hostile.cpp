// The known holes of the usual harness, each as a program, each closed by the kernel
// rather than by anything the program could undo. Every test ends by checking that
// the machine is unharmed (no process of the sandbox's uid, no working directory).
#include "sandbox/sandbox.h"
#include "support.h"

#include <arpa/inet.h>
#include <catch2/catch.hpp>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace headroom::sandbox;
using namespace headroom::sandbox::testing;

namespace {

exec_limits quick_limits() {
    exec_limits limits;
    limits.wall_seconds = 2.0;
    limits.cpu_seconds = 10;  // the wall clock must be what stops these
    return limits;
}

// The grader must stop the program close to the deadline, whatever it does.
void check_stopped_on_time(const exec_result& r, const exec_limits& limits) {
    CHECK(r.verdict == exec_verdict::timeout);
    CHECK(r.wall_ms >= limits.wall_seconds * 1000.0 - 1.0);
    CHECK(r.wall_ms < limits.wall_seconds * 1000.0 + 1500.0);
}

bool has_net_namespace(const sandbox_config& config) {
    return describe_isolation(config).find("network namespace (") != std::string::npos;
}

} // namespace

TEST_CASE("hostile: an infinite loop times out on the wall clock", "[hostile]") {
    temp_root root;
    const auto limits = quick_limits();
    auto r = run_python("while True:\n    pass\n", "", limits, config_in(root));
    check_stopped_on_time(r, limits);
    CHECK_THAT(r.reason, Catch::Contains("wall-clock"));
    CHECK(left_nothing(r, root));
}

TEST_CASE("hostile: RLIMIT_CPU stops a busy loop that ignores SIGXCPU", "[hostile]") {
    temp_root root;
    exec_limits limits;
    limits.cpu_seconds = 1;
    limits.wall_seconds = 60;  // far away: the kernel, not the clock, must stop it
    auto r = run_python("import signal\nsignal.signal(signal.SIGXCPU, signal.SIG_IGN)\n"
                        "while True:\n    pass\n",
                        "", limits, config_in(root));
    CHECK(r.verdict == exec_verdict::timeout);
    CHECK(r.wall_ms < 30000.0);  // not the 60 s clock
    CHECK(r.cpu_ms >= 900);
    CHECK(r.cpu_ms < 3000);  // SIGXCPU at 1 s is ignored; the hard limit kills at 2 s
    CHECK(left_nothing(r, root));
}

TEST_CASE("hostile: a timeout swallowed by except BaseException still stops", "[hostile]") {
    temp_root root;
    const auto limits = quick_limits();
    // What defeats an in-process alarm: every exception the harness raises is eaten.
    auto r = run_python("import signal\n"
                        "for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGALRM, signal.SIGXCPU):\n"
                        "    signal.signal(sig, signal.SIG_IGN)\n"
                        "while True:\n"
                        "    try:\n"
                        "        while True:\n"
                        "            pass\n"
                        "    except BaseException:\n"
                        "        pass\n",
                        "", limits, config_in(root));
    check_stopped_on_time(r, limits);
    CHECK(left_nothing(r, root));
}

TEST_CASE("hostile: long work inside C code cannot delay the deadline", "[hostile]") {
    temp_root root;
    const auto limits = quick_limits();
    // A Python-level alarm waits for the bytecode loop; these never return to it.
    const char* programs[] = {
        "sum(range(10**12))\n",
        "import re\nre.match(r'(a+)+$', 'a' * 64 + 'b')\n",
        "x = 10**10**8\n",
    };
    for (const char* program : programs) {
        INFO(program);
        auto r = run_python(program, "", limits, config_in(root));
        check_stopped_on_time(r, limits);
        CHECK(left_nothing(r, root));
    }
}

TEST_CASE("hostile: a fork bomb is contained and the grader goes on", "[hostile]") {
    temp_root root;
    auto limits = quick_limits();
    limits.max_processes = 16;
    auto r = run_python("import os\n"
                        "while True:\n"
                        "    try:\n"
                        "        os.fork()\n"
                        "    except BaseException:\n"
                        "        pass\n",
                        "", limits, config_in(root));
    check_stopped_on_time(r, limits);
    CHECK(left_nothing(r, root));

    auto next = run_python("", "assert 1 + 1 == 2", {}, config_in(root));
    CHECK(next.verdict == exec_verdict::passed);
    CHECK(left_nothing(next, root));
}

TEST_CASE("hostile: fork via posix and ctypes around a blanked os.fork hits the process limit", "[hostile]") {
    temp_root root;
    exec_limits limits;
    limits.max_processes = 12;
    // Blanking os.fork (what some harnesses do) is trivially bypassed; the kernel's
    // RLIMIT_NPROC is not. Children sleep so they all count at once.
    auto r = run_python("import os, posix, ctypes, time\n"
                        "os.fork = None\n"
                        "libc = ctypes.CDLL(None)\n"
                        "made = 0\n"
                        "for i in range(200):\n"
                        "    try:\n"
                        "        pid = posix.fork() if i % 2 else libc.fork()\n"
                        "    except OSError:\n"
                        "        pid = -1\n"
                        "    if pid == 0:\n"
                        "        time.sleep(60)\n"
                        "        os._exit(0)\n"
                        "    if pid > 0:\n"
                        "        made += 1\n"
                        "print(made)\n",
                        "", limits, config_in(root));
    INFO(r.reason << "\n" << r.stderr_text);
    REQUIRE(r.verdict == exec_verdict::passed);
    const int made = std::stoi(r.stdout_text);
    CHECK(made > 0);
    CHECK(made < limits.max_processes);
    // The sleeping children died with the interpreter, not 60 s later.
    CHECK(r.wall_ms < 5000);
    CHECK(left_nothing(r, root));
}

TEST_CASE("hostile: allocating 10 GB is a memory verdict with a reason", "[hostile]") {
    temp_root root;
    const char* programs[] = {
        "b = bytearray(10 * 1024**3)\n",
        "s = 'a' * (10 * 1024**3)\n",
        "chunks = []\nwhile True:\n    chunks.append(bytearray(50 * 1024**2))\n",
    };
    exec_limits limits;
    limits.address_space_bytes = 256ull << 20;  // the growing list reaches it sooner
    limits.cpu_seconds = 10;
    limits.wall_seconds = 10;
    for (const char* program : programs) {
        INFO(program);
        auto r = run_python(program, "", limits, config_in(root));
        INFO(r.reason << "\n" << r.stderr_text);
        CHECK(r.verdict == exec_verdict::memory);
        CHECK_THAT(r.reason, Catch::Contains("address-space limit"));
        CHECK(left_nothing(r, root));
    }
}

TEST_CASE("hostile: writes outside the working directory fail or stay contained", "[hostile]") {
    temp_root root;
    const std::string token = nonce();
    const std::string project = HEADROOM_SOURCE_ROOT;
    const std::string targets[] = {"/tmp/escape-" + token, project + "/escape-" + token,
                                   "/var/tmp/escape-" + token, "/dev/shm/escape-" + token,
                                   root.path + "/escape-" + token};
    std::string program = "import os\nblocked = 0\n";
    for (const std::string& target : targets)
        program += "try:\n    open('" + target + "', 'w').write('out')\n"
                   "    print('WROTE " + target + "')\n"
                   "except OSError as e:\n    blocked += 1\n    print('blocked', e)\n";
    program += "open('inside.txt', 'w').write('in')\nassert open('inside.txt').read() == 'in'\n";
    auto r = run_python(program, "", {}, config_in(root));
    INFO(r.stdout_text << r.stderr_text);
    CHECK(r.verdict == exec_verdict::passed);
    for (const std::string& target : targets) {
        INFO(target);
        CHECK_FALSE(std::filesystem::exists(target));
    }
    CHECK(left_nothing(r, root));
}

TEST_CASE("hostile: the grader's environment (an API key) is not visible", "[hostile]") {
    temp_root root;
    ::setenv("HEADROOM_TEST_KEY", "secret", 1);
    const std::string grader = std::to_string(::getpid());
    auto r = run_python("import os\n"
                        "assert 'HEADROOM_TEST_KEY' not in os.environ\n"
                        "assert not any('secret' in v for v in os.environ.values())\n"
                        "assert sorted(os.environ) == ['HOME', 'LANG', 'PATH', 'TMPDIR'], sorted(os.environ)\n"
                        "for path in ('/proc/" + grader + "/environ', '/proc/1/environ'):\n"
                        "    try:\n"
                        "        assert b'secret' not in open(path, 'rb').read()\n"
                        "    except OSError:\n"
                        "        pass\n",
                        "", {}, config_in(root));
    ::unsetenv("HEADROOM_TEST_KEY");
    INFO(r.reason << r.stderr_text);
    CHECK(r.verdict == exec_verdict::passed);
    CHECK(left_nothing(r, root));
}

TEST_CASE("hostile: no network, not even 127.0.0.1", "[hostile]") {
    temp_root root;
    const auto config = config_in(root);
    int listener = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    REQUIRE(listener >= 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::bind(listener, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
    REQUIRE(::listen(listener, 4) == 0);
    socklen_t length = sizeof address;
    ::getsockname(listener, reinterpret_cast<sockaddr*>(&address), &length);
    const std::string port = std::to_string(ntohs(address.sin_port));

    auto r = run_python("import socket\n"
                        "s = socket.socket()\n"
                        "s.settimeout(1)\n"
                        "try:\n"
                        "    s.connect(('127.0.0.1', " + port + "))\n"
                        "    print('connected')\n"
                        "except OSError as e:\n"
                        "    print('blocked', e)\n",
                        "", {}, config);
    const int accepted = ::accept(listener, nullptr, nullptr);
    ::close(listener);
    INFO(r.stdout_text << r.stderr_text);
    CHECK(r.verdict == exec_verdict::passed);
    if (has_net_namespace(config)) {
        CHECK_THAT(r.stdout_text, Catch::StartsWith("blocked"));
        CHECK(accepted < 0);
    } else {
        WARN("no network namespace on this machine: the program could connect");
    }
    if (accepted >= 0) ::close(accepted);
    CHECK(left_nothing(r, root));
}

TEST_CASE("hostile: printing 1 GB is cut off fast and fails with a reason", "[hostile]") {
    temp_root root;
    exec_limits limits;
    limits.wall_seconds = 30;
    limits.cpu_seconds = 30;
    auto r = run_python("import sys\nchunk = 'x' * (1 << 20)\nfor _ in range(1024):\n"
                        "    sys.stdout.write(chunk)\n",
                        "", limits, config_in(root));
    CHECK(r.verdict == exec_verdict::failed);
    CHECK_THAT(r.reason, Catch::Contains("printed more than"));
    CHECK(r.wall_ms < 3000);
    CHECK(r.stdout_text.size() < limits.output_bytes + 100);
    CHECK(r.stdout_total < 2 * limits.output_flood_bytes);
    CHECK(left_nothing(r, root));
}

TEST_CASE("hostile: killing its parent does not kill the grader", "[hostile]") {
    temp_root root;
    const std::string grader = std::to_string(::getpid());
    // getppid() is 0 inside a pid namespace; try every way of naming the grader.
    auto r = run_python("import os\n"
                        "for target in (os.getppid(), " + grader + ", 1, -1, 0):\n"
                        "    try:\n"
                        "        os.kill(target, 9)\n"
                        "    except OSError as e:\n"
                        "        print(target, e)\n",
                        "", {}, config_in(root));
    // We are still here: the grader survived. Grading continues.
    CHECK(left_nothing(r, root));
    auto next = run_python("", "assert True", {}, config_in(root));
    CHECK(next.verdict == exec_verdict::passed);
    CHECK(left_nothing(next, root));
}

TEST_CASE("hostile: a segfault is a failure with the signal as reason", "[hostile]") {
    temp_root root;
    auto r = run_python("import ctypes\nctypes.string_at(0)\n", "", {}, config_in(root));
    CHECK(r.verdict == exec_verdict::failed);
    CHECK(r.signal == SIGSEGV);
    CHECK_THAT(r.reason, Catch::Contains("SIGSEGV"));
    CHECK(left_nothing(r, root));
}

TEST_CASE("hostile: a sandbox that cannot be set up is a sandbox_error, not a failure", "[hostile]") {
    temp_root root;
    auto config = config_in(root);
    config.python = "/nonexistent/python3";
    auto r = run_python("", "assert True", {}, config);
    CHECK(r.verdict == exec_verdict::sandbox_error);
    CHECK_THAT(r.reason, Catch::Contains("execve of /nonexistent/python3"));
    CHECK(left_nothing(r, root));

    auto missing_root = config_in(root);
    missing_root.temp_root = root.path + "/does-not-exist";
    r = run_python("", "assert True", {}, missing_root);
    CHECK(r.verdict == exec_verdict::sandbox_error);
    CHECK_THAT(r.reason, Catch::Contains("mkdtemp"));
    CHECK(root.entries() == 0);
}
