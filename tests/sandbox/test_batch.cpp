// Many sandboxes at once: order, deduplication, progress, and a batch of every bad
// program together (grading goes on after each, and nothing is left behind).
#include "sandbox/batch.h"
#include "support.h"

#include <catch2/catch.hpp>
#include <filesystem>
#include <set>

using namespace headroom::sandbox;
using namespace headroom::sandbox::testing;

namespace {

batch_options options_in(const temp_root& root, std::size_t parallelism) {
    batch_options options;
    options.parallelism = parallelism;
    options.config = config_in(root);
    options.limits.wall_seconds = 2.0;
    options.limits.cpu_seconds = 10;
    return options;
}

bool batch_left_nothing(const batch_result& batch, const temp_root& root) {
    std::set<std::uint32_t> uids;
    for (const exec_result& r : batch.results) uids.insert(r.uid);
    for (std::uint32_t uid : uids) {
        exec_result probe;
        probe.uid = uid;
        if (!left_nothing(probe, root)) return false;
    }
    return root.entries() == 0;
}

} // namespace

TEST_CASE("batch: results come back in input order", "[batch]") {
    temp_root root;
    std::vector<exec_job> jobs;
    for (int i = 0; i < 12; ++i)
        jobs.push_back({"value = " + std::to_string(i) + "\n", "print(value)"});
    auto batch = run_batch(jobs, options_in(root, 3));
    REQUIRE(batch.results.size() == jobs.size());
    CHECK(batch.runs == jobs.size());
    for (int i = 0; i < 12; ++i) {
        CHECK(batch.results[i].verdict == exec_verdict::passed);
        CHECK(batch.results[i].stdout_text == std::to_string(i) + "\n");
    }
    CHECK(batch_left_nothing(batch, root));
}

TEST_CASE("batch: identical (program, tests) pairs run once", "[batch]") {
    temp_root root;
    // Random output proves a single execution: copies of one run print the same.
    const std::string program = "import random\nprint(random.random())\n";
    std::vector<exec_job> jobs = {
        {program, "assert True"},
        {program, "assert 1"},        // same program, other tests: runs separately
        {program, "assert True"},
        {"x = 1\n", "assert x == 1"},
        {program, "assert True"},
        {"x = 1\n", "assert x == 1"},
    };
    std::vector<batch_progress> seen;
    auto options = options_in(root, 2);
    options.progress = [&seen](const batch_progress& p) { seen.push_back(p); };
    auto batch = run_batch(jobs, options);
    CHECK(batch.runs == 3);
    CHECK(batch.results[0].stdout_text == batch.results[2].stdout_text);
    CHECK(batch.results[0].stdout_text == batch.results[4].stdout_text);
    CHECK(batch.results[0].stdout_text != batch.results[1].stdout_text);
    for (const auto& r : batch.results) CHECK(r.verdict == exec_verdict::passed);

    REQUIRE_FALSE(seen.empty());
    for (std::size_t i = 1; i < seen.size(); ++i) {
        CHECK(seen[i].runs_done > seen[i - 1].runs_done);
        CHECK(seen[i].jobs_done > seen[i - 1].jobs_done);
    }
    CHECK(seen.back().jobs_done == jobs.size());
    CHECK(seen.back().jobs_total == jobs.size());
    CHECK(seen.back().runs_done == 3);
    CHECK(seen.back().runs_total == 3);
    CHECK(batch_left_nothing(batch, root));
}

TEST_CASE("batch: an empty batch is fine", "[batch]") {
    temp_root root;
    int calls = 0;
    auto options = options_in(root, 0);
    options.progress = [&calls](const batch_progress&) { ++calls; };
    auto batch = run_batch({}, options);
    CHECK(batch.results.empty());
    CHECK(batch.runs == 0);
    CHECK(calls == 1);
    CHECK(default_parallelism() >= 1);
}

TEST_CASE("batch: runs in parallel", "[batch]") {
    temp_root root;
    std::vector<exec_job> jobs;
    for (int i = 0; i < 4; ++i) jobs.push_back({"import time\ntime.sleep(0.6)\n", "assert " + std::to_string(i + 1)});
    auto batch = run_batch(jobs, options_in(root, 4));
    for (const auto& r : batch.results) CHECK(r.verdict == exec_verdict::passed);
    CHECK(batch.wall_ms < 4 * 600.0);  // sequential would take 2.4 s at least
    CHECK(batch_left_nothing(batch, root));
}

TEST_CASE("batch: every bad program in one batch, and grading goes on", "[batch]") {
    temp_root root;
    struct expected_job {
        exec_job job;
        exec_verdict verdict;
    };
    const std::string good = "def f(x):\n    return 2 * x\n";
    const std::string good_tests = "assert f(21) == 42";
    const std::vector<expected_job> table = {
        {{good, good_tests}, exec_verdict::passed},
        {{"while True:\n    pass\n", ""}, exec_verdict::timeout},
        {{"while True:\n    try:\n        while True: pass\n    except BaseException: pass\n", ""},
         exec_verdict::timeout},
        {{"sum(range(10**12))\n", ""}, exec_verdict::timeout},
        {{"import os\nwhile True:\n    try: os.fork()\n    except BaseException: pass\n", ""},
         exec_verdict::timeout},
        {{good, good_tests}, exec_verdict::passed},
        {{"b = bytearray(10 * 1024**3)\n", ""}, exec_verdict::memory},
        {{"import sys\nfor _ in range(1024): sys.stdout.write('x' * (1 << 20))\n", ""},
         exec_verdict::failed},
        {{"import os\nos.kill(os.getppid(), 9)\ntry: os.kill(-1, 9)\nexcept OSError: pass\n",
          "assert True"},
         exec_verdict::passed},
        {{"import ctypes\nctypes.string_at(0)\n", ""}, exec_verdict::failed},
        {{"open('/tmp/escape-batch', 'w')\n", ""}, exec_verdict::failed},
        {{"import os\nassert 'HEADROOM_TEST_KEY' not in os.environ\n", "assert True"},
         exec_verdict::passed},
        {{"import socket\nsocket.create_connection(('127.0.0.1', 9), timeout=1)\n", ""},
         exec_verdict::failed},
        {{"def f(x):\n    return x\n", good_tests}, exec_verdict::failed},
        {{good, good_tests}, exec_verdict::passed},
    };
    std::vector<exec_job> jobs;
    for (const auto& entry : table) jobs.push_back(entry.job);
    ::setenv("HEADROOM_TEST_KEY", "secret", 1);
    auto batch = run_batch(jobs, options_in(root, 2));
    ::unsetenv("HEADROOM_TEST_KEY");
    REQUIRE(batch.results.size() == table.size());
    CHECK(batch.runs == table.size() - 2);  // the good program appears three times
    for (std::size_t i = 0; i < table.size(); ++i) {
        INFO("job " << i << ": " << table[i].job.program_text << "\nreason: "
                    << batch.results[i].reason);
        CHECK(batch.results[i].verdict == table[i].verdict);
    }
    CHECK_FALSE(std::filesystem::exists("/tmp/escape-batch"));
    CHECK(batch_left_nothing(batch, root));
}
