// validate.h through the JSON Lines loader: the rules a pack is held to (test_pack.cpp)
// hold for a study directory too, with the table's file and line; content_filter, the
// finish reason a provider's filter gives, is kept apart from stop.
#include "core/io/study_io.h"
#include "core/io/validate.h"

#include "test_support.h"

using namespace headroom;
using namespace headroom::test;

TEST_CASE("validate: grade scores off their grader's scale are refused with file and line", "[validate][bad_input]") {
    temp_dir dir;
    const std::string root = copy_fixture(dir, "tiny");
    const fs::path grades = fs::path(root) / grades_file;
    write_file(grades, read_file(grades) +
                           R"({"generation":"q1.small.b16","grader":"strict","status":"ok","score":-5})" "\n");
    check_input_error([&] { load_study_dir(root); }, "grades.jsonl", 2, "score", "between 0 and 1");
    replace_once(grades, "\"score\":-5", "\"score\":1e300");
    check_input_error([&] { load_study_dir(root); }, "grades.jsonl", 2, "score", "between 0 and 1");
    replace_once(grades, "\"score\":1e300", "\"score\":1");
    CHECK(load_study_dir(root).grades.size() == 2);
    // A judge without its replies at hand is held to the widest scale, 0 to 10.
    replace_once(grades, "\"score\":2,", "\"score\":12,");
    check_input_error([&] { load_study_dir(root); }, "grades.jsonl", 1, "score", "between 0 and 10");
}

TEST_CASE("validate: a repeated key in a table line is refused", "[validate][bad_input]") {
    temp_dir dir;
    const std::string root = copy_fixture(dir, "tiny");
    const fs::path generations = fs::path(root) / generations_file;
    const std::size_t line = line_of(generations, "\"id\":\"q1.small.b64\"");
    replace_once(generations, "\"id\":\"q1.small.b64\",", "\"id\":\"q1.small.b64\",\"budget\":1,");
    check_input_error([&] { load_study_dir(root); }, "generations.jsonl", line, "budget", "twice");
}

TEST_CASE("validate: content_filter is a finish reason of its own, through JSONL and back", "[validate]") {
    temp_dir dir;
    const std::string root = copy_fixture(dir, "tiny");
    const fs::path generations = fs::path(root) / generations_file;
    const std::size_t line = line_of(generations, "\"id\":\"q1.small.b64\"");
    replace_once(generations, "112.5}", "112.5,\"finish\":\"content_filter\"}");
    check_input_error([&] { load_study_dir(root); }, "generations.jsonl", line, "finish", "twice");
    replace_once(generations, ",\"finish\":\"content_filter\"}", "}");
    std::string text = read_file(generations);
    const auto at = text.find("\"finish\":\"stop\"", text.find("\"id\":\"q1.small.b64\""));
    text.replace(at, 15, "\"finish\":\"content_filter\"");
    write_file(generations, text);
    const study s = load_study_dir(root);
    CHECK(s.generations.finish[line - 1] == finish_reason::content_filter);
    CHECK(to_string(finish_reason::content_filter) == "content_filter");
    CHECK(parse_finish_reason("content_filter") == finish_reason::content_filter);
    CHECK(!parse_finish_reason("filtered"));
    write_study_dir(s, (dir / "out").string());
    CHECK(load_study_dir((dir / "out").string()).generations.finish[line - 1] == finish_reason::content_filter);
}

TEST_CASE("validate: the grader names a grade may carry", "[validate]") {
    for (const char* name : {"strict", "lenient", "exec:strict", "exec:lenient", "judge:a"}) CHECK(valid_grader_name(name));
    for (const char* name : {"exec", "judge:", "Strict", ""}) CHECK(!valid_grader_name(name));
}
