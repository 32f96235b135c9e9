// study_io.h: loading a study directory (every field and cross-reference validated,
// each problem an input_error naming file, line and field) and writing one back.
// Bad inputs are the good fixture `tiny` with one surgical change each.
#include "core/io/study_io.h"

#include "core/base/tokens.h"
#include "core/grading/grade.h"
#include "core/sim/simulate.h"

#include "test_support.h"

#include <string>

using namespace headroom;
using namespace headroom::test;

namespace {

// The fixture copied into a scratch directory, with `from` replaced by `to` in `file`.
struct mutated {
    mutated(const std::string& file, std::string_view from, std::string_view to) {
        dir = copy_fixture(tmp, "tiny");
        path = fs::path(dir) / file;
        replace_once(path, from, to);
    }
    temp_dir tmp;
    std::string dir;
    fs::path path;
    auto loader(const json_limits& limits = {}) const {
        return [this, limits] { load_study_dir(dir, limits); };
    }
};

// Appends `line` (a newline is added) to `file` of a fixture copy.
struct appended {
    appended(const std::string& file, const std::string& line) {
        dir = copy_fixture(tmp, "tiny");
        path = fs::path(dir) / file;
        write_file(path, read_file(path) + line + "\n");
    }
    temp_dir tmp;
    std::string dir;
    fs::path path;
    auto loader() const {
        return [this] { load_study_dir(dir); };
    }
};

// The error a broken line gives before its fields are read (syntax, size, depth): file
// and line, message; no field to name.
template <class F>
void check_line_error(F&& f, const std::string& file_suffix, std::size_t line, const std::string& message_part) {
    const auto e = input_error_of(std::forward<F>(f));
    INFO("expected an input_error at " << file_suffix << ":" << line);
    REQUIRE(e.has_value());
    INFO("got: " << e->what());
    CHECK(ends_with(e->file(), file_suffix));
    CHECK(e->line() == line);
    CHECK(contains(e->message(), message_part));
}

constexpr const char* q2_mid_b64 = R"("id":"q2.mid.b64","query":"q2","model":"m-mid")";

} // namespace

TEST_CASE("study_io: the tiny fixture loads with every field in place", "[study_io]") {
    const study s = load_study_dir(fixture("tiny"));
    CHECK(s.info.schema_version == 1);
    CHECK(s.info.name == "tiny");
    CHECK(!s.info.simulated);
    CHECK(same_json_value(s.info.provenance, R"({"author":"tests","zeta":1,"alpha":[1,2]})"));
    REQUIRE(s.benchmarks.size() == 2);
    CHECK(s.benchmarks[0].id == "quiz");
    CHECK(s.benchmarks[0].kind == task_kind::mcq);
    CHECK(s.benchmarks[1].kind == task_kind::numeric);
    CHECK(s.benchmarks[1].mirrors == "GSM8K");
    REQUIRE(s.queries.size() == 4);
    CHECK(s.queries[0].options == std::vector<std::string>{"carbon", "oxygen", "neon", "argon"});
    CHECK(s.queries[0].gold == "B");
    CHECK(s.queries[2].benchmark == 1);
    CHECK(s.queries[2].gold == "1250");
    CHECK(s.queries[2].options.empty());
    CHECK(s.queries[3].latent == R"({"difficulty":-1.5})");
    CHECK(s.queries[0].latent.empty());
    REQUIRE(s.models.size() == 3);
    CHECK(s.models[2].id == "m-big");
    CHECK(s.models[2].tier == 2);
    CHECK(s.models[2].latency_ms_per_token == 20.25);
    CHECK(s.models[1].price_output_per_mtok == 1.5);
    const auto& g = s.generations;
    REQUIRE(g.size() == 24);
    CHECK(g.id[4] == "q1.big.b16");
    CHECK(g.query[4] == 0);
    CHECK(g.model[4] == 2);
    CHECK(g.budget[4] == 16);
    CHECK(g.finish[4] == finish_reason::length);
    CHECK(g.finish[5] == finish_reason::stop);
    CHECK(g.output_tokens[5] == 27);
    CHECK(g.latency_ms[1] == 112.5);
    CHECK(g.text[0] == "Oxygen is element 8.\nAnswer: B");
    CHECK(s.budgets() == std::vector<std::uint32_t>{16, 64});
    CHECK(s.samples_per_pair() == 1);
    REQUIRE(s.grades.size() == 1);
    CHECK(s.grades.graders == std::vector<std::string>{"judge:ref"});
    CHECK(s.grades.generation[0] == 1);
    CHECK(s.grades.status[0] == grade_status::ok);
    CHECK(s.grades.score[0] == 2.0f);
    CHECK(s.grades.answer[0] == "");
    CHECK(s.grades.detail[0] == "The reply is correct. Score: 2");
}

TEST_CASE("study_io: the fixture's generations follow the token rule", "[study_io][tokens]") {
    // Hand-written texts, checked against tokens.h: output_tokens is the count, and the
    // budget-16 text is the budget-64 text cut at 16 tokens exactly when it is longer.
    const study s = load_study_dir(fixture("tiny"));
    const auto& g = s.generations;
    for (std::size_t i = 0; i < g.size(); ++i) {
        INFO(g.id[i]);
        CHECK(count_tokens(g.text[i]) == g.output_tokens[i]);
        if (g.budget[i] != 16) continue;
        REQUIRE(g.id[i + 1].substr(0, g.id[i].size() - 3) == g.id[i].substr(0, g.id[i].size() - 3));
        const std::string_view full = g.text[i + 1];
        CHECK(g.text[i] == truncate_to_tokens(full, 16));
        CHECK((g.finish[i] == finish_reason::length) == (count_tokens(full) > 16));
    }
}

TEST_CASE("study_io: bad references and missing answers name file, line and field", "[study_io][bad_input]") {
    {
        mutated m("generations.jsonl", q2_mid_b64, R"("id":"q2.mid.b64","query":"q2","model":"m-huge")");
        REQUIRE(line_of(m.path, "q2.mid.b64") == 10);
        check_input_error(m.loader(), "generations.jsonl", 10, "model", "unknown model id 'm-huge'");
    }
    {
        mutated m("generations.jsonl", R"("id":"q3.big.b16","query":"q3")", R"("id":"q3.big.b16","query":"q33")");
        check_input_error(m.loader(), "generations.jsonl", 17, "query", "unknown query id 'q33'");
    }
    {
        mutated m("queries.jsonl", R"("benchmark":"sums","subject":"tables")", R"("benchmark":"maths","subject":"tables")");
        check_input_error(m.loader(), "queries.jsonl", 4, "benchmark", "unknown benchmark id 'maths'");
    }
    {
        mutated m("queries.jsonl", R"(,"gold":"B")", "");
        check_input_error(m.loader(), "queries.jsonl", 1, "gold", "is missing (an mcq query needs its letter)");
    }
    {
        mutated m("queries.jsonl", R"(,"gold":"1250")", "");
        check_input_error(m.loader(), "queries.jsonl", 3, "gold", "is missing (a numeric query needs its number)");
    }
    {
        mutated m("queries.jsonl", R"("gold":"C")", R"("gold":"E")");
        check_input_error(m.loader(), "queries.jsonl", 2, "gold", "must be one of the option letters, not 'E'");
    }
    {
        mutated m("queries.jsonl", R"("gold":"42")", R"("gold":"forty-two")");
        check_input_error(m.loader(), "queries.jsonl", 4, "gold", "must be a number like -12.5 or 1,800");
    }
    {
        mutated m("queries.jsonl", R"("options":["red","green","blue","yellow"],)", R"("options":["red"],)");
        check_input_error(m.loader(), "queries.jsonl", 2, "options", "2 to 26 options");
    }
    {
        appended a("grades.jsonl", R"({"generation":"q9.small.b16","grader":"strict","status":"ok","score":1})");
        check_input_error(a.loader(), "grades.jsonl", 2, "generation", "unknown generation id 'q9.small.b16'");
    }
}

TEST_CASE("study_io: wrong types and out-of-range values name their field", "[study_io][bad_input]") {
    {
        mutated m("generations.jsonl", R"("id":"q1.mid.b16","query":"q1","model":"m-mid","budget":16)",
                  R"("id":"q1.mid.b16","query":"q1","model":"m-mid","budget":"16")");
        check_input_error(m.loader(), "generations.jsonl", 3, "budget", "must be a whole number, not string");
    }
    {
        mutated m("generations.jsonl", R"("latency_ms":175.0)", R"("latency_ms":"175.0")");
        check_input_error(m.loader(), "generations.jsonl", 7, "latency_ms", "must be a number, not string");
    }
    {
        mutated m("generations.jsonl", R"("latency_ms":175.0)", R"("latency_ms":"NaN")");
        check_input_error(m.loader(), "generations.jsonl", 7, "latency_ms", "must be a number, not string");
    }
    {
        mutated m("generations.jsonl", R"("latency_ms":175.0)", R"("latency_ms":-175.0)");
        check_input_error(m.loader(), "generations.jsonl", 7, "latency_ms", "must not be negative");
    }
    {
        mutated m("queries.jsonl", R"("gold":"B"})", R"("gold":"B","split":"dev"})");
        check_input_error(m.loader(), "queries.jsonl", 1, "split", "must be \"train\" or \"test\", not 'dev'");
    }
    {
        mutated m("generations.jsonl", R"("id":"q1.mid.b16","query":"q1","model":"m-mid","budget":16)",
                  R"("id":"q1.mid.b16","query":"q1","model":"m-mid","budget":0)");
        check_input_error(m.loader(), "generations.jsonl", 3, "budget", "at least 1 token");
    }
    {
        mutated m("generations.jsonl", R"("id":"q4.big.b64","query":"q4","model":"m-big","budget":64,"sample":0)",
                  R"("id":"q4.big.b64","query":"q4","model":"m-big","budget":64,"sample":65535)");
        check_input_error(m.loader(), "generations.jsonl", 24, "sample", "at most 65534");
    }
    {
        mutated m("generations.jsonl", R"("id":"q4.big.b64","query":"q4","model":"m-big","budget":64,"sample":0)",
                  R"("id":"q4.big.b64","query":"q4","model":"m-big","budget":64,"sample":1.5)");
        check_input_error(m.loader(), "generations.jsonl", 24, "sample", "not a fraction");
    }
    {
        mutated m("generations.jsonl", R"("latency_ms":175.0)", R"("latency_ms":175.0,"finish":"stop")");
        // A repeated key is refused (issue 18): "last wins" let a line show one value to a
        // reader and another to the loader.
        check_input_error(m.loader(), "generations.jsonl", 7, "finish", "appears twice");
    }
    {
        mutated m("generations.jsonl", R"("id":"q1.small.b16","query":"q1","model":"m-small","budget":16,"sample":0,"text":"Oxygen is element 8.\nAnswer: B","finish":"stop")",
                  R"("id":"q1.small.b16","query":"q1","model":"m-small","budget":16,"sample":0,"text":"Oxygen is element 8.\nAnswer: B","finish":"done")");
        check_input_error(m.loader(), "generations.jsonl", 1, "finish", "must be \"stop\", \"length\", \"content_filter\" or \"unknown\"");
    }
    {
        mutated m("generations.jsonl", R"("id":"q1.small.b16","query":"q1","model":"m-small","budget":16,"sample":0,"text":"Oxygen is element 8.\nAnswer: B")",
                  R"("id":"q1.small.b16","query":"q1","model":"m-small","budget":16,"sample":0,"text":42)");
        check_input_error(m.loader(), "generations.jsonl", 1, "text", "must be a string, not number");
    }
    {
        mutated m("models.jsonl", R"("tier":1)", R"("tier":"one")");
        check_input_error(m.loader(), "models.jsonl", 2, "tier", "whole number");
    }
    {
        mutated m("models.jsonl", R"("price_input_per_mtok":2.5)", R"("price_input_per_mtok":-2.5)");
        check_input_error(m.loader(), "models.jsonl", 3, "price_input_per_mtok", "must not be negative");
    }
    {
        mutated m("models.jsonl", R"("latency_ms_per_token":10)", R"("latency_ms_per_token":-10)");
        check_input_error(m.loader(), "models.jsonl", 2, "latency_ms_per_token", "must not be negative");
    }
    {
        mutated m("benchmarks.jsonl", R"("kind":"numeric")", R"("kind":"essay")");
        check_input_error(m.loader(), "benchmarks.jsonl", 2, "kind", "unknown task kind 'essay'");
    }
    {
        mutated m("queries.jsonl", R"("id":"q3")", R"("id":"")");
        check_input_error(m.loader(), "queries.jsonl", 3, "id", "must not be empty");
    }
    {
        mutated m("grades.jsonl", R"("status":"ok")", R"("status":"fine")");
        check_input_error(m.loader(), "grades.jsonl", 1, "status", "unknown grade status 'fine'");
    }
    {
        mutated m("grades.jsonl", R"("grader":"judge:ref")", R"("grader":"judge:")");
        check_input_error(m.loader(), "grades.jsonl", 1, "grader", "unknown grader 'judge:'");
    }
    {
        mutated m("grades.jsonl", R"("score":2)", R"("score":true)");
        check_input_error(m.loader(), "grades.jsonl", 1, "score", "must be a number, not boolean");
    }
}

TEST_CASE("study_io: duplicates are refused where the second one appears", "[study_io][bad_input]") {
    {
        appended a("queries.jsonl", R"({"id":"q2","benchmark":"sums","text":"again","gold":"1"})");
        check_input_error(a.loader(), "queries.jsonl", 5, "id", "duplicate id 'q2'");
    }
    {
        appended a("models.jsonl", R"({"id":"m-mid","tier":0,"price_input_per_mtok":0,"price_output_per_mtok":0,"latency_ms_per_token":0})");
        check_input_error(a.loader(), "models.jsonl", 4, "id", "duplicate id 'm-mid'");
    }
    {
        appended a("benchmarks.jsonl", R"({"id":"quiz","kind":"mcq"})");
        check_input_error(a.loader(), "benchmarks.jsonl", 3, "id", "duplicate id 'quiz'");
    }
    {
        // Same id, different (query, model, budget, sample).
        appended a("generations.jsonl", R"({"id":"q1.small.b16","query":"q1","model":"m-small","budget":16,"sample":1,"text":"B","finish":"stop","input_tokens":1,"output_tokens":1,"latency_ms":1})");
        check_input_error(a.loader(), "generations.jsonl", 25, "id", "duplicate id 'q1.small.b16'");
    }
    {
        // New id, same (query, model, budget, sample) as line 1.
        appended a("generations.jsonl", R"({"id":"q1.small.b16.again","query":"q1","model":"m-small","budget":16,"sample":0,"text":"B","finish":"stop","input_tokens":1,"output_tokens":1,"latency_ms":1})");
        check_input_error(a.loader(), "generations.jsonl", 25, "sample",
                          "the same query, model, budget and sample already appear as generation 'q1.small.b16'");
    }
    {
        appended a("grades.jsonl", R"({"generation":"q1.small.b64","grader":"judge:ref","status":"parse_failure","score":0})");
        check_input_error(a.loader(), "grades.jsonl", 2, "grader",
                          "generation 'q1.small.b64' already has a 'judge:ref' grade");
    }
    {
        // The same generation under another grader is fine.
        appended a("grades.jsonl", R"({"generation":"q1.small.b64","grader":"judge:other","status":"parse_failure","score":0})");
        const study s = load_study_dir(a.dir);
        CHECK(s.grades.size() == 2);
        CHECK(s.grades.graders.size() == 2);
    }
}

TEST_CASE("study_io: judge replies are checked like the other tables", "[study_io][bad_input]") {
    const std::string good = R"({"generation":"q1.small.b16","judge":"ref","scale":"rubric","reply":"Fine. [[2]]"})";
    auto with_judgments = [](temp_dir& tmp, const std::string& lines) {
        const std::string dir = copy_fixture(tmp, "tiny");
        write_file(fs::path(dir) / judgments_file, lines);
        return dir;
    };
    {
        temp_dir tmp;
        const study s = load_study_dir(with_judgments(tmp, good + "\n" +
            R"({"generation":"q1.small.b16","judge":"other","scale":"ten","reply":"Rating: 7"})" + "\n"));
        REQUIRE(s.judgments.size() == 2);
        CHECK(s.judgments.judges == std::vector<std::string>{"ref", "other"});
        CHECK(s.judgments.scale[1] == judge_scale::ten);
        CHECK(s.judgments.reply[0] == "Fine. [[2]]");
    }
    {
        temp_dir tmp;
        const std::string dir = with_judgments(tmp, good + "\n" + good + "\n");
        check_input_error([&] { load_study_dir(dir); }, "judgments.jsonl", 2, "judge",
                          "generation 'q1.small.b16' already has a reply from judge 'ref'");
    }
    {
        temp_dir tmp;
        const std::string dir = with_judgments(tmp, R"({"generation":"q1.small.b16","judge":"a:b","scale":"rubric","reply":""})" "\n");
        check_input_error([&] { load_study_dir(dir); }, "judgments.jsonl", 1, "judge", "plain, non-empty name");
    }
    {
        temp_dir tmp;
        const std::string dir = with_judgments(tmp, good + "\n" + R"({"generation":"q1.small.b16","judge":"x","scale":"five","reply":""})" "\n");
        check_input_error([&] { load_study_dir(dir); }, "judgments.jsonl", 2, "scale", "must be \"rubric\"");
    }
    {
        temp_dir tmp;
        const std::string dir = with_judgments(tmp, R"({"generation":"nope","judge":"x","scale":"ten","reply":""})" "\n");
        check_input_error([&] { load_study_dir(dir); }, "judgments.jsonl", 1, "generation", "unknown generation id 'nope'");
    }
    {
        temp_dir tmp;
        const std::string dir = with_judgments(tmp, R"({"generation":"q1.small.b16","judge":"x","scale":"ten","reply":"","score":3})" "\n");
        check_input_error([&] { load_study_dir(dir); }, "judgments.jsonl", 1, "score", "not part of the schema");
    }
}

TEST_CASE("study_io: study.json is checked like the tables", "[study_io][bad_input]") {
    {
        mutated m("study.json", R"("schema_version": 1)", R"("schema_version": 3)");
        check_input_error(m.loader(), "study.json", 1, "schema_version", "unsupported schema version 3 (this build reads 1 to 2)");
    }
    {
        mutated m("study.json", R"("schema_version": 1)", R"("schema_version": "1")");
        check_input_error(m.loader(), "study.json", 1, "schema_version", "whole number");
    }
    {
        mutated m("study.json", R"("name": "tiny")", R"("name": "")");
        check_input_error(m.loader(), "study.json", 1, "name", "must not be empty");
    }
    {
        mutated m("study.json", R"("simulated": false)", R"("simulated": false, "simluated": true)");
        check_input_error(m.loader(), "study.json", 1, "simluated", "not part of the schema");
    }
    {
        mutated m("study.json", R"("simulated": false)", R"("simulated": "no")");
        check_input_error(m.loader(), "study.json", 1, "simulated", "true or false");
    }
    {
        temp_dir tmp;
        const std::string dir = copy_fixture(tmp, "tiny");
        fs::remove(fs::path(dir) / "study.json");
        check_input_error([&] { load_study_dir(dir); }, "study.json", 0, "", "cannot open");
    }
    {
        temp_dir tmp;
        const std::string dir = copy_fixture(tmp, "tiny");
        write_file(fs::path(dir) / "study.json", "{\"schema_version\":1,\"name\":\"deep\",\"provenance\":" +
                                                    std::string(1'000'000, '[') + std::string(1'000'000, ']') + "}");
        check_line_error([&] { load_study_dir(dir); }, "study.json", 1, "nested deeper");
    }
}

TEST_CASE("study_io: unknown field names are refused, not ignored", "[study_io][bad_input]") {
    {
        mutated m("generations.jsonl", R"("latency_ms":175.0)", R"("latency_ms":175.0,"temprature":0.7)");
        check_input_error(m.loader(), "generations.jsonl", 7, "temprature", "is not part of the schema (misspelt?)");
    }
    {
        mutated m("models.jsonl", R"("tier":2)", R"("teir":2)");
        check_input_error(m.loader(), "models.jsonl", 3, "teir", "not part of the schema");
    }
    {
        mutated m("queries.jsonl", R"("gold":"42")", R"("gold":"42","answer":"42")");
        check_input_error(m.loader(), "queries.jsonl", 4, "answer", "not part of the schema");
    }
    {
        mutated m("grades.jsonl", R"("score":2)", R"("score":2,"judge":"ref")");
        check_input_error(m.loader(), "grades.jsonl", 1, "judge", "not part of the schema");
    }
}

TEST_CASE("study_io: broken lines: UTF-8, truncation, blank lines, NaN, 1e999", "[study_io][bad_input]") {
    {
        mutated m("generations.jsonl", R"("text":"125 eggs a day for 10 days is 1250 eggs.","finish":"stop","input_tokens":20,"output_tokens":11,"latency_ms":250.0)",
                  "\"text\":\"125 eggs \xFF day for 10 days is 1250 eggs.\",\"finish\":\"stop\",\"input_tokens\":20,\"output_tokens\":11,\"latency_ms\":250.0");
        check_line_error(m.loader(), "generations.jsonl", 13, "invalid UTF-8");
    }
    {
        temp_dir tmp;
        const std::string dir = copy_fixture(tmp, "tiny");
        const auto path = fs::path(dir) / "generations.jsonl";
        std::string text = read_file(path);
        text.resize(text.size() - 30);  // the file ends inside its last record
        write_file(path, text);
        check_line_error([&] { load_study_dir(dir); }, "generations.jsonl", 24, "truncated last line");
    }
    {
        mutated m("models.jsonl", "\n{\"id\":\"m-mid\"", "\n\n{\"id\":\"m-mid\"");
        check_line_error(m.loader(), "models.jsonl", 2, "blank line");
    }
    {
        mutated m("generations.jsonl", R"("latency_ms":175.0)", R"("latency_ms":NaN)");
        check_line_error(m.loader(), "generations.jsonl", 7, "not valid JSON");
    }
    {
        mutated m("generations.jsonl", R"("latency_ms":175.0)", R"("latency_ms":1e999)");
        check_line_error(m.loader(), "generations.jsonl", 7, "1e999");
    }
    {
        mutated m("generations.jsonl", R"("latency_ms":175.0)", R"("latency_ms":-1e999)");
        check_line_error(m.loader(), "generations.jsonl", 7, "1e999");
    }
    {
        mutated m("generations.jsonl", R"("latency_ms":175.0)", R"("latency_ms":Infinity)");
        check_line_error(m.loader(), "generations.jsonl", 7, "not valid JSON");
    }
    {
        // A whole record that is not an object.
        mutated m("models.jsonl", R"({"id":"m-big")", R"(["id","m-big"],{"x":1)");
        check_line_error(m.loader(), "models.jsonl", 3, "not valid JSON");
    }
}

TEST_CASE("study_io: oversized and deeply nested lines are refused by line", "[study_io][bad_input]") {
    const std::string long_text(5000, 'z');
    {
        mutated m("generations.jsonl", R"("text":"Red light has the longest wavelength.\nAnswer: A","finish":"stop","input_tokens":20,"output_tokens":15,"latency_ms":187.5)",
                  R"("text":")" + long_text + R"(","finish":"stop","input_tokens":20,"output_tokens":15,"latency_ms":187.5)");
        json_limits limits;
        limits.max_line_bytes = 4096;  // study.json and every other line are shorter
        check_line_error(m.loader(limits), "generations.jsonl", 8, "longer than 4096 bytes");
        CHECK_NOTHROW(m.loader()());  // the default limit (64 MiB) takes it
    }
    {
        mutated m("generations.jsonl", R"("text":"Red light has the longest wavelength.\nAnswer: A","finish":"stop","input_tokens":20,"output_tokens":15,"latency_ms":187.5)",
                  R"("text":)" + std::string(1'000'000, '[') + std::string(1'000'000, ']') +
                      R"(,"finish":"stop","input_tokens":20,"output_tokens":15,"latency_ms":187.5)");
        check_line_error(m.loader(), "generations.jsonl", 8, "nested deeper than 32 levels");
    }
}

TEST_CASE("study_io: a missing table or directory is an input_error", "[study_io][bad_input]") {
    temp_dir tmp;
    check_input_error([&] { load_study_dir((tmp / "nothing-here").string()); }, "nothing-here", 0, "",
                      "not a study directory");
    const std::string dir = copy_fixture(tmp, "tiny");
    fs::remove(fs::path(dir) / "generations.jsonl");
    check_input_error([&] { load_study_dir(dir); }, "generations.jsonl", 0, "", "cannot open");
}

TEST_CASE("study_io: write_study_dir then load_study_dir gives the same tables", "[study_io][roundtrip]") {
    temp_dir tmp;
    SECTION("the hand-written fixture") {
        const study original = load_study_dir(fixture("tiny"));
        write_study_dir(original, (tmp / "out").string());
        const study again = load_study_dir((tmp / "out").string());
        CHECK(first_difference(original, again) == "");
        // No temporary files are left behind.
        for (const auto& entry : fs::directory_iterator(tmp / "out")) CHECK(entry.path().extension() != ".tmp");
        // Writing what was loaded is a fixed point, byte for byte.
        write_study_dir(again, (tmp / "out2").string());
        for (const char* file : {study_file, benchmarks_file, queries_file, models_file, generations_file, grades_file}) {
            INFO(file);
            CHECK(read_file(tmp / "out" / file) == read_file(tmp / "out2" / file));
        }
    }
    SECTION("a simulated, graded study (texts with newlines, quotes, unicode escapes)") {
        sim::pool_config config = sim::skeleton_pool(3);
        for (auto& b : config.benchmarks) b.queries = 12;
        study original = sim::simulate(config);
        grade_extractions(original);
        // Strings that JSON must escape.
        std::string awkward = "tab\there \"quoted\" back\\slash \xC3\xA9 \xF0\x9F\x98\x80 line\nbreak nul[";
        awkward.push_back('\0');
        awkward += "] control[";
        awkward.push_back('\x01');
        awkward += "]";
        original.queries[0].text = awkward;
        original.models[0].price_input_per_mtok = 0.1 + 0.2;  // not a short decimal
        original.generations.latency_ms[0] = 1e-7;
        write_study_dir(original, (tmp / "sim").string());
        CHECK(!fs::exists(tmp / "sim" / judgments_file));  // no judges, no table
        const study again = load_study_dir((tmp / "sim").string());
        CHECK(first_difference(original, again, blob_compare::by_value) == "");
    }
    SECTION("a simulated study with judge replies and their grades") {
        sim::pool_config config = sim::skeleton_pool(8);
        for (auto& b : config.benchmarks) b.queries = 5;
        config.judges = sim::p2_artifacts_pool(1, 0.01).judges;
        study original = sim::simulate(config);
        REQUIRE(original.judgments.size() > 0);
        grade_extractions(original);
        grade_judgments(original);
        write_study_dir(original, (tmp / "judged").string());
        REQUIRE(fs::exists(tmp / "judged" / judgments_file));
        const study again = load_study_dir((tmp / "judged").string());
        CHECK(first_difference(original, again, blob_compare::by_value) == "");
    }
}

TEST_CASE("study_io: provenance and latent JSON keep their text through write and load", "[study_io][roundtrip]") {
    // Regression test: the comment below describes the defect it caught, now fixed.
    // The opaque JSON blobs come back with their keys re-sorted (the loader parses into
    // nlohmann::json, a std::map), so a study written from memory and loaded again does
    // not compare equal, and re-writing it changes study.json.
    temp_dir tmp;
    study s = load_study_dir(fixture("tiny"));
    s.info.provenance = R"({"generator":"test","seed":1,"budgets":[16,64]})";
    s.queries[3].latent = R"({"difficulty":-1.5,"answer_steps":[6,7]})";
    write_study_dir(s, tmp.str());
    const study again = load_study_dir(tmp.str());
    CHECK(again.info.provenance == s.info.provenance);
    CHECK(again.queries[3].latent == s.queries[3].latent);
}
