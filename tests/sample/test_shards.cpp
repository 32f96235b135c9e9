// Shards and merge: N shards merged equal one unsharded run; overlapping, missing and
// mismatched shards are rejected. And the Batch API files: a plan sent through them
// gives the same study as one sent over HTTP.
#include "core/io/study_io.h"
#include "fake_server.h"
#include "sample/batch_api.h"
#include "sample/merge.h"
#include "sample/sampler.h"
#include "support.h"

#include <catch2/catch.hpp>
#include <fstream>
#include <httplib.h>
#include <sstream>

using namespace headroom;
using namespace headroom::sample;

namespace {

run_summary run(const test::scratch_dir& dir, const json_value& plan_json, const std::string& out, const shard& part) {
    const plan p = load_plan(test::write_plan(dir.path(), plan_json));
    run_options o;
    o.part = part;
    return run_sampling(p, dir / out, o);
}

std::string merge_error(const std::vector<std::string>& dirs) {
    try {
        merge_shards(dirs);
    } catch (const std::exception& e) {
        return e.what();
    }
    return "no error";
}

} // namespace

TEST_CASE("shards: merged shard outputs equal an unsharded run, bad sets are rejected", "[shard][merge]") {
    test::fake_server server({});
    test::scratch_dir dir("shards");
    test::write_query_files(dir.path(), 5);
    const json_value plan = test::basic_plan(server.url());
    const run_summary whole = run(dir, plan, "whole", {});
    std::size_t units = 0;
    for (std::uint32_t i = 0; i < 3; ++i) units += run(dir, plan, "part" + std::to_string(i), {i, 3}).units;
    CHECK(units == whole.units);
    const study merged = merge_shards({dir / "part2", dir / "part0", dir / "part1"});
    write_study_dir(merged, dir / "merged");
    for (const char* table : {"benchmarks.jsonl", "queries.jsonl"})
        CHECK(test::read_file(dir / "merged/" + std::string(table)) == test::read_file(dir / "whole/" + std::string(table)));
    CHECK(test::without_latency(test::read_file(dir / "merged/generations.jsonl")) ==
          test::without_latency(test::read_file(dir / "whole/generations.jsonl")));
    CHECK(load_study_dir(dir / "merged").generations.size() == whole.units);

    CHECK_THAT(merge_error({dir / "part0", dir / "part1"}), Catch::Contains("missing shards (a gap): 2/3"));
    CHECK_THAT(merge_error({dir / "part0", dir / "part1", dir / "part1"}), Catch::Contains("overlapping shards"));
    CHECK_THAT(merge_error({dir / "part0", dir / "part1", dir / "part2", dir / "whole"}),
               Catch::Contains("mismatched shards"));
    json_value other = plan;
    other["temperature"] = 0.3;
    run(dir, other, "other1", {1, 3});
    CHECK_THAT(merge_error({dir / "part0", dir / "other1", dir / "part2"}), Catch::Contains("provenance.plan_hash"));
    // A study not written by the sampler.
    write_study_dir(load_study_dir(dir / "whole"), dir / "copy");
    std::ofstream(dir / "copy/study.json") << R"({"schema_version":1,"name":"x","provenance":{}})";
    CHECK_THAT(merge_error({dir / "copy"}), Catch::Contains("not written by `headroom sample`"));
}

TEST_CASE("batch API files: written, answered, read back, same study as over HTTP", "[batch]") {
    test::server_options o;
    o.reject_n_model = "nobody";
    test::fake_server server(o);
    test::scratch_dir dir("batch");
    test::write_query_files(dir.path(), 3);
    json_value plan_json = test::basic_plan(server.url());
    const plan p = load_plan(test::write_plan(dir.path(), plan_json));
    run(dir, plan_json, "http", {});

    const study queries = load_plan_queries(p);
    std::filesystem::create_directories(dir / "batch");
    batch_counts written;
    {
        const ledger l(dir / "batch/ledger.jsonl");
        written = write_batch_input(p, queries, l, {}, dir / "input.jsonl");
    }
    CHECK(written.units == 9 * 2 * 2 * 3);
    CHECK(written.requests == 9 * 2 * 2);

    // The provider: each input line POSTed to the server, answered in the output format,
    // in reverse order (providers do not keep the input's order), one line an error.
    httplib::Client http("127.0.0.1", server.port());
    std::istringstream input(test::read_file(dir / "input.jsonl"));
    std::vector<std::string> lines;
    for (std::string line; std::getline(input, line);) {
        const json_value request = json_value::parse(line);
        CHECK(request["method"] == "POST");
        CHECK(request["url"] == "/v1/chat/completions");
        json_value out = {{"id", "batch_req_" + std::to_string(lines.size())}, {"custom_id", request["custom_id"]}};
        if (lines.size() == 5) {
            out["response"] = nullptr;
            out["error"] = {{"code", "batch_expired"}, {"message", "This request could not be executed before the completion window expired."}};
        } else {
            const auto res = http.Post("/v1/chat/completions", request["body"].dump(), "application/json");
            REQUIRE(res);
            out["response"] = {{"status_code", res->status}, {"request_id", "req"}, {"body", json_value::parse(res->body)}};
            out["error"] = nullptr;
        }
        lines.push_back(out.dump());
    }
    {
        std::ofstream output(dir / "output.jsonl");
        for (auto it = lines.rbegin(); it != lines.rend(); ++it) output << *it << "\n";
    }
    {
        ledger l(dir / "batch/ledger.jsonl");
        const batch_counts read = read_batch_output(p, queries, l, dir / "output.jsonl");
        CHECK(read.requests == written.requests);
        CHECK(read.failed == 3);  // the expired request's three samples
        CHECK(read.units == written.units - 3);
    }
    // The failed units go out again in the next batch input, and nothing else does.
    {
        const ledger l(dir / "batch/ledger.jsonl");
        const batch_counts again = write_batch_input(p, queries, l, {}, dir / "input2.jsonl");
        CHECK(again.units == 3);
    }
    // Finish over HTTP, then the study equals the HTTP run's (but for latency).
    run(dir, plan_json, "batch", {});
    CHECK(test::without_latency(test::read_file(dir / "batch/generations.jsonl")) ==
          test::without_latency(test::read_file(dir / "http/generations.jsonl")));

    // A line that names units outside the plan is an error naming the line and field.
    std::ofstream(dir / "bad.jsonl") << R"({"id":"x","custom_id":"[\"nobody\",\"m0\",16,0,3]","response":null,"error":null})" "\n";
    ledger l(dir / "batch/ledger.jsonl");
    try {
        read_batch_output(p, queries, l, dir / "bad.jsonl");
        FAIL("no error");
    } catch (const input_error& e) {
        CHECK(e.line() == 1);
        CHECK(e.field() == "custom_id");
    }
}
