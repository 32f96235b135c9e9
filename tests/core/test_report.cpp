// report.h: the report of the tiny fixture (numbers by hand in test_headroom.cpp), its
// JSON form (what the native/WASM parity test compares) and its text form.
#include "core/analysis/report.h"

#include "core/grading/grade.h"
#include "core/io/pack.h"
#include "core/io/study_io.h"
#include "core/study/split.h"

#include "test_support.h"

using namespace headroom;
using namespace headroom::test;

namespace {
study graded_tiny() {
    study s = load_study_dir(fixture("tiny"));
    grade_extractions(s);
    return s;
}
} // namespace

TEST_CASE("report: the tiny fixture's report, by hand", "[report]") {
    const study s = graded_tiny();
    const study_index index(s);
    const auto protocols = default_protocols(s);
    REQUIRE(protocols.size() == 2);
    CHECK(protocols[0].name == "naive");
    CHECK(protocols[1].name == "corrected");
    const auto r = make_report(s, index, protocols);
    CHECK(r.study == "tiny");
    CHECK(r.models == std::vector<std::string>{"m-small", "m-mid", "m-big"});
    REQUIRE(r.protocols.size() == 2);

    const auto& naive = r.protocols[0];
    REQUIRE(naive.sections.size() == 3);
    CHECK(naive.sections[0].benchmark == "all");
    CHECK(naive.sections[1].benchmark == "quiz");
    CHECK(naive.sections[2].benchmark == "sums");
    CHECK(naive.sections[0].summary.queries == 4);
    CHECK(naive.sections[0].summary.headroom == .25);
    CHECK(naive.sections[1].summary.headroom == .5);
    CHECK(naive.sections[2].summary.unsolvable == .5);
    const auto& corrected = r.protocols[1];
    CHECK(corrected.sections[0].summary.best_model == 1);
    CHECK(corrected.sections[0].summary.oracle == 1);
    CHECK(corrected.sections[2].summary.headroom == .5);

    // Routers on the default split (30% of 2 queries per benchmark rounds to 1 each).
    const auto split = split_queries(s, 0.3, 1);
    REQUIRE(split.test.size() == 2);
    REQUIRE(naive.routers.size() == 3);
    CHECK(naive.routers[0].router == "random");
    CHECK(naive.routers[1].router == "best-single");
    CHECK(naive.routers[2].router == "oracle");
    const auto labels = compute_labels(s, index, corrected.settings);
    double oracle_accuracy = 0;
    for (auto q : split.test) oracle_accuracy += std::max({labels.at(q, 0), labels.at(q, 1), labels.at(q, 2)});
    CHECK(corrected.routers[2].evaluation.accuracy == oracle_accuracy / 2);
    CHECK(corrected.routers[2].evaluation.accuracy == 1);  // every query is solvable under the corrected protocol
    for (const auto& p : r.protocols)
        for (const auto& rr : p.routers) {
            CHECK(rr.evaluation.accuracy <= p.routers[2].evaluation.accuracy);
            CHECK(rr.evaluation.share.size() == 3);
        }
}

TEST_CASE("report: to_json carries every number under stable keys", "[report]") {
    const study s = graded_tiny();
    const study_index index(s);
    report_options options;
    options.test_fraction = 0.5;
    options.split_seed = 9;
    const auto j = to_json(make_report(s, index, default_protocols(s), options));
    CHECK(j["study"] == "tiny");
    CHECK(j["models"] == nlohmann::ordered_json::array({"m-small", "m-mid", "m-big"}));
    CHECK(j["split"]["test_fraction"] == 0.5);
    CHECK(j["split"]["seed"] == 9);
    CHECK(j["split"]["test_set"] == "50% of each benchmark's queries (seed 9)");
    REQUIRE(j["protocols"].size() == 2);
    const auto& naive = j["protocols"][0];
    CHECK(naive["name"] == "naive");
    CHECK(naive["protocol"] == "budget=16 extractor=strict judges=single grounding=off aggregate=greedy ties=first_seen");
    const auto& all = naive["sections"][0];
    CHECK(all["benchmark"] == "all");
    CHECK(all["queries"] == 4);
    CHECK(all["model_accuracy"]["m-small"] == 0.5);
    CHECK(all["model_accuracy"]["m-mid"] == 0.0);
    CHECK(all["model_accuracy"]["m-big"] == 0.25);
    CHECK(all["best_model"] == "m-small");
    CHECK(all["best_single"] == 0.5);
    CHECK(all["oracle"] == 0.75);
    CHECK(all["unsolvable"] == 0.25);
    CHECK(all["headroom"] == 0.25);
    const auto& corrected_quiz = j["protocols"][1]["sections"][1];
    CHECK(corrected_quiz["benchmark"] == "quiz");
    CHECK(corrected_quiz["best_model"] == "m-mid");
    CHECK(corrected_quiz["best_single"] == 1.0);
    REQUIRE(naive["routers"].size() == 3);
    CHECK(naive["routers"][1]["router"] == "best-single");
    CHECK(naive["routers"][1]["share"].size() == 3);
    // Key order is part of the format (the parity test compares text).
    std::vector<std::string> keys;
    for (auto it = all.begin(); it != all.end(); ++it) keys.push_back(it.key());
    CHECK(keys == std::vector<std::string>{"benchmark", "queries", "model_accuracy", "best_model", "best_single", "oracle",
                                           "unsolvable", "headroom"});
}

TEST_CASE("report: the text form shows each protocol's table", "[report]") {
    const study s = graded_tiny();
    const study_index index(s);
    const std::string text = to_text(make_report(s, index, default_protocols(s)));
    CHECK(contains(text, "Study: tiny\n"));
    CHECK(contains(text, "== naive protocol: budget=16 extractor=strict"));
    CHECK(contains(text, "== corrected protocol: budget=64 extractor=lenient"));
    CHECK(contains(text, " all "));
    CHECK(contains(text, " quiz "));
    CHECK(contains(text, "headroom"));
    CHECK(contains(text, " 75.00"));   // corrected best single / naive oracle
    CHECK(contains(text, "100.00"));   // corrected oracle
    CHECK(contains(text, "routers tested on 30% of each benchmark's queries (seed 1):"));
}

TEST_CASE("report: the shipped skeleton study reports without error", "[report][precomputed]") {
    const auto bytes = read_bytes(fs::path(source_root()) / "precomputed" / "skeleton" / "study.pack");
    const study s = unpack_study(bytes, "study.pack");
    const study_index index(s);
    const auto r = make_report(s, index, default_protocols(s));
    REQUIRE(r.protocols.size() == 2);
    for (const auto& p : r.protocols) {
        const auto& all = p.sections[0].summary;
        CHECK(all.queries == s.queries.size());
        CHECK(all.best_single <= all.oracle);
        CHECK(all.headroom == Approx(all.oracle - all.best_single));
        CHECK(all.oracle <= 1.0);
    }
    // The skeleton plants artifacts (truncation, formats strict misreads): fixing them
    // raises the best single model and shrinks the apparent routing headroom (P2).
    const auto& naive = r.protocols[0].sections[0].summary;
    const auto& corrected = r.protocols[1].sections[0].summary;
    CHECK(corrected.best_single > naive.best_single);
    CHECK(corrected.headroom < naive.headroom);
}
