// PLAN.json validation: a good plan loads; every bad one names its field.
#include "sample/plan.h"
#include "support.h"

#include <catch2/catch.hpp>
#include <cstdlib>
#include <fstream>
#include <functional>

using namespace headroom;
using namespace headroom::sample;

namespace {

std::string error_of(const test::scratch_dir& dir, const json_value& plan) {
    try {
        load_plan(test::write_plan(dir.path(), plan));
    } catch (const input_error& e) {
        return e.what();
    }
    return "no error";
}

} // namespace

TEST_CASE("a good plan loads with defaults filled in", "[plan]") {
    test::scratch_dir dir("plan");
    test::write_query_files(dir.path(), 2);
    const plan p = load_plan(test::write_plan(dir.path(), test::basic_plan("http://127.0.0.1:9/v1/")));
    CHECK(p.models.size() == 2);
    CHECK(p.models[0].endpoint.url == "http://127.0.0.1:9/v1");  // trailing slash dropped
    CHECK(p.models[1].endpoint.max_concurrency == 8);
    CHECK(p.budgets == std::vector<std::uint32_t>{16, 64});
    CHECK(p.templates.size() == 4);
    CHECK(p.retry.max_attempts == 30);
    CHECK(p.hash.size() == 16);
    const study q = load_plan_queries(p);
    CHECK(q.queries.size() == 6);
}

TEST_CASE("the plan hash changes with anything that changes the work", "[plan]") {
    test::scratch_dir dir("plan-hash");
    test::write_query_files(dir.path(), 2);
    json_value plan = test::basic_plan("http://127.0.0.1:9/v1");
    const std::string a = load_plan(test::write_plan(dir.path(), plan)).hash;
    plan["temperature"] = 0.5;
    const std::string b = load_plan(test::write_plan(dir.path(), plan)).hash;
    CHECK(a != b);
    test::write_query_files(dir.path(), 3);
    CHECK(load_plan(test::write_plan(dir.path(), plan)).hash != b);
}

TEST_CASE("bad plans are rejected naming the field", "[plan][bad_input]") {
    test::scratch_dir dir("plan-bad");
    test::write_query_files(dir.path(), 1);
    const json_value good = test::basic_plan("http://127.0.0.1:9/v1");
    struct bad_case {
        std::function<void(json_value&)> edit;
        std::string expected;
    };
    ::unsetenv("HEADROOM_TEST_MISSING_KEY");
    const std::vector<bad_case> cases = {
        {[](json_value& p) { p.erase("models"); }, "field 'models': is missing"},
        {[](json_value& p) { p["models"][1]["max_concurrency"] = 0; }, "field 'models[1].max_concurrency': must be between 1"},
        {[](json_value& p) { p["models"][0]["max_concurency"] = 4; }, "field 'models[0].max_concurency': is not a known field"},
        {[](json_value& p) { p["models"][0]["endpoint"] = "ftp://x"; }, "field 'models[0].endpoint': must start with http"},
        {[](json_value& p) { p["models"][1]["id"] = "small"; }, "field 'models[1].id': duplicate model id"},
        {[](json_value& p) { p["models"][0]["api_key_env"] = "HEADROOM_TEST_MISSING_KEY"; },
         "field 'models[0].api_key_env': names the environment variable HEADROOM_TEST_MISSING_KEY, which is not set"},
        {[](json_value& p) { p["models"][0]["price_input_per_mtok"] = "cheap"; }, "field 'models[0].price_input_per_mtok': must be a number"},
        {[](json_value& p) { p["models"][0]["n"] = "many"; }, "field 'models[0].n': must be \"auto\" or \"single\""},
        {[](json_value& p) { p["budgets"] = json_value::array({16, 16}); }, "field 'budgets[1]': duplicate budget 16"},
        {[](json_value& p) { p["budgets"] = json_value::array(); }, "field 'budgets': must list at least one budget"},
        {[](json_value& p) { p["samples"] = -1; }, "field 'samples': must be a non-negative integer"},
        {[](json_value& p) { p["temperature"] = 3; }, "field 'temperature': must be between 0 and 2"},
        {[](json_value& p) { p["benchmarks"][0]["queries"] = "nowhere.jsonl"; }, "field 'benchmarks[0].queries': file not found"},
        {[](json_value& p) { p["templates"] = {{"mcq", {{"user", "no placeholder"}}}}; }, "templates.mcq"},
        {[](json_value& p) { p["templates"] = {{"essay", {{"user", "{query}"}}}}; }, "field 'templates.essay': is not a known field"},
        {[](json_value& p) { p["judges"] = {{{"name", "j"}, {"scale", "stars"}, {"endpoint", "http://x"}, {"model", "m"}}}; },
         "field 'judges[0].scale': must be \"rubric\""},
        {[](json_value& p) { p["retry"]["max_attempts"] = 0; }, "field 'retry.max_attempts': must be between 1 and 100"},
        {[](json_value& p) { p["colour"] = "blue"; }, "field 'colour': is not a known field"},
    };
    for (const auto& c : cases) {
        json_value plan = good;
        c.edit(plan);
        const std::string error = error_of(dir, plan);
        INFO(plan.dump());
        CHECK_THAT(error, Catch::Contains(c.expected));
        CHECK_THAT(error, Catch::Contains("plan.json"));
    }
}

TEST_CASE("a plan that is not JSON names its line", "[plan][bad_input]") {
    test::scratch_dir dir("plan-json");
    std::ofstream(dir / "plan.json") << "{\n  \"name\": \"x\",\n  oops\n}";
    try {
        load_plan(dir / "plan.json");
        FAIL("no error");
    } catch (const input_error& e) {
        CHECK(e.file() == dir / "plan.json");
        CHECK(e.line() == 3);
    }
}
