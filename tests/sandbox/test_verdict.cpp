// The classification rules alone, on synthetic outcomes (wait statuses built by hand).
#include "sandbox/verdict.h"

#include <catch2/catch.hpp>
#include <csignal>

using namespace headroom::sandbox;
using namespace headroom::sandbox::detail;

namespace {
int exited(int code) { return (code & 0xff) << 8; }
int signalled(int sig) { return sig & 0x7f; }

exec_result classify_one(const run_outcome& outcome, const exec_limits& limits = {}) {
    exec_result result;
    classify(outcome, limits, result);
    return result;
}
} // namespace

TEST_CASE("verdict: passed needs the driver's mark and status 0", "[verdict]") {
    run_outcome o;
    o.wait_status = exited(0);
    o.mark = driver_mark::passed;
    CHECK(classify_one(o).verdict == exec_verdict::passed);
    CHECK(classify_one(o).reason.empty());

    o.mark = driver_mark::none;  // os._exit(0) in the program, before the tests
    auto r = classify_one(o);
    CHECK(r.verdict == exec_verdict::failed);
    CHECK_THAT(r.reason, Catch::Contains("before the tests finished"));
}

TEST_CASE("verdict: exceptions give their last traceback line", "[verdict]") {
    run_outcome o;
    o.wait_status = exited(1);
    o.mark = driver_mark::raised;
    o.stderr_tail = "Traceback (most recent call last):\n  File \"<candidate>\", line 7, in <module>\n"
                    "AssertionError: expected 3\n";
    auto r = classify_one(o);
    CHECK(r.verdict == exec_verdict::failed);
    CHECK(r.reason == "AssertionError: expected 3 (candidate line 7)");
    CHECK(r.exit_code == 1);
}

TEST_CASE("verdict: memory from MemoryError, and from crashes near the cap", "[verdict]") {
    run_outcome o;
    o.wait_status = exited(1);
    o.mark = driver_mark::memory;
    CHECK(classify_one(o).verdict == exec_verdict::memory);

    o.mark = driver_mark::none;  // interpreter died printing it
    o.stderr_tail = "MemoryError\n";
    CHECK(classify_one(o).verdict == exec_verdict::memory);

    run_outcome crash;
    crash.wait_status = signalled(SIGSEGV);
    crash.max_rss_bytes = 10 << 20;
    auto r = classify_one(crash);
    CHECK(r.verdict == exec_verdict::failed);
    CHECK_THAT(r.reason, Catch::Contains("SIGSEGV"));
    CHECK(r.signal == SIGSEGV);

    crash.max_rss_bytes = 900ull << 20;  // of a 1 GiB address space
    r = classify_one(crash);
    CHECK(r.verdict == exec_verdict::memory);
    CHECK_THAT(r.reason, Catch::Contains("address-space limit"));
}

TEST_CASE("verdict: time limits", "[verdict]") {
    exec_limits limits;
    limits.cpu_seconds = 2;
    run_outcome o;
    o.wait_status = signalled(SIGXCPU);
    CHECK(classify_one(o, limits).verdict == exec_verdict::timeout);

    o.wait_status = signalled(SIGKILL);  // hard RLIMIT_CPU after SIGXCPU was ignored
    o.cpu_ms = 2500;
    CHECK(classify_one(o, limits).verdict == exec_verdict::timeout);

    o.cpu_ms = 10;  // a SIGKILL we did not send, with no CPU spent
    auto r = classify_one(o, limits);
    CHECK(r.verdict == exec_verdict::failed);
    CHECK_THAT(r.reason, Catch::Contains("not sent by the grader"));

    run_outcome wall;
    wall.wait_status = signalled(SIGKILL);
    wall.killed_for_wall = true;
    r = classify_one(wall, limits);
    CHECK(r.verdict == exec_verdict::timeout);
    CHECK_THAT(r.reason, Catch::Contains("wall-clock"));
}

TEST_CASE("verdict: output flood and early SystemExit fail", "[verdict]") {
    run_outcome flood;
    flood.wait_status = signalled(SIGKILL);
    flood.killed_for_output = true;
    auto r = classify_one(flood);
    CHECK(r.verdict == exec_verdict::failed);
    CHECK_THAT(r.reason, Catch::Contains("printed more than"));

    run_outcome early;
    early.wait_status = exited(1);
    early.mark = driver_mark::exited;
    early.stderr_tail = "SystemExit(0) raised before the tests finished\n";
    r = classify_one(early);
    CHECK(r.verdict == exec_verdict::failed);
    CHECK(r.reason == "SystemExit(0) raised before the tests finished");
    CHECK(to_string(exec_verdict::sandbox_error) == "sandbox_error");
}
