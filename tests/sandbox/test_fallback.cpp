// The isolation fallbacks: no namespaces at all (root parent: per-thread uid and a
// kill(-1) sweep), and an unprivileged parent (user namespace). Both must still stop
// a process that escapes its session with setsid().
#include "sandbox/sandbox.h"
#include "support.h"

#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <grp.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

using namespace headroom::sandbox;
using namespace headroom::sandbox::testing;

namespace {

// A program whose grandchild leaves the session and sleeps with `token` in its argv.
std::string escapee(const std::string& token) {
    return "import os, time\n"
           "if os.fork() == 0:\n"
           "    os.setsid()\n"
           "    if os.fork() == 0:\n"
           "        os.execv('/usr/bin/python3', ['python3', '-c', 'import time; time.sleep(30) # " +
           token + "'])\n"
           "    os._exit(0)\n"
           "time.sleep(0.3)\n";  // let the grandchild exec before we leave
}

bool no_process_with(const std::string& token) {
    for (int i = 0; i < 50 && processes_with_token(token) != 0; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    return processes_with_token(token) == 0;
}

} // namespace

TEST_CASE("fallback: without namespaces a root grader still contains the program", "[fallback]") {
    if (::geteuid() != 0) {
        WARN("not root: the root fallback cannot be exercised");
        return;
    }
    temp_root root;
    auto config = config_in(root);
    config.allow_namespaces = false;
    const std::string text = describe_isolation(config);
    WARN("fallback isolation: " << text);
    CHECK_THAT(text, Catch::Contains("no pid namespace"));

    auto r = run_python("def f():\n    return 1\n", "assert f() == 1", {}, config);
    CHECK(r.verdict == exec_verdict::passed);
    CHECK(r.uid >= config.uid_base);
    CHECK(left_nothing(r, root));

    const std::string token = "headroom-escapee-" + nonce();
    r = run_python(escapee(token), "", {}, config);
    INFO(r.reason << r.stderr_text);
    CHECK(r.verdict == exec_verdict::passed);
    CHECK(no_process_with(token));  // the uid sweep found it outside the session
    CHECK(left_nothing(r, root));

    // RLIMIT_NPROC works although the grader is root: the program runs as another uid.
    exec_limits limits;
    limits.wall_seconds = 2;
    limits.max_processes = 16;
    r = run_python("import os\nwhile True:\n    try: os.fork()\n    except BaseException: pass\n",
                   "", limits, config);
    CHECK(r.verdict == exec_verdict::timeout);
    CHECK(left_nothing(r, root));

    // The grader is out of reach: another uid may not signal it.
    r = run_python("import os\nos.kill(os.getppid(), 9)\n", "", {}, config);
    CHECK(r.verdict == exec_verdict::failed);
    CHECK_THAT(r.stderr_text, Catch::Contains("PermissionError"));
    CHECK(left_nothing(r, root));
}

TEST_CASE("fallback: the namespace escapee is killed with its pid namespace", "[fallback]") {
    temp_root root;
    const std::string token = "headroom-escapee-" + nonce();
    auto r = run_python(escapee(token), "", {}, config_in(root));
    INFO(r.reason << "\n" << r.stderr_text);
    CHECK(r.verdict == exec_verdict::passed);
    CHECK(no_process_with(token));
    CHECK(left_nothing(r, root));
}

TEST_CASE("fallback: an unprivileged grader isolates through a user namespace", "[fallback]") {
    if (::geteuid() != 0) {  // root is needed to become another, unprivileged user
        WARN("not root: the unprivileged path is what every other test exercised");
        return;
    }
    temp_root root;
    const unsigned nobody = 65534;
    REQUIRE(::chown(root.path.c_str(), nobody, nobody) == 0);
    const std::string token = "headroom-escapee-" + nonce();
    const std::string escape_path = "/tmp/escape-" + nonce();
    const std::string session_token = "headroom-session-" + nonce();

    int report[2];
    REQUIRE(::pipe(report) == 0);
    pid_t child = ::fork();
    REQUIRE(child >= 0);
    if (child == 0) {
        // Become an ordinary user (dumpable, as a login user's processes are, so it
        // may write its child's /proc id maps), then grade as that user.
        ::close(report[0]);
        if (::setgroups(0, nullptr) != 0 || ::setresgid(nobody, nobody, nobody) != 0 ||
            ::setresuid(nobody, nobody, nobody) != 0 || ::prctl(PR_SET_DUMPABLE, 1) != 0)
            ::_exit(3);
        auto config = config_in(root);
        std::string out = describe_isolation(config) + "\n";
        const std::string programs[] = {
            "assert 1 + 1 == 2\n",
            escapee(token),
            "import socket\nsocket.create_connection(('127.0.0.1', 9), timeout=1)\n",
            "open('" + escape_path + "', 'w')\n",
            "while True:\n    pass\n",
            // RLIMIT_NPROC, counted in this sandbox's own user namespace: prints how
            // many children it got (each sleeps, so all count at once).
            "import os, time\nmade = 0\nfor i in range(100):\n"
            "    try:\n        pid = os.fork()\n    except OSError:\n        break\n"
            "    if pid == 0:\n        time.sleep(60)\n        os._exit(0)\n"
            "    made += 1\nprint('made', made)\n",
        };
        exec_limits limits;
        limits.wall_seconds = 2;
        limits.max_processes = 12;
        for (const std::string& program : programs) {
            auto r = run_python(program, "", limits, config);
            out += std::string(to_string(r.verdict)) + " " + r.reason;
            if (!r.stdout_text.empty()) out += r.stdout_text.substr(0, r.stdout_text.find('\n'));
            out += "\n";
        }
        // Last resort, no namespaces at all: the session is killed, so a child that left
        // the process group (but not the session) dies too.
        config.allow_namespaces = false;
        out += describe_isolation(config) + "\n";
        auto r = run_python("import os, time\n"
                            "if os.fork() == 0:\n"
                            "    os.setpgid(0, 0)\n"  // out of the group, still in the session
                            "    os.execv('/usr/bin/python3', ['python3', '-c', "
                            "'import time; time.sleep(30) # " + session_token + "'])\n"
                            "time.sleep(0.3)\n",
                            "", limits, config);
        out += std::string(to_string(r.verdict)) + " " + r.reason + "\n";
        if (::write(report[1], out.data(), out.size()) < 0) ::_exit(4);
        ::_exit(0);
    }
    ::close(report[1]);
    std::string text;
    char buffer[4096];
    for (ssize_t got; (got = ::read(report[0], buffer, sizeof buffer)) > 0;) text.append(buffer, got);
    ::close(report[0]);
    int status = 0;
    ::waitpid(child, &status, 0);
    INFO(text);
    REQUIRE(WIFEXITED(status));
    REQUIRE(WEXITSTATUS(status) == 0);

    std::vector<std::string> lines;
    for (std::size_t at = 0, end; (end = text.find('\n', at)) != std::string::npos; at = end + 1)
        lines.push_back(text.substr(at, end - at));
    REQUIRE(lines.size() == 9);
    CHECK_THAT(lines[0], Catch::Contains("user namespace"));
    CHECK_THAT(lines[0], Catch::Contains("pid namespace"));
    CHECK_THAT(lines[1], Catch::StartsWith("passed"));
    CHECK_THAT(lines[2], Catch::StartsWith("passed"));
    CHECK(no_process_with(token));
    CHECK_THAT(lines[3], Catch::StartsWith("failed"));  // no network
    CHECK_THAT(lines[4], Catch::StartsWith("failed"));  // read-only outside the workdir
    CHECK_FALSE(std::filesystem::exists(escape_path));
    CHECK_THAT(lines[5], Catch::StartsWith("timeout"));
    REQUIRE_THAT(lines[6], Catch::StartsWith("passed made "));
    const int made = std::stoi(lines[6].substr(12));
    CHECK(made > 0);
    CHECK(made < 12);
    CHECK_THAT(lines[7], Catch::Contains("grader's own uid"));
    CHECK_THAT(lines[7], Catch::Contains("can outlive the run"));
    CHECK_THAT(lines[8], Catch::StartsWith("passed"));
    CHECK(no_process_with(session_token));
    CHECK(root.entries() == 0);
}
