// Crash safety through the real command line: `headroom sample` killed with SIGKILL at
// random moments and restarted each time ends with the same study as a run never
// interrupted; no log or file holds the API key.
#include "fake_server.h"
#include "support.h"

#include <catch2/catch.hpp>
#include <chrono>
#include <csignal>
#include <fcntl.h>
#include <filesystem>
#include <random>
#include <spawn.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

using namespace headroom;
namespace fs = std::filesystem;

extern char** environ;

namespace {

// Starts `headroom sample PLAN --out OUT`, stderr appended to LOG.
pid_t start_sampler(const std::string& plan, const std::string& out, const std::string& log) {
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    std::vector<std::string> args = {HEADROOM_CLI, "sample", plan, "--out", out};
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    pid_t pid = 0;
    const int rc = posix_spawn(&pid, HEADROOM_CLI, &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    REQUIRE(rc == 0);
    return pid;
}

int wait_exit(pid_t pid) {
    int status = 0;
    REQUIRE(waitpid(pid, &status, 0) == pid);
    return status;
}

} // namespace

TEST_CASE("crash: kill -9 at 12 random moments, resume each time, same study as an uninterrupted run",
          "[sampler][crash]") {
    const std::string key = "sk-crash-test-0a1b2c3d4e5f60718293";
    ::setenv("HEADROOM_CRASH_TEST_KEY", key.c_str(), 1);
    test::server_options o;
    o.require_key = key;
    o.faults = {.http_429 = 0.03, .http_503 = 0.03, .reset = 0.02, .malformed = 0.02, .n_ignored = 0.05};
    test::fake_server server(o);
    test::scratch_dir dir("crash");
    test::write_query_files(dir.path(), 40);
    json_value plan = test::basic_plan(server.url());
    for (auto& m : plan["models"]) {
        m["api_key_env"] = "HEADROOM_CRASH_TEST_KEY";
        m["max_concurrency"] = 1;
    }
    const std::string plan_path = test::write_plan(dir.path(), plan);
    const std::string log = dir / "sampler.log";

    REQUIRE(WIFEXITED(wait_exit(start_sampler(plan_path, dir / "reference", log))));
    // Slower replies from here on, so the kills land mid-run (the replies' content does
    // not depend on latency).
    server.set_latency_ms(30);

    std::mt19937 random(std::random_device{}());
    int kills = 0;
    std::size_t grew = 0, last_size = 0;
    // Each round waits until the sampler has synced new work to its ledger, lets it run
    // a random while longer, and kills it; until 12 kills have landed on a running
    // sampler. Then a last run finishes.
    auto ledger_size = [&] {
        return fs::exists(dir / "crashed/ledger.jsonl") ? fs::file_size(dir / "crashed/ledger.jsonl") : 0;
    };
    for (int round = 0; round < 40 && kills < 12; ++round) {
        const auto before = ledger_size();
        const pid_t pid = start_sampler(plan_path, dir / "crashed", log);
        for (int i = 0; i < 1000 && ledger_size() == before; ++i)
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        std::this_thread::sleep_for(std::chrono::milliseconds(std::uniform_int_distribution<int>(0, 300)(random)));
        ::kill(pid, SIGKILL);
        const int status = wait_exit(pid);
        if (WIFSIGNALED(status)) ++kills;
        grew += ledger_size() > last_size;
        last_size = ledger_size();
    }
    CHECK(kills >= 10);
    CHECK(grew >= 3);  // the kills landed while work was being done, not before or after
    const int status = wait_exit(start_sampler(plan_path, dir / "crashed", log));
    REQUIRE(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 0);

    CHECK(test::read_file(dir / "crashed/generations.jsonl").size() > 10000);
    for (const char* table : {"study.json", "benchmarks.jsonl", "queries.jsonl"})
        CHECK(test::read_file(dir / "crashed/" + table) == test::read_file(dir / "reference/" + table));
    for (const char* table : {"models.jsonl", "generations.jsonl"}) {
        INFO(table);
        const std::string crashed = test::without_latency(test::read_file(dir / "crashed/" + table));
        CHECK(crashed == test::without_latency(test::read_file(dir / "reference/" + table)));
    }

    // The key went to the server (it refuses requests without it) but into no file or log.
    for (const auto& entry : fs::recursive_directory_iterator(dir.path())) {
        if (!entry.is_regular_file()) continue;
        INFO(entry.path());
        CHECK(test::read_file(entry.path().string()).find(key) == std::string::npos);
    }
    ::unsetenv("HEADROOM_CRASH_TEST_KEY");
}
