// Schema version 2 (study_io.h): what real logs lack is optional and stays unknown,
// outcomes graded elsewhere are `source:` grades, measured costs ride along, and the
// typed builder applies the record path's checks. Version 1 studies still read and
// are written back as version 1 (the shipped manifests depend on it).
#include "core/grading/grade.h"
#include "core/io/pack.h"
#include "core/io/study_io.h"
#include "core/study/builder.h"

#include "test_support.h"

#include <cmath>
#include <string>

using namespace headroom;
using namespace headroom::test;

namespace {

// A version 2 study from real-looking logs: no finish, tokens, latency or budget on
// one line, a measured cost on another, lm-eval's two extractions as source grades.
void write_v2(const fs::path& dir) {
    fs::create_directories(dir);
    write_file(dir / "study.json", R"({"schema_version": 2, "name": "imported"})");
    write_file(dir / "benchmarks.jsonl", R"({"id": "gsm", "kind": "numeric"})" "\n"
                                         R"({"id": "arc", "kind": "mcq"})" "\n");
    write_file(dir / "queries.jsonl", R"({"id": "q1", "benchmark": "gsm", "text": "eggs?", "gold": "1,800"})" "\n"
                                      R"({"id": "q2", "benchmark": "arc", "text": "which?"})" "\n");
    write_file(dir / "models.jsonl", R"({"id": "m", "price_source": "vendor page", "price_date": "2024-06-01"})" "\n");
    write_file(dir / "generations.jsonl",
               R"({"id": "g1", "query": "q1", "model": "m", "text": "The answer is 1800."})" "\n"
               R"({"id": "g2", "query": "q2", "model": "m", "budget": 256, "text": "B", "finish": "stop", "input_tokens": 12.0, "output_tokens": 1, "cost_usd": 0.00042})" "\n");
    write_file(dir / "grades.jsonl",
               R"({"generation": "g1", "grader": "source:lm-eval/strict-match", "status": "ok", "score": 0})" "\n"
               R"({"generation": "g1", "grader": "source:lm-eval/flexible-extract", "status": "ok", "score": 1})" "\n"
               R"({"generation": "g2", "grader": "source:csv", "status": "missing"})" "\n");
}

} // namespace

TEST_CASE("study v2: unknown fields stay unknown, costs and source grades load", "[study_io][v2]") {
    temp_dir tmp;
    write_v2(tmp.path() / "s");
    const study s = load_study_dir((tmp.path() / "s").string());
    const auto& g = s.generations;
    REQUIRE(g.size() == 2);
    CHECK(g.finish[0] == finish_reason::unknown);
    CHECK(g.budget[0] == unknown_budget);
    CHECK(g.input_tokens[0] == unknown_tokens);
    CHECK(g.output_tokens[0] == unknown_tokens);
    CHECK(std::isnan(g.latency_ms[0]));
    CHECK(std::isnan(g.measured_cost(0)));
    CHECK(g.measured_cost(1) == 0.00042);
    CHECK(g.input_tokens[1] == 12);
    CHECK(s.queries[0].gold == "1800");  // thousands separator normalised
    CHECK(s.queries[1].gold.empty());    // mcq gold may stay with the grading tool
    CHECK(s.models[0].price_source == "vendor page");
    CHECK(s.models[0].tier == 0);
    REQUIRE(s.grades.size() == 3);
    CHECK(s.grades.status[2] == grade_status::missing);
    CHECK(s.needed_schema_version() == 2);
}

TEST_CASE("study v2: write then load keeps every v2 field, and the pack carries them", "[study_io][v2][pack]") {
    temp_dir tmp;
    write_v2(tmp.path() / "s");
    const study s = load_study_dir((tmp.path() / "s").string());
    write_study_dir(s, (tmp.path() / "t").string());
    CHECK(contains(read_file(tmp.path() / "t" / "study.json"), "\"schema_version\": 2"));
    const std::string lines = read_file(tmp.path() / "t" / "generations.jsonl");
    CHECK_FALSE(contains(lines.substr(0, lines.find('\n')), "tokens"));  // unknown is left out, never 0
    const study back = load_study_dir((tmp.path() / "t").string());
    CHECK(back.generations.finish[0] == finish_reason::unknown);
    CHECK(back.generations.measured_cost(1) == 0.00042);
    CHECK(back.grades.graders == s.grades.graders);

    const auto bytes = pack_study(s);
    CHECK(bytes[8] == pack_version);
    const study unpacked = unpack_study(bytes, "v2.pack");
    CHECK(unpacked.generations.finish[0] == finish_reason::unknown);
    CHECK(unpacked.generations.output_tokens[0] == unknown_tokens);
    CHECK(std::isnan(unpacked.generations.latency_ms[0]));
    CHECK(unpacked.generations.measured_cost(1) == 0.00042);
    CHECK(std::isnan(unpacked.generations.measured_cost(0)));
    CHECK(unpacked.models[0].price_date == "2024-06-01");
    CHECK(unpacked.grades.status[2] == grade_status::missing);
}

TEST_CASE("study v2: a version 1 study is written back as version 1 and packs as before", "[study_io][v2]") {
    temp_dir tmp;
    const std::string dir = copy_fixture(tmp, "tiny");
    const study s = load_study_dir(dir);
    CHECK(s.needed_schema_version() == 1);
    write_study_dir(s, (tmp.path() / "back").string());
    CHECK(contains(read_file(tmp.path() / "back" / "study.json"), "\"schema_version\": 1"));
    CHECK(s.generations.cost_usd.empty());
    CHECK(pack_study(s)[8] == 4);
}

TEST_CASE("study v2: headroom's grading keeps source grades and a study may start without grades", "[study_io][v2][grade]") {
    temp_dir tmp;
    write_v2(tmp.path() / "s");
    fs::remove(tmp.path() / "s" / "grades.jsonl");
    study bare = load_study_dir((tmp.path() / "s").string());
    CHECK(bare.grades.size() == 0);

    write_v2(tmp.path() / "s");
    study s = load_study_dir((tmp.path() / "s").string());
    grade_extractions(s);
    std::size_t source = 0, strict = 0;
    for (std::size_t i = 0; i < s.grades.size(); ++i) {
        const auto& name = s.grades.graders[s.grades.grader[i]];
        source += is_source_grader(name);
        strict += name == "strict";
    }
    CHECK(source == 3);
    CHECK(strict == 2);  // one per generation: Headroom grades beside the source
}

TEST_CASE("study v2: the loader reports up to 20 errors of a file in one run", "[study_io][v2][bad_input]") {
    temp_dir tmp;
    write_v2(tmp.path() / "s");
    std::string lines;
    for (int i = 0; i < 25; ++i)
        lines += R"({"id": "x)" + std::to_string(i) + R"(", "query": "nope", "model": "m", "text": ""})" "\n";
    write_file(tmp.path() / "s" / "generations.jsonl", lines);
    const auto e = input_error_of([&] { load_study_dir((tmp.path() / "s").string()); });
    REQUIRE(e.has_value());
    CHECK(e->line() == 1);
    CHECK(e->field() == "query");
    CHECK(contains(e->message(), "20 or more errors"));
    CHECK(contains(e->message(), "generations.jsonl:20: field 'query'"));
    CHECK_FALSE(contains(e->message(), "generations.jsonl:21:"));
}

TEST_CASE("study v2: bad v2 values name their field", "[study_io][v2][bad_input]") {
    auto error_with = [](const std::string& generation) {
        temp_dir tmp;
        write_v2(tmp.path() / "s");
        write_file(tmp.path() / "s" / "generations.jsonl", generation + "\n");
        fs::remove(tmp.path() / "s" / "grades.jsonl");
        return input_error_of([&] { load_study_dir((tmp.path() / "s").string()); });
    };
    auto e = error_with(R"({"id": "g", "query": "q1", "model": "m", "finish": "cut"})");
    REQUIRE(e);
    CHECK(e->field() == "finish");
    e = error_with(R"({"id": "g", "query": "q1", "model": "m", "output_tokens": 2.5})");
    REQUIRE(e);
    CHECK(e->field() == "output_tokens");
    e = error_with(R"({"id": "g", "query": "q1", "model": "m", "cost_usd": -1})");
    REQUIRE(e);
    CHECK(e->field() == "cost_usd");
}

TEST_CASE("study v2: numbers with thousands separators are normalised, others refused", "[study_io][v2]") {
    CHECK(normalised_number("1,800") == "1800");
    CHECK(normalised_number("-12,345.5") == "-12345.5");
    CHECK(normalised_number("42") == "42");
    CHECK_FALSE(normalised_number("1,80").has_value());
    CHECK_FALSE(normalised_number("12,3456").has_value());
    CHECK_FALSE(normalised_number(",100").has_value());
    CHECK_FALSE(normalised_number("1.5,000").has_value());
    CHECK_FALSE(normalised_number("abc").has_value());
}

TEST_CASE("study v2: only a source grade may be missing, and the typed builder checks like the records", "[study_io][v2]") {
    study_builder b;
    b.info(study_info{2, "typed", "", false, "", false});
    const auto bench = b.add(benchmark{"b", task_kind::open, "", ""});
    query q;
    q.id = "q";
    q.benchmark = bench;
    b.add(q);
    b.add(model{"m", "", 0, 0, 0, 0, "", ""});
    generation_row row;
    row.id = "g";
    const auto gen = b.add(row);
    generation_row again;
    again.id = "g2";
    const auto dup = input_error_of([&] { b.add(again, {"typed", 7}); });
    REQUIRE(dup);
    CHECK(dup->line() == 7);
    CHECK(dup->field() == "sample");
    const auto missing = input_error_of([&] { b.add(grade_row{gen, "strict", grade_status::missing, 0, "", "", ""}); });
    REQUIRE(missing);
    CHECK(missing->field() == "status");
    b.add(grade_row{gen, "source:x", grade_status::missing, 0, "", "", ""});
    CHECK(b.finish().grades.size() == 1);
}
