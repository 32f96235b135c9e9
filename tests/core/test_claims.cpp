// claims.h: each claim's figure and verdict from given inputs, by hand; pending while an
// input is missing; not checkable, with the reason, when the study cannot test it.
#include "core/analysis/claims.h"

#include "test_support.h"

#include <nlohmann/json.hpp>

using namespace headroom;
using namespace headroom::test;

namespace {

// A study with a GSM8K-like and an MMLU-like benchmark, two models, one judge.
struct claim_fixture {
    study s;
    protocol_report naive, corrected;
    analysis_section all;
    route_report naive_run, corrected_run;

    claim_fixture() {
        study_maker mk;
        const auto math = mk.benchmark("math", task_kind::numeric);
        const auto mcq = mk.benchmark("mcq", task_kind::mcq);
        mk.s.benchmarks[math].mirrors = "GSM8K";
        mk.s.benchmarks[mcq].mirrors = "MMLU";
        mk.model("small");
        mk.model("large");
        mk.s.judgments.judge_index("a");
        s = mk.s;
        // Sections: all, math, mcq.
        for (protocol_report* r : {&naive, &corrected}) r->sections.resize(3);
        naive.sections[0].summary.headroom = 0.20;
        naive.sections[1].summary = summary(0.70, 0.86);  // headroom 16 >= (87.19 - 71.11) / 2
        naive.sections[2].summary = summary(0.60, 0.70);  // headroom 10 < (89.15 - 63.86) / 2
        corrected.sections[0].summary.headroom = 0.05;
        auto& d = all.parts;
        d.unsolvable[0] = {0.30, 0.28, 0.32};
        d.drop = {0.20, 0.18, 0.22};
        d.residual = {0.10, 0.09, 0.11};
        d.shapley[static_cast<std::size_t>(artifact::truncation)] = {0.08, 0.05, 0.11};
        d.shapley[static_cast<std::size_t>(artifact::format)] = {0.02, -0.01, 0.05};
        d.shapley[static_cast<std::size_t>(artifact::judge)] = {0.10, 0.07, 0.13};
        all.corrected_served.share_by_tier = {{0, 0.75}, {1, 0.25}};
        all.naive_noise.observed_headroom = 0.20;
        all.naive_noise.headroom = 0.03;
        naive_run = run(0.70, 0.72, 0.95);
        corrected_run = run(0.80, 0.72, 0.60);
    }

    static headroom_summary summary(double best, double oracle) {
        headroom_summary h;
        h.best_single = best;
        h.oracle = oracle;
        h.headroom = oracle - best;
        return h;
    }
    // ArgMax's metrics, the same overall and on both benchmarks.
    static route_report run(double accuracy, double best_single, double top_share) {
        route_report r;
        r.models = {"small", "large"};
        routing_metrics m;
        m.accuracy = accuracy;
        m.best_single = best_single;
        m.top_share = top_share;
        m.top_model = 1;
        r.evaluation.policies.push_back({policy{}, m, {m, m}});
        return r;
    }

    claim_inputs inputs() const {
        claim_inputs in;
        in.s = &s;
        in.naive.budget = 100;
        in.corrected.budget = 1000;
        in.naive_report = &naive;
        in.corrected_report = &corrected;
        in.decomposition_all = &all;
        in.naive_on_naive = {&naive_run, ""};
        in.naive_on_corrected = {&naive_run, ""};
        in.corrected_on_corrected = {&corrected_run, ""};
        return in;
    }
};

const claim& find(const std::vector<claim>& claims, std::string_view start) {
    for (const claim& c : claims)
        if (c.statement.rfind(start, 0) == 0) return c;
    FAIL("no claim starts with " << start);
    return claims.front();
}

} // namespace

TEST_CASE("claims: every figure and verdict from the inputs, by hand", "[claims]") {
    const claim_fixture f;
    const auto claims = check_claims(f.inputs());
    REQUIRE(claims.size() == 12);
    for (const claim& c : claims) {
        CHECK_FALSE(c.test.empty());
        CHECK(c.verdict != claim_verdict::pending);
    }
    const claim& gsm = find(claims, "The oracle is far above the best single LLM on GSM8K");
    CHECK(gsm.here == "best single 70.00, oracle 86.00: headroom 16.00");
    CHECK(gsm.verdict == claim_verdict::holds);
    CHECK(find(claims, "The oracle is far above the best single LLM on MMLU").verdict == claim_verdict::fails);
    // ArgMax 70 vs best 72 on both benchmarks: routing does not beat the best single model.
    const claim& gain = find(claims, "Routing does not beat");
    CHECK(gain.here == "ArgMax 70.00 vs best 72.00 (GSM8K); ArgMax 70.00 vs best 72.00 (MMLU)");
    CHECK(gain.verdict == claim_verdict::holds);
    const claim& collapse = find(claims, "The classifier sends");
    CHECK(collapse.here == "95.0% to large (GSM8K)");
    CHECK(collapse.verdict == claim_verdict::holds);
    // 20 of 30 points removed: two thirds, more than half.
    const claim& artifact_claim = find(claims, "Much of the measured");
    CHECK(artifact_claim.here == "U(naive) 30.00 \u2192 U(corrected) 10.00: 67% removed");
    CHECK(artifact_claim.verdict == claim_verdict::holds);
    CHECK(find(claims, "Truncation").verdict == claim_verdict::holds);
    CHECK(find(claims, "Output-format").here == "Shapley 2.00 points [-1.00, 5.00]");
    CHECK(find(claims, "Output-format").verdict == claim_verdict::fails);  // the interval reaches 0
    CHECK(find(claims, "Dual judges").verdict == claim_verdict::holds);
    CHECK(find(claims, "About 79%").here == "75.0% (tier 0, of solved queries)");
    CHECK(find(claims, "About 79%").verdict == claim_verdict::holds);
    CHECK(find(claims, "Routing headroom estimates").verdict == claim_verdict::holds);
    // Trained on naive labels: 70 against 80, and 95% to one model against 60%.
    const claim& noise = find(claims, "Routers trained on");
    CHECK(noise.here == "cost 10.00 points; top share 95.0% naive-trained vs 60.0% corrected-trained");
    CHECK(noise.verdict == claim_verdict::holds);
    CHECK(find(claims, "Part of the headroom").here == "naive headroom 20.00, of which the null gives 3.00");

    const auto json = to_json(claims, "fixture");
    CHECK(json["claims"].size() == 12);
    CHECK(json["claims"][0]["verdict"] == "holds");
    CHECK(contains(to_text(claims, "fixture"), "verdict: does not hold"));
}

TEST_CASE("claims: pending without inputs, not checkable where the study cannot say", "[claims]") {
    claim_fixture f;
    claim_inputs in;
    in.s = &f.s;
    for (const claim& c : check_claims(in)) {
        CHECK(c.verdict == claim_verdict::pending);
        CHECK(c.here.empty());
    }
    // One budget, no judge, no benchmark mirroring GSM8K, a router that failed.
    f.s.benchmarks[0].mirrors = "";
    f.s.judgments.judges.clear();
    in = f.inputs();
    in.corrected.budget = in.naive.budget;
    in.naive_on_naive = {nullptr, "no labels"};
    const auto claims = check_claims(in);
    CHECK(find(claims, "The oracle is far above the best single LLM on GSM8K").here == "no benchmark here mirrors GSM8K");
    CHECK(find(claims, "Truncation").verdict == claim_verdict::not_checkable);
    CHECK(find(claims, "Dual judges").here == "no judged benchmark in this study");
    const claim& gain = find(claims, "Routing does not beat");
    CHECK(gain.verdict == claim_verdict::not_checkable);
    CHECK(gain.here == "the router could not be trained: no labels");
    // The P1 sections fall back to MMLU only once GSM8K has no mirror.
    CHECK(find(claims, "The classifier sends").verdict == claim_verdict::not_checkable);
}
