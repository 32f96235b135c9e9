// `headroom judge`: every generation goes to each of the plan's judges once; the
// replies land in judgments.jsonl in the study format, and a rerun sends nothing.
#include "core/io/study_io.h"
#include "fake_server.h"
#include "sample/judging.h"
#include "sample/sampler.h"
#include "support.h"

#include <catch2/catch.hpp>

using namespace headroom;
using namespace headroom::sample;

TEST_CASE("judging: two judges, every generation once each, resumable", "[judge]") {
    test::server_options o;
    o.faults = {.http_500 = 0.1, .malformed = 0.1};
    test::fake_server server(o);
    test::scratch_dir dir("judge");
    test::write_query_files(dir.path(), 2);
    json_value plan_json = test::basic_plan(server.url());
    plan_json["samples"] = 1;
    plan_json["judges"] = {{{"name", "rubric-judge"}, {"scale", "rubric"}, {"endpoint", server.url()}, {"model", "judge-a"}},
                           {{"name", "ten-judge"}, {"scale", "ten"}, {"endpoint", server.url()}, {"model", "judge-b"},
                            {"max_tokens", 64}}};
    const plan p = load_plan(test::write_plan(dir.path(), plan_json));
    run_options options;
    run_sampling(p, dir / "out", options);

    const judge_summary s = run_judging(p, dir / "out");
    const study st = load_study_dir(dir / "out");
    CHECK(s.units == st.generations.size() * 2);
    CHECK(s.failed == 0);
    CHECK(s.retries > 0);
    CHECK(s.ok + s.truncated + s.empty == s.units);
    REQUIRE(st.judgments.size() == s.units);
    for (std::size_t i = 0; i < st.judgments.size(); ++i) {
        const bool rubric = st.judgments.judges[st.judgments.judge[i]] == "rubric-judge";
        CHECK(st.judgments.scale[i] == (rubric ? judge_scale::rubric : judge_scale::ten));
        // The fake server answers with the judge model's name in the text (or, some
        // times, with an empty reply, kept and counted as such).
        const std::string reply(st.judgments.reply[i]);
        CHECK((reply.empty() || reply.find(rubric ? "judge-a" : "judge-b") != std::string::npos));
    }
    const std::size_t before = server.requests();
    const judge_summary again = run_judging(p, dir / "out");
    CHECK(again.already_done == again.units);
    CHECK(server.requests() == before);
    CHECK(load_study_dir(dir / "out").judgments.size() == s.units);
}
