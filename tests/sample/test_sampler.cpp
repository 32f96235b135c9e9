// The sampler end to end against a loopback server: a clean run, every fault kind at
// high rates, servers that ignore or reject n > 1, terminal errors, and the API key.
#include "core/base/tokens.h"
#include "core/io/study_io.h"
#include "fake_server.h"
#include "sample/sampler.h"
#include "support.h"

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <vector>

using namespace headroom;
using namespace headroom::sample;
namespace fs = std::filesystem;

namespace {

// Runs a plan and returns the summary; the study is written to dir/out.
run_summary run(const test::scratch_dir& dir, const json_value& plan_json, const std::string& out = "out",
                const shard& part = {}) {
    const plan p = load_plan(test::write_plan(dir.path(), plan_json));
    run_options o;
    o.part = part;
    return run_sampling(p, dir / out, o);
}

// Every generation's text as the fake server defines it, by id.
void check_texts_match_server(const study& s, const std::map<std::string, std::string>& served_names) {
    for (std::size_t g = 0; g < s.generations.size(); ++g) {
        const auto& q = s.queries[s.generations.query[g]];
        const std::string& model = served_names.at(s.models[s.generations.model[g]].id);
        const auto messages = render_task_prompt(q, s.benchmarks[q.benchmark].kind);
        const std::string full = test::fake_reply(model, messages.back().content, s.generations.sample[g], 0.7);
        INFO(s.generations.id[g]);
        REQUIRE(std::string(s.generations.text[g]) == std::string(truncate_to_tokens(full, s.generations.budget[g])));
    }
}

const std::map<std::string, std::string> served = {{"small", "small-served"}, {"large", "large-served"}};

} // namespace

TEST_CASE("sampler: a clean run writes a loadable study with every unit once", "[sampler]") {
    test::fake_server server({});
    test::scratch_dir dir("clean");
    test::write_query_files(dir.path(), 4);
    const run_summary s = run(dir, test::basic_plan(server.url()));
    CHECK(s.units == 12 * 2 * 2 * 3);
    CHECK(s.failed == 0);
    CHECK(s.ok + s.truncated + s.empty == s.units);
    CHECK(s.truncated > 0);  // the 16-token budget cuts some replies
    CHECK(s.empty > 0);      // the server sends some empty answers
    const study st = load_study_dir(dir / "out");
    CHECK(st.generations.size() == s.units);
    CHECK(st.queries.size() == 12);
    check_texts_match_server(st, served);
    // n > 1 was used: one request per (query, model, budget).
    CHECK(server.n_requests() == 12 * 2 * 2);
    // Identical query texts stayed distinct units.
    CHECK(test::read_file(dir / "out/generations.jsonl").find("\"g0.small.b16.s0\"") != std::string::npos);
    CHECK(test::read_file(dir / "out/generations.jsonl").find("\"g1.small.b16.s0\"") != std::string::npos);
    // Rerunning does nothing new.
    const std::size_t before = server.requests();
    const run_summary again = run(dir, test::basic_plan(server.url()));
    CHECK(again.already_done == again.units);
    CHECK(server.requests() == before);
}

TEST_CASE("sampler: every fault kind at high rates, every unit done or failed with its reason, no duplicates",
          "[sampler][faults]") {
    test::server_options o;
    o.faults = {.http_429 = 0.08, .http_500 = 0.08, .http_503 = 0.08, .hang = 0.03, .reset = 0.08,
                .malformed = 0.08, .bad_utf8 = 0.05, .wrong_types = 0.05, .n_ignored = 0.1, .hang_ms = 2500};
    test::fake_server server(o);
    test::scratch_dir dir("faults");
    test::write_query_files(dir.path(), 4);
    json_value plan = test::basic_plan(server.url());
    plan["retry"]["attempt_timeout_s"] = 1.0;
    const run_summary s = run(dir, plan);
    CHECK(s.retries > 50);
    CHECK(s.n_fallbacks > 0);
    CHECK(s.ok + s.truncated + s.empty + s.failed == s.units);
    CHECK(s.failed == 0);  // 30 attempts outlast these rates
    const study st = load_study_dir(dir / "out");  // also rejects duplicate generations
    CHECK(st.generations.size() == s.units);
    check_texts_match_server(st, served);
    // The ledger says how each generation came: retried attempts and n fallbacks.
    const std::string ledger_text = test::read_file(dir / "out/ledger.jsonl");
    CHECK(ledger_text.find("\"mode\":\"single_fallback\"") != std::string::npos);
    CHECK(ledger_text.find("\"retried\":[\"") != std::string::npos);
    CHECK(ledger_text.find("\"fingerprint\":\"fp_fake\"") != std::string::npos);
}

TEST_CASE("sampler: too few attempts leave units failed with their reason, a rerun finishes them", "[sampler][faults]") {
    test::server_options o;
    o.faults = {.http_503 = 0.5};
    test::fake_server server(o);
    test::scratch_dir dir("give-up");
    test::write_query_files(dir.path(), 3);
    json_value plan = test::basic_plan(server.url());
    plan["retry"]["max_attempts"] = 1;
    const run_summary first = run(dir, plan);
    CHECK(first.failed > 0);
    INFO(summary_text(first));
    CHECK(first.failed_by_reason.at("http_503") == first.failed);
    CHECK(summary_text(first).find("failed http_503: ") != std::string::npos);
    CHECK(load_study_dir(dir / "out").generations.size() == first.units - first.failed);
    plan["retry"]["max_attempts"] = 40;
    const run_summary second = run(dir, plan);
    CHECK(second.failed == 0);
    CHECK(second.already_done == first.units - first.failed);
    const study st = load_study_dir(dir / "out");
    CHECK(st.generations.size() == first.units);
    check_texts_match_server(st, served);
}

TEST_CASE("sampler: a server rejecting n > 1 gets single requests, terminal errors are recorded", "[sampler]") {
    test::server_options o;
    o.reject_n_model = "small-served";
    o.quota_model = "large-served";
    test::fake_server server(o);
    test::scratch_dir dir("reject-n");
    test::write_query_files(dir.path(), 2);
    const run_summary s = run(dir, test::basic_plan(server.url()));
    CHECK(s.n_fallbacks >= 1);
    CHECK(s.failed == s.units / 2);  // every unit of the model out of quota
    CHECK(s.failed_by_reason.at("insufficient_quota") == s.failed);
    const std::string ledger_text = test::read_file(dir / "out/ledger.jsonl");
    CHECK(ledger_text.find("You exceeded your current quota") != std::string::npos);
    const study st = load_study_dir(dir / "out");
    CHECK(st.generations.size() == s.units / 2);
    check_texts_match_server(st, served);
}

TEST_CASE("sampler: only a reply that refuses n itself turns an n=3 request into single ones", "[sampler]") {
    // The red team's cases: a 429 asking to wait 31 years, a 401 and a 400 about
    // something else each ended as three single requests, and switched the model to
    // single requests for the rest of the run. Each must end the request with its class.
    struct refusal {
        const char* what;
        std::function<void(test::server_options&)> set;
        const char* reason;
        const char* says;
    };
    const std::vector<refusal> cases = {
        {"429 with Retry-After 999999999",
         [](test::server_options& o) { o.faults.http_429 = 1, o.faults.retry_after = "999999999"; }, "http_429",
         "Retry-After"},
        {"401", [](test::server_options& o) { o.require_key = "sk-the-right-one"; }, "http_401", "bad key"},
        {"400 about max_tokens", [](test::server_options& o) { o.bad_request_model = "small-served", o.quota_model = "large-served"; },
         "http_400", "max_tokens"},
    };
    for (const auto& c : cases) {
        INFO(c.what);
        test::server_options o;
        c.set(o);
        test::fake_server server(o);
        test::scratch_dir dir("no-fallback");
        test::write_query_files(dir.path(), 2);
        const run_summary s = run(dir, test::basic_plan(server.url()));
        INFO(summary_text(s));
        CHECK(s.n_fallbacks == 0);
        CHECK(s.failed == s.units);
        // One n=3 request per (query, model, budget): no retry, no single-sample request.
        CHECK(server.requests() == s.units / 3);
        const std::string ledger_text = test::read_file(dir / "out/ledger.jsonl");
        CHECK(ledger_text.find(c.says) != std::string::npos);
        CHECK(ledger_text.find(std::string("\"") + c.reason + "\"") != std::string::npos);
    }
}

TEST_CASE("sampler: the API key is sent, and is nowhere in the output", "[sampler][secrets]") {
    const std::string key = "sk-test-9f8e7d6c5b4a3f2e1d0c";
    ::setenv("HEADROOM_SAMPLE_TEST_KEY", key.c_str(), 1);
    test::server_options o;
    o.require_key = key;
    test::fake_server server(o);
    test::scratch_dir dir("key");
    test::write_query_files(dir.path(), 2);
    json_value plan = test::basic_plan(server.url());
    for (auto& m : plan["models"]) m["api_key_env"] = "HEADROOM_SAMPLE_TEST_KEY";
    const run_summary s = run(dir, plan);
    CHECK(s.failed == 0);  // the server refuses requests without the key
    for (const auto& entry : fs::recursive_directory_iterator(dir.path())) {
        if (!entry.is_regular_file()) continue;
        INFO(entry.path());
        CHECK(test::read_file(entry.path().string()).find(key) == std::string::npos);
    }
    // Without the key the server's 401 is terminal and recorded.
    ::setenv("HEADROOM_SAMPLE_TEST_KEY", "wrong", 1);
    const run_summary bad = run(dir, plan, "out-wrong-key");
    CHECK(bad.failed == bad.units);
    CHECK(bad.failed_by_reason.at("http_401") == bad.units);
    ::unsetenv("HEADROOM_SAMPLE_TEST_KEY");
}

TEST_CASE("sampler: an unreachable endpoint fails with connection_failed", "[sampler]") {
    test::scratch_dir dir("unreachable");
    test::write_query_files(dir.path(), 1);
    json_value plan = test::basic_plan("http://127.0.0.1:1/v1");
    plan["retry"]["max_attempts"] = 2;
    const run_summary s = run(dir, plan);
    CHECK(s.failed == s.units);
    CHECK(s.failed_by_reason.at("connection_failed") == s.units);
}
