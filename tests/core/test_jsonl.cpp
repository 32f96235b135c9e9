// jsonl.h: bounded JSON parsing, UTF-8 validation, typed record access and JSON Lines
// reading (from memory and from files), with every error naming file, line and field.
#include "core/base/jsonl.h"

#include "test_support.h"

#include <chrono>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

using headroom::input_error;
using headroom::json_limits;
using headroom::parse_json_bounded;
using headroom::read_jsonl;
using headroom::read_jsonl_text;
using headroom::record;
using namespace headroom::test;
using json = headroom::json_value;  // what the reader builds: keys in file order

namespace {

// Collects the records of a JSONL text (as compact JSON, with their line numbers).
std::vector<std::pair<std::size_t, std::string>> lines_of(std::string_view text, const json_limits& limits = {}) {
    std::vector<std::pair<std::size_t, std::string>> out;
    read_jsonl_text(text, "mem.jsonl", [&](const record& r) { out.emplace_back(r.line(), r.str("k")); }, limits);
    return out;
}

} // namespace

TEST_CASE("jsonl: find_invalid_utf8 accepts UTF-8 and finds the first bad byte", "[jsonl]") {
    using headroom::find_invalid_utf8;
    CHECK(!find_invalid_utf8("").has_value());
    CHECK(!find_invalid_utf8("plain ASCII {}[]").has_value());
    CHECK(!find_invalid_utf8("caf\xC3\xA9 \xE2\x98\x83 \xF0\x9F\x98\x80 \xF4\x8F\xBF\xBF").has_value());  // é ☃ 😀 U+10FFFF
    CHECK(!find_invalid_utf8("\xEF\xBB\xBF{}").has_value());  // a BOM is valid UTF-8
    CHECK(find_invalid_utf8("ab\x80") == 2u);                  // lone continuation byte
    CHECK(find_invalid_utf8("a\xC0\x80") == 1u);               // overlong NUL
    CHECK(find_invalid_utf8("\xC1\xBF") == 0u);                // overlong
    CHECK(find_invalid_utf8("xy\xE0\x80\x80") == 2u);          // overlong 3-byte
    CHECK(find_invalid_utf8("\xF0\x80\x80\x80") == 0u);        // overlong 4-byte
    CHECK(find_invalid_utf8("\xED\xA0\x80") == 0u);            // UTF-16 surrogate
    CHECK(find_invalid_utf8("\xF4\x90\x80\x80") == 0u);        // past U+10FFFF
    CHECK(find_invalid_utf8("\xF5\x80\x80\x80") == 0u);
    CHECK(find_invalid_utf8("ok \xE2\x98") == 3u);             // sequence cut by the end
    CHECK(find_invalid_utf8("\xE2\x28\xA1") == 0u);            // bad continuation
    CHECK(find_invalid_utf8("\xFF") == 0u);
    CHECK(find_invalid_utf8("\xFE\xFF") == 0u);
}

TEST_CASE("jsonl: parse_json_bounded enforces the depth limit without recursing", "[jsonl]") {
    auto nested = [](int depth, char open, const char* inner, char close) {
        std::string s;
        for (int i = 0; i < depth; ++i) s += open == '{' ? std::string("{\"k\":") : std::string(1, open);
        s += inner;
        s.append(static_cast<std::size_t>(depth), close);
        return s;
    };
    CHECK(parse_json_bounded(nested(32, '[', "1", ']'), "f", 1).is_array());
    CHECK(parse_json_bounded(nested(32, '{', "1", '}'), "f", 1).is_object());
    check_input_error([&] { parse_json_bounded(nested(33, '[', "1", ']'), "f.jsonl", 7); }, "f.jsonl", 7, "",
                      "nested deeper than 32");
    // Inside an object the error names the field whose value went too deep.
    check_input_error([&] { parse_json_bounded(nested(33, '{', "1", '}'), "f.jsonl", 7); }, "f.jsonl", 7, "k",
                      "nested deeper than 32");
    json_limits shallow;
    shallow.max_depth = 2;
    CHECK_NOTHROW(parse_json_bounded(R"({"a":[1]})", "f", 1, shallow));
    CHECK(input_error_of([&] { parse_json_bounded(R"({"a":[[1]]})", "f", 1, shallow); }).has_value());
    // A million levels (1 MB of '[' and no closing brackets): refused, and neither the
    // parser nor the destructor of the partial value recurses.
    const std::string deep(1'000'000, '[');
    check_input_error([&] { parse_json_bounded(deep, "deep.jsonl", 1); }, "deep.jsonl", 1, "", "nested deeper");
    const std::string deep_closed = nested(1'000'000, '[', "0", ']');
    check_input_error([&] { parse_json_bounded(deep_closed, "deep.jsonl", 2); }, "deep.jsonl", 2, "", "nested deeper");
}

TEST_CASE("jsonl: parse_json_bounded enforces the size limit and reports syntax errors", "[jsonl]") {
    json_limits small;
    small.max_line_bytes = 10;
    CHECK_NOTHROW(parse_json_bounded(R"({"a":123})", "f", 1, small));        // 9 bytes
    CHECK_NOTHROW(parse_json_bounded(R"({"a":1234})", "f", 1, small));       // exactly 10
    check_input_error([&] { parse_json_bounded(R"({"a":12345})", "big.jsonl", 4, small); }, "big.jsonl", 4, "",
                      "over the limit of 10");
    check_input_error([&] { parse_json_bounded(R"({"a":1,})", "s.jsonl", 9); }, "s.jsonl", 9, "", "not valid JSON");
    check_input_error([&] { parse_json_bounded("", "s.jsonl", 9); }, "s.jsonl", 9, "", "not valid JSON");
    check_input_error([&] { parse_json_bounded(R"({"a":1} {"b":2})", "s.jsonl", 9); }, "s.jsonl", 9, "",
                      "not valid JSON");
    check_input_error([&] { parse_json_bounded("{\"a\":\"\xFF\"}", "u.jsonl", 3); }, "u.jsonl", 3, "a",
                      "invalid UTF-8");
}

TEST_CASE("jsonl: a syntax error in a multi-line JSON text names its own line", "[jsonl]") {
    // study.json is pretty-printed over many lines and parsed as one text starting at
    // line 1; the error below is on line 4 of the text, inside the value of "simulated".
    const std::string text = "{\n  \"schema_version\": 1,\n  \"name\": \"x\",\n  \"simulated\": tru\n}\n";
    check_input_error([&] { parse_json_bounded(text, "study.json", 1); }, "study.json", 4, "simulated",
                      "not valid JSON");
}

TEST_CASE("jsonl: a number that does not fit, or NaN, names its field", "[jsonl]") {
    check_input_error([] { parse_json_bounded(R"({"id":"g1","latency_ms":1e999})", "generations.jsonl", 5); },
                      "generations.jsonl", 5, "latency_ms", "");
    check_input_error([] { parse_json_bounded(R"({"id":"g1","latency_ms":NaN})", "generations.jsonl", 6); },
                      "generations.jsonl", 6, "latency_ms", "");
    check_input_error([] { parse_json_bounded("{\"id\":\"g1\",\"text\":\"caf\xC3\"}", "generations.jsonl", 7); },
                      "generations.jsonl", 7, "text", "UTF-8");
}

TEST_CASE("jsonl: a key repeated in one object is refused, naming the key", "[jsonl]") {
    check_input_error([] { parse_json_bounded(R"({"id":"g1","score":1,"score":0})", "grades.jsonl", 3); },
                      "grades.jsonl", 3, "score", "twice");
    // Nested objects have keys of their own: the same key at two levels is fine.
    const json ok = parse_json_bounded(R"({"a":{"a":1,"b":{"a":2}},"b":[{"a":1},{"a":2}]})", "x.json", 1);
    CHECK(ok["a"]["b"]["a"] == 2);
    check_input_error([] { parse_json_bounded(R"({"p":[{"k":1,"k":2}]})", "study.json", 1); }, "study.json", 1, "k",
                      "twice");
}

TEST_CASE("jsonl: record gives typed, validated access to fields", "[jsonl]") {
    const std::string file = "t.jsonl";
    const json v = json::parse(R"({"s":"text","n":2.5,"i":7,"neg":-3,"big":18446744073709551615,"f":1.5,
        "b":true,"arr":["x","y"],"mixed":["x",1],"obj":{"a":[1,2],"z":1},"nul":null,"e":""})");
    const record r(v, file, 12);
    CHECK(r.line() == 12);
    CHECK(r.file() == file);
    CHECK(r.str("s") == "text");
    CHECK(r.str_or("absent", "fallback") == "fallback");
    CHECK(r.str_or("nul", "fallback") == "fallback");  // null counts as absent
    CHECK(r.str_or("e", "fallback") == "");
    CHECK(r.number("n") == 2.5);
    CHECK(r.number("i") == 7.0);
    CHECK(r.number_opt("absent") == std::nullopt);
    CHECK(r.number_opt("n") == 2.5);
    CHECK(r.integer("i") == 7u);
    CHECK(r.integer("big", std::numeric_limits<std::uint64_t>::max()) == std::numeric_limits<std::uint64_t>::max());
    CHECK(r.signed_integer("neg", -10, 10) == -3);
    CHECK(r.boolean_or("b", false));
    CHECK(r.boolean_or("absent", true));
    CHECK(r.strings("arr") == std::vector<std::string>{"x", "y"});
    CHECK(r.strings("absent").empty());
    CHECK(r.compact_json_or_empty("obj") == R"({"a":[1,2],"z":1})");
    CHECK(r.compact_json_or_empty("absent") == "");
    CHECK(r.has("s"));
    CHECK(!r.has("nul"));
    CHECK(!r.has("absent"));

    check_input_error([&] { r.str("absent"); }, file, 12, "absent", "is missing");
    check_input_error([&] { r.str("nul"); }, file, 12, "nul", "is missing");
    check_input_error([&] { r.str("n"); }, file, 12, "n", "must be a string, not number");
    check_input_error([&] { r.number("s"); }, file, 12, "s", "must be a number, not string");
    check_input_error([&] { r.integer("s"); }, file, 12, "s", "must be a whole number, not string");
    check_input_error([&] { r.integer("f"); }, file, 12, "f", "not a fraction");
    check_input_error([&] { r.integer("neg"); }, file, 12, "neg", "must not be negative");
    check_input_error([&] { r.integer("i", 6); }, file, 12, "i", "at most 6");
    check_input_error([&] { r.integer("big"); }, file, 12, "big", "at most 4294967295");
    check_input_error([&] { r.signed_integer("neg", 0, 10); }, file, 12, "neg", "between 0 and 10");
    check_input_error([&] { r.signed_integer("big", 0, 10); }, file, 12, "big", "at most 10");
    check_input_error([&] { r.signed_integer("f", 0, 10); }, file, 12, "f", "whole number");
    check_input_error([&] { r.boolean_or("s", false); }, file, 12, "s", "true or false");
    check_input_error([&] { r.strings("s"); }, file, 12, "s", "array of strings");
    check_input_error([&] { r.strings("mixed"); }, file, 12, "mixed", "item 1 must be a string");
    // The first field outside the schema, in the order the line wrote them.
    check_input_error([&] { r.allow_only({"s", "n"}); }, file, 12, "i", "not part of the schema");
    CHECK_NOTHROW(r.allow_only({"s", "n", "i", "neg", "big", "f", "b", "arr", "mixed", "obj", "nul", "e"}));
    check_input_error([&] { r.fail("x", "custom"); }, file, 12, "x", "custom");

    const json not_object = json::parse("[1,2]");
    check_input_error([&] { record bad(not_object, file, 3); }, file, 3, "", "must be a JSON object");
}

TEST_CASE("jsonl: read_jsonl_text numbers lines and accepts CRLF and a missing final newline", "[jsonl]") {
    CHECK(lines_of("").empty());
    const auto three = lines_of("{\"k\":\"a\"}\n{\"k\":\"b\"}\r\n{\"k\":\"c\"}");
    REQUIRE(three.size() == 3);
    CHECK(three[0] == std::make_pair(std::size_t{1}, std::string("a")));
    CHECK(three[1] == std::make_pair(std::size_t{2}, std::string("b")));
    CHECK(three[2] == std::make_pair(std::size_t{3}, std::string("c")));
    CHECK(lines_of("{\"k\":\"a\"}\n").size() == 1);
    CHECK(lines_of("  {\"k\":\"a\"}  \n").size() == 1);
}

TEST_CASE("jsonl: read_jsonl_text refuses blank lines, truncation and bad lines by line number", "[jsonl]") {
    auto read = [](std::string_view text) { return [text] { lines_of(text); }; };
    check_input_error(read("{\"k\":\"a\"}\n\n{\"k\":\"b\"}\n"), "mem.jsonl", 2, "", "blank line");
    check_input_error(read("{\"k\":\"a\"}\n   \t\n"), "mem.jsonl", 2, "", "blank line");
    check_input_error(read("{\"k\":\"a\"}\n\r\n"), "mem.jsonl", 2, "", "blank line");
    check_input_error(read("{\"k\":\"a\"}\n{\"k\":\"b\"}\n\n"), "mem.jsonl", 3, "", "blank line");
    check_input_error(read("{\"k\":\"a\"}\n{\"k\":\"b\",\"x\":[1,2"), "mem.jsonl", 2, "", "truncated last line");
    check_input_error(read("{\"k\":\"a\"}\n{\"k\":\"b\",\"x\":[1,2\n"), "mem.jsonl", 2, "", "not valid JSON");
    check_input_error(read("{\"k\":\"a\"}\n[1]\n"), "mem.jsonl", 2, "", "must be a JSON object");
    check_input_error(read("{\"k\":\"a\"}\n{\"k\":2}\n"), "mem.jsonl", 2, "k", "must be a string");
    json_limits limits;
    limits.max_line_bytes = 12;
    CHECK(lines_of("{\"k\":\"abc\"}\n", limits).size() == 1);  // 11 bytes
    check_input_error([&] { lines_of("{\"k\":\"a\"}\n{\"k\":\"abcdef\"}\n", limits); }, "mem.jsonl", 2, "", "limit of 12");
}

TEST_CASE("jsonl: read_jsonl reads files in chunks with the same rules", "[jsonl]") {
    temp_dir tmp;
    const auto path = tmp / "t.jsonl";
    std::vector<std::string> got;
    auto collect = [&](const json_limits& limits = {}) {
        got.clear();
        read_jsonl(path.string(), [&](const record& r) { got.push_back(r.str("k")); }, limits);
    };

    // A 3 MB line straddles the 1 MiB read chunks.
    const std::string long_value(3'000'000, 'v');
    write_file(path, "{\"k\":\"a\"}\n{\"k\":\"" + long_value + "\"}\r\n{\"k\":\"c\"}");
    collect();
    REQUIRE(got.size() == 3);
    CHECK(got[1] == long_value);
    CHECK(got[2] == "c");

    write_file(path, "{\"k\":\"a\"}\n\n");
    check_input_error([&] { collect(); }, "t.jsonl", 2, "", "blank line");
    write_file(path, "{\"k\":\"a\"}\n{\"k\":\"b\"");
    check_input_error([&] { collect(); }, "t.jsonl", 2, "", "truncated last line");
    write_file(path, "{\"k\":\"a\"}\n{\"k\":\"b\xFF\"}\n");
    check_input_error([&] { collect(); }, "t.jsonl", 2, "k", "invalid UTF-8");

    json_limits small;
    small.max_line_bytes = 64;
    write_file(path, "{\"k\":\"a\"}\n{\"k\":\"" + std::string(56, 'x') + "\"}\n{\"k\":\"" + std::string(57, 'x') + "\"}\n");
    check_input_error([&] { collect(small); }, "t.jsonl", 3, "", "longer than 64 bytes");  // line 2 is exactly 64

    check_input_error([&] { read_jsonl((tmp / "missing.jsonl").string(), [](const record&) {}); }, "missing.jsonl", 0,
                      "", "cannot open");
}

TEST_CASE("jsonl: a line nested a million deep is refused from a file", "[jsonl]") {
    temp_dir tmp;
    const auto path = tmp / "deep.jsonl";
    write_file(path, "{\"k\":\"a\"}\n{\"k\":" + std::string(1'000'000, '[') + std::string(1'000'000, ']') + "}\n");
    check_input_error([&] { read_jsonl(path.string(), [](const record&) {}); }, "deep.jsonl", 2, "", "nested deeper");
}

TEST_CASE("jsonl: a ~1 GB line is refused quickly, without reading it whole", "[jsonl][large]") {
    // A valid first line, then one record of 1 GiB: 80 MiB written in 1 MiB chunks (past
    // the default 64 MiB limit) and the rest a sparse extension of the file. The reader
    // must stop once the line passes the limit: holding the line would need 1 GiB.
    temp_dir tmp;
    const auto path = tmp / "huge.jsonl";
    {
        std::ofstream out(path, std::ios::binary);
        out << "{\"k\":\"a\"}\n{\"k\":\"";
        const std::string chunk(1 << 20, 'x');
        for (int i = 0; i < 80; ++i) out.write(chunk.data(), static_cast<std::streamsize>(chunk.size()));
        REQUIRE(out.good());
    }
    fs::resize_file(path, std::uint64_t{1} << 30);
    REQUIRE(fs::file_size(path) == std::uint64_t{1} << 30);

    int records = 0;
    const auto start = std::chrono::steady_clock::now();
    const auto e = input_error_of([&] { read_jsonl(path.string(), [&](const record&) { ++records; }); });
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    REQUIRE(e.has_value());
    CHECK(records == 1);
    CHECK(e->line() == 2);
    CHECK(contains(e->message(), "longer than 67108864 bytes"));
    CHECK(seconds < 5.0);  // typically well under a second: only the first 64 MiB are read

    // With a small limit the same file is refused after the first chunk.
    json_limits small;
    small.max_line_bytes = 4096;
    const auto start_small = std::chrono::steady_clock::now();
    check_input_error([&] { read_jsonl(path.string(), [](const record&) {}, small); }, "huge.jsonl", 2, "",
                      "longer than 4096 bytes");
    CHECK(std::chrono::duration<double>(std::chrono::steady_clock::now() - start_small).count() < 1.0);
}
