// The wide-CSV importer (core/io/import): RFC 4180 records, RouterBench's and RouteLLM's
// column shapes, missing outcomes, measured costs, repeated ids, errors that name the
// file, line and field; and the real RouterBench subset in ../shared/fixtures, checked
// against figures this test computes from the CSV with its own reader.
#include "core/io/import/csv.h"
#include "core/io/import/import.h"

#include "test_support.h"

#include <cmath>
#include <map>
#include <set>

using namespace headroom;
using namespace headroom::test;

namespace {

std::vector<std::vector<std::string>> all_records(std::string_view bytes) {
    import::csv_reader csv(bytes, "t.csv");
    std::vector<std::vector<std::string>> out;
    std::vector<std::string_view> row;
    while (csv.next(row)) out.emplace_back(row.begin(), row.end());
    return out;
}

import::result import_one(const std::string& path, const std::string& bytes, const import::options& o = {}) {
    return import::import_sources({{path, bytes}}, o);
}

const grade_table& grades(const import::result& r) { return r.study.grades; }

} // namespace

TEST_CASE("import csv: quoted commas, doubled quotes, newlines and CRLF", "[import]") {
    const auto rows = all_records("a,b,c\r\n\"x, y\",\"say \"\"hi\"\"\",\"two\nlines\"\n,,\nlast,1,2");
    REQUIRE(rows.size() == 4);
    CHECK(rows[0] == std::vector<std::string>{"a", "b", "c"});
    CHECK(rows[1] == std::vector<std::string>{"x, y", "say \"hi\"", "two\nlines"});
    CHECK(rows[2] == std::vector<std::string>{"", "", ""});
    CHECK(rows[3] == std::vector<std::string>{"last", "1", "2"});
}

TEST_CASE("import csv: a record's line counts the newlines inside quoted fields", "[import][bad_input]") {
    import::csv_reader csv("h\n\"a\nb\"\n\"open\n", "t.csv");
    std::vector<std::string_view> row;
    REQUIRE(csv.next(row));
    REQUIRE(csv.next(row));
    CHECK(csv.line() == 2);
    check_input_error([&] { csv.next(row); }, "t.csv", 4, "", "never closed");
    import::csv_reader stray("\"a\"b,c\n", "s.csv");
    check_input_error([&] { stray.next(row); }, "s.csv", 1, "", "doubled");
}

TEST_CASE("import wide-csv: RouterBench columns: scores, texts, costs, missing cells", "[import]") {
    const std::string table =
        ",sample_id,prompt,eval_name,m1,m2,m1|model_response,m2|model_response,m1|total_cost,m2|total_cost,"
        "oracle_model_to_route_to\n"
        "0,q.1,\"What, then?\",arc,1,0,A,\"B, surely\",0.5,0.25,m1\n"
        "1,q.2,Second,arc,,1,,C,,0.125,m2\n";
    const auto r = import_one("bench_test.csv", table);
    const study& s = r.study;
    REQUIRE(s.models.size() == 2);
    CHECK(s.models[0].id == "m1");
    REQUIRE(s.queries.size() == 2);
    CHECK(s.queries[0].text == "What, then?");
    CHECK(s.queries[0].split == split_side::test);
    CHECK(s.benchmarks.at(0).id == "arc");
    REQUIRE(s.generations.size() == 4);
    CHECK(s.generations.text[1] == "B, surely");
    CHECK(s.generations.cost_usd[0] == 0.5);
    CHECK(std::isnan(s.generations.cost_usd[2]));  // empty cost cell: not measured
    CHECK(s.generations.budget[0] == unknown_budget);
    CHECK(s.generations.finish[0] == finish_reason::unknown);
    REQUIRE(grades(r).graders == std::vector<std::string>{"source:wide-csv"});
    CHECK(grades(r).status[2] == grade_status::missing);
    CHECK(grades(r).status[3] == grade_status::ok);
    CHECK(grades(r).score[0] == 1.0f);
    CHECK(grades(r).score[1] == 0.0f);
    CHECK(s.needed_schema_version() == 2);
}

TEST_CASE("import wide-csv: RouteLLM's _response columns, a named grader, gold and split columns", "[import]") {
    import::options o;
    o.query_column = "idx";
    o.gold_column = "answer";
    o.split_column = "part";
    o.grader = "routellm";
    o.benchmark = "gsm8k";
    const std::string table = "idx,prompt,answer,part,gpt-4,gpt-4_response,mixtral,mixtral_response\n"
                              "7,Eggs?,\"1,800\",train,1.0,1800,0.0,18\n";
    const auto r = import_one("gsm.txt", table, [&] {
        auto with_format = o;
        with_format.format = "wide-csv";
        return with_format;
    }());
    REQUIRE(r.study.models.size() == 2);
    CHECK(r.study.models[1].id == "mixtral");
    CHECK(r.study.queries[0].gold == "1,800");
    CHECK(r.study.queries[0].split == split_side::train);
    CHECK(r.study.benchmarks[0].id == "gsm8k");
    CHECK(r.study.generations.text[1] == "18");
    CHECK(r.study.grades.graders[0] == "source:routellm");
}

TEST_CASE("import wide-csv: a repeated id with another prompt is another query, one file per model joins", "[import]") {
    const std::string first = "sample_id,prompt,eval_name,a\nx,P1,b,1\nx,P2,b,0\n";
    const std::string second = "sample_id,prompt,eval_name,c\nx,P1,b,0\nx,P2,b,1\n";
    const auto r = import::import_sources({{"a.csv", first}, {"c.csv", second}}, {});
    REQUIRE(r.study.queries.size() == 2);
    CHECK(r.study.queries[0].id == "x");
    CHECK(r.study.queries[1].id == "x#2");
    CHECK(r.renamed_queries == 1);
    REQUIRE(r.study.generations.size() == 4);
    // c's answer to P2 joins the query named x#2, not x.
    CHECK(r.study.generations.id[3] == "x#2.c");
    CHECK(r.study.generations.query[3] == 1);
}

TEST_CASE("import wide-csv: errors name the file, line and field", "[import][bad_input]") {
    check_input_error([] { import_one("t.csv", "sample_id,prompt,eval_name,m\nq,\"multi\nline\",b,1\nq2,p,b,yes\n"); },
                      "t.csv", 4, "m", "must be a number or empty");
    check_input_error([] { import_one("t.csv", "sample_id,eval_name,m,m|total_cost\nq,b,1,-2\n"); }, "t.csv", 2,
                      "m|total_cost", "non-negative");
    check_input_error([] { import_one("t.csv", "sample_id,eval_name,m\nq,b,1,9\n"); }, "t.csv", 2, "", "header has 3");
    check_input_error([] { import_one("t.csv", "sample_id,eval_name,m,z|model_response\nq,b,1,t\n"); }, "t.csv", 1,
                      "z|model_response", "no score column");
    check_input_error([] { import_one("t.csv", "sample_id,eval_name\nq,b\n"); }, "t.csv", 1, "", "no model score column");
}

TEST_CASE("import: an unrecognised source lists the formats and what was seen", "[import][bad_input]") {
    check_input_error([] { import_one("notes.txt", "hello world\n"); }, "notes.txt", 0, "format", "wide-csv");
    check_input_error([] { import_one("notes.txt", "hello world\n"); }, "notes.txt", 0, "format", "'hello world'");
    import::options o;
    o.format = "nope";
    check_input_error([] { import_one("a.csv", "x\n", [] { import::options n; n.format = "nope"; return n; }()); },
                      "a.csv", 0, "format", "unknown format 'nope'");
}

// RouterBench subset: per model, accuracy over present outcomes and missing counts, as
// this test's own reading of the CSV gives them; train/test files become the split.
TEST_CASE("import wide-csv: the RouterBench subset agrees with the CSV", "[import][fixtures]") {
    const std::vector<fs::path> paths = routerbench_fixture_files();
    if (paths.empty()) return;
    REQUIRE(paths.size() == 6);
    std::vector<std::string> contents;
    contents.reserve(paths.size());
    std::vector<import::source_file> files;
    struct tally {
        double sum = 0;
        std::size_t present = 0, missing = 0;
    };
    std::map<std::string, tally> expected;
    std::size_t train_rows = 0, test_rows = 0;
    for (const auto& path : paths) {
        contents.push_back(read_file(path));
        files.push_back({path.string(), contents.back()});
        const auto rows = csv_rows(contents.back());
        const auto& header = rows[0];
        const std::string name = path.filename().string();
        (contains(name, "train") ? train_rows : test_rows) += rows.size() - 1;
        for (std::size_t c = 0; c < header.size(); ++c) {
            const std::string& h = header[c];
            if (h.empty() || h == "sample_id" || h == "prompt" || h == "eval_name" || h == "oracle_model_to_route_to" ||
                contains(h, "|"))
                continue;
            for (std::size_t row = 1; row < rows.size(); ++row) {
                REQUIRE(rows[row].size() == header.size());
                auto& t_ = expected[h];
                if (rows[row][c].empty()) ++t_.missing;
                else ++t_.present, t_.sum += std::stod(rows[row][c]);
            }
        }
    }
    const auto r = import::import_sources(files, {});
    const study& s = r.study;
    REQUIRE(s.models.size() == 11);
    REQUIRE(expected.size() == 11);
    CHECK(s.queries.size() == train_rows + test_rows);
    std::size_t train = 0, test = 0;
    for (const auto& q : s.queries) (q.split == split_side::train ? train : test) += 1;
    CHECK(train == train_rows);
    CHECK(test == test_rows);
    std::map<std::string, tally> got;
    for (std::size_t i = 0; i < s.grades.size(); ++i) {
        auto& t_ = got[s.models[s.generations.model[s.grades.generation[i]]].id];
        if (s.grades.status[i] == grade_status::missing) ++t_.missing;
        else ++t_.present, t_.sum += s.grades.score[i];
    }
    std::size_t missing = 0;
    for (const auto& [model, want] : expected) {
        INFO(model);
        REQUIRE(got.count(model) == 1);
        CHECK(got[model].missing == want.missing);
        CHECK(got[model].present == want.present);
        CHECK(got[model].sum / got[model].present == Approx(want.sum / want.present).epsilon(1e-12));
        missing += want.missing;
    }
    CHECK(missing > 0);  // the subset has empty cells: they must come through as missing
    // Every repeated sample_id was told apart, so each CSV row is one query.
    std::set<std::string> ids;
    for (const auto& q : s.queries) ids.insert(q.id);
    CHECK(ids.size() == s.queries.size());
    CHECK(r.renamed_queries > 0);
}
