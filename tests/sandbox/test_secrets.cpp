// Finding 7 of issue 18: a graded program must not reach the grader's own files. A
// 0600 secret of the grader's user sits in a $HOME-like directory and in the grader's
// cwd; the program reads and lists them by absolute path and prints what it got to
// stdout and, through an exception, to stderr. In every mode this machine offers,
// nothing the run returns (verdict reason, stdout, stderr) holds the secret.
#include "sandbox/sandbox.h"
#include "support.h"

#include <catch2/catch.hpp>
#include <fcntl.h>
#include <grp.h>
#include <string>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace headroom::sandbox;
using namespace headroom::sandbox::testing;

namespace {

constexpr unsigned nobody = 65534;

struct secret_place {
    std::string dir, file;
};

// A 0700 directory under `parent` holding a 0600 file with `secret`, owned by `owner`.
secret_place plant(const std::string& parent, const std::string& name, const std::string& secret,
                   unsigned owner) {
    secret_place place{parent + "/" + name, parent + "/" + name + "/secret-" + nonce()};
    REQUIRE(::mkdir(place.dir.c_str(), 0700) == 0);
    const int fd = ::open(place.file.c_str(), O_CREAT | O_WRONLY | O_EXCL, 0600);
    REQUIRE(fd >= 0);
    REQUIRE(::write(fd, secret.data(), secret.size()) == static_cast<ssize_t>(secret.size()));
    ::close(fd);
    REQUIRE(::chown(place.dir.c_str(), owner, owner) == 0);
    REQUIRE(::chown(place.file.c_str(), owner, owner) == 0);
    return place;
}

// Tries every way in we can think of by path: read, list, and the parent directories.
std::string thief(const secret_place& home, const secret_place& cwd) {
    std::string paths = "['" + home.file + "', '" + cwd.file + "']";
    std::string dirs = "['" + home.dir + "', '" + cwd.dir + "']";
    return "import os, sys\n"
           "for p in " + paths + ":\n"
           "    try:\n        print('read', open(p).read())\n"
           "    except Exception as e:\n        print('refused', type(e).__name__)\n"
           "for d in " + dirs + ":\n"
           "    try:\n        print('listed', os.listdir(d))\n"
           "    except Exception as e:\n        print('refused', type(e).__name__)\n"
           "    try:\n        print('parent', os.listdir(os.path.dirname(d)))\n"
           "    except Exception as e:\n        print('refused', type(e).__name__)\n"
           "raise RuntimeError(open(" + paths + "[0]).read())\n";
}

struct mode_report {
    std::string isolation, reason, out, err;
};

std::string read_all(int fd) {
    std::string text;
    char buffer[4096];
    for (ssize_t got; (got = ::read(fd, buffer, sizeof buffer)) > 0;) text.append(buffer, got);
    return text;
}

// Grades the thief in a forked grader (as `grader_uid`, from within its cwd) and
// returns what the run returned. Forked, so a chdir or setuid leaves the test alone.
mode_report grade_as(unsigned grader_uid, bool namespaces, const temp_root& root,
                     const secret_place& home, const secret_place& cwd) {
    int report[2];
    REQUIRE(::pipe(report) == 0);
    const pid_t child = ::fork();
    REQUIRE(child >= 0);
    if (child == 0) {
        ::close(report[0]);
        if (grader_uid != 0 &&
            (::setgroups(0, nullptr) != 0 || ::setresgid(grader_uid, grader_uid, grader_uid) != 0 ||
             ::setresuid(grader_uid, grader_uid, grader_uid) != 0 || ::prctl(PR_SET_DUMPABLE, 1) != 0))
            ::_exit(3);
        if (::chdir(cwd.dir.c_str()) != 0) ::_exit(4);
        sandbox_config config = config_in(root);
        config.allow_namespaces = namespaces;
        const exec_result r = run_python(thief(home, cwd), "", {}, config);
        // Length-prefixed fields: the program's output may hold anything.
        std::string out;
        for (const std::string& field : {describe_isolation(config), r.reason, r.stdout_text, r.stderr_text})
            out += std::to_string(field.size()) + "\n" + field;
        if (::write(report[1], out.data(), out.size()) < 0) ::_exit(5);
        ::_exit(0);
    }
    ::close(report[1]);
    const std::string text = read_all(report[0]);
    ::close(report[0]);
    int status = 0;
    ::waitpid(child, &status, 0);
    REQUIRE(WIFEXITED(status));
    REQUIRE(WEXITSTATUS(status) == 0);
    mode_report r;
    std::size_t at = 0;
    for (std::string* field : {&r.isolation, &r.reason, &r.out, &r.err}) {
        const std::size_t newline = text.find('\n', at);
        REQUIRE(newline != std::string::npos);
        const std::size_t size = std::stoul(text.substr(at, newline - at));
        *field = text.substr(newline + 1, size);
        at = newline + 1 + size;
    }
    return r;
}

void check_no_secret(const mode_report& r, const std::string& secret) {
    INFO("isolation: " << r.isolation << "\nreason: " << r.reason << "\nstdout: " << r.out
                       << "\nstderr: " << r.err);
    // The program ran (it printed its attempts), and none of them got through.
    CHECK(r.out.find("refused") != std::string::npos);
    CHECK(r.out.find("read ") == std::string::npos);
    CHECK(r.reason.find(secret) == std::string::npos);
    CHECK(r.out.find(secret) == std::string::npos);
    CHECK(r.err.find(secret) == std::string::npos);
}

} // namespace

TEST_CASE("secrets: a program cannot read the grader's 0600 files, in every mode", "[secrets]") {
    if (::geteuid() != 0) {
        // Become-another-user is what lets one test cover every mode; as an ordinary
        // user the tests in test_fallback.cpp exercise the user namespace only.
        WARN("not root: skipped (needs root to plant files for, and to become, another user)");
        return;
    }
    temp_root root;
    const std::string secret = "headroom-secret-" + nonce();

    SECTION("root grader: the sandbox runs as a uid of its own") {
        const secret_place home = plant(root.path, "home", secret, 0);
        const secret_place cwd = plant(root.path, "cwd", secret, 0);
        const mode_report r = grade_as(0, true, root, home, cwd);
        CHECK_THAT(r.isolation, Catch::Contains("fresh root"));
        check_no_secret(r, secret);
    }
    SECTION("root grader without namespaces: a uid of its own, the files in plain sight") {
        const secret_place home = plant(root.path, "home", secret, 0);
        const secret_place cwd = plant(root.path, "cwd", secret, 0);
        const mode_report r = grade_as(0, false, root, home, cwd);
        CHECK_THAT(r.isolation, Catch::Contains("no groups"));
        check_no_secret(r, secret);
    }
    SECTION("unprivileged grader: identity-mapped user namespace, fresh root") {
        REQUIRE(::chown(root.path.c_str(), nobody, nobody) == 0);
        const secret_place home = plant(root.path, "home", secret, nobody);
        const secret_place cwd = plant(root.path, "cwd", secret, nobody);
        const mode_report r = grade_as(nobody, true, root, home, cwd);
        if (r.isolation.find("user namespace") == std::string::npos ||
            r.isolation.find("fresh root") == std::string::npos) {
            WARN("this machine offers no user namespace with a fresh root to an unprivileged "
                 "grader: skipped (" << r.isolation << ")");
            return;
        }
        check_no_secret(r, secret);
    }
    SECTION("unprivileged grader without namespaces: the hole is named, not hidden") {
        REQUIRE(::chown(root.path.c_str(), nobody, nobody) == 0);
        const secret_place home = plant(root.path, "home", secret, nobody);
        const secret_place cwd = plant(root.path, "cwd", secret, nobody);
        const mode_report r = grade_as(nobody, false, root, home, cwd);
        // Nothing to isolate with: the program is the grader's user. describe_isolation
        // (which grade prints) must say so; the README's threat model says it too.
        CHECK_THAT(r.isolation, Catch::Contains("can read every file the grader's user can"));
        CHECK(r.out.find("read " + secret) != std::string::npos);
    }
    CHECK(root.entries() <= 2);  // the planted directories, and no working directory
}
