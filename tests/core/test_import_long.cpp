// The long-table importer (core/io/import): one row per (query, model) as CSV or JSON
// Lines, columns found by option or common spelling, one file per model joined up,
// missing scores, costs, samples; and errors that name the file, line and column.
#include "core/io/import/import.h"

#include "test_support.h"

using namespace headroom;
using namespace headroom::test;

namespace {

import::result import_texts(const std::vector<std::pair<std::string, std::string>>& named, const import::options& o = {}) {
    std::vector<import::source_file> files;
    for (const auto& [path, bytes] : named) files.push_back({path, bytes});
    return import::import_sources(files, o);
}

// model -> (sum of scores, present, missing)
std::map<std::string, std::tuple<double, int, int>> tally(const study& s) {
    std::map<std::string, std::tuple<double, int, int>> out;
    for (std::size_t i = 0; i < s.grades.size(); ++i) {
        auto& [sum, present, missing] = out[s.models[s.generations.model[s.grades.generation[i]]].id];
        if (s.grades.status[i] == grade_status::missing) ++missing;
        else sum += s.grades.score[i], ++present;
    }
    return out;
}

} // namespace

TEST_CASE("import long: CSV and JSONL rows, one file per model, joined by query", "[import]") {
    const std::string csv = "query_id,task,question,model_name,correct,cost,response\n"
                            "1,gsm8k,\"Two, plus two?\",small,1,0.001,4\n"
                            "2,gsm8k,Three?,small,,0.002,\n"
                            "1,mmlu,Capital?,small,0,,B\n";
    const std::string jsonl = R"({"query_id": 1, "task": "gsm8k", "question": "Two, plus two?", "model_name": "big", "correct": true, "cost": 0.01})" "\n"
                              R"({"query_id": 2, "task": "gsm8k", "question": "Three?", "model_name": "big", "correct": 0.5})" "\n"
                              R"({"query_id": 1, "task": "mmlu", "model_name": "big", "correct": null})" "\n";
    const auto r = import_texts({{"small.csv", csv}, {"big.jsonl", jsonl}});
    CHECK(r.formats_used == std::vector<std::string>{"long", "long"});
    const study& s = r.study;
    CHECK(s.models.size() == 2);
    CHECK(s.benchmarks.size() == 2);
    REQUIRE(s.queries.size() == 3);  // "1" of gsm8k and of mmlu are two queries
    CHECK(s.queries[0].id == "1");
    CHECK(s.queries[2].id == "mmlu/1");
    CHECK(s.queries[0].text == "Two, plus two?");
    CHECK(s.generations.size() == 6);
    const auto t = tally(s);
    CHECK(t.at("small") == std::tuple<double, int, int>{1.0, 2, 1});
    CHECK(t.at("big") == std::tuple<double, int, int>{1.5, 2, 1});
    CHECK(s.grades.graders == std::vector<std::string>{"source:long"});
    REQUIRE(s.generations.cost_usd.size() == 6);
    CHECK(s.generations.cost_usd[0] == 0.001);
    CHECK(s.generations.cost_usd[3] == 0.01);
    CHECK(std::isnan(s.generations.cost_usd[2]));
    CHECK(s.generations.text[0] == "4");
}

TEST_CASE("import long: named columns, samples, and a wide table is still wide", "[import]") {
    // Columns of other names are not detected as a long table: the format is named.
    import::options o;
    o.format = "long";
    o.query_column = "qid";
    o.model_column = "llm";
    o.score_column = "pass";
    o.split_column = "split";
    const std::string csv = "qid,llm,pass,sample,split\nq,a,1,0,train\nq,a,0,1,train\nq,b,1,0,train\n";
    const auto r = import_texts({{"t.csv", csv}}, o);
    CHECK(r.study.generations.size() == 3);
    CHECK(r.study.samples_per_pair() == 2);
    CHECK(r.study.queries[0].split == split_side::train);
    // RouterBench's wide header has no model and score columns: the wide reader keeps it.
    const auto wide = import_texts({{"w.csv", "sample_id,prompt,m1,m2\nq,P,1,0\n"}});
    CHECK(wide.formats_used == std::vector<std::string>{"wide-csv"});
}

TEST_CASE("import long: bad rows name the file, line and column", "[import][bad_input]") {
    const std::string head = "query_id,model,score,cost_usd,sample\n";
    check_input_error([&] { import_texts({{"a.csv", head + "1,m,yes,,\n"}}); }, "a.csv", 2, "score", "must be a number");
    check_input_error([&] { import_texts({{"b.csv", head + "1,m,1,-2,\n"}}); }, "b.csv", 2, "cost_usd", "non-negative");
    check_input_error([&] { import_texts({{"c.csv", head + "1,,1,,\n"}}); }, "c.csv", 2, "model", "must not be empty");
    check_input_error([&] { import_texts({{"d.csv", head + "1,m,1,,1.5\n"}}); }, "d.csv", 2, "sample", "whole number");
    check_input_error([&] { import_texts({{"e.csv", head + "1,m,1,,\n1,m,0,,\n"}}); }, "e.csv", 3, "sample", "already appear");
    check_input_error([&] { import_texts({{"f.jsonl", R"({"query_id": 1, "model": "m", "score": [1]})" "\n"}}); }, "f.jsonl", 1,
                      "score", "string, number");
    import::options o;
    o.format = "long";
    check_input_error([&] { import_texts({{"g.csv", "query_id,model\n1,m\n"}}, o); }, "g.csv", 1, "score", "no score column");
}
