// The ledger: appends survive reopening, a torn last line is cut off, duplicates and
// corrupt middle lines are errors naming the line.
#include "sample/ledger.h"
#include "sample/units.h"
#include "support.h"

#include <catch2/catch.hpp>
#include <fstream>

using namespace headroom;
using namespace headroom::sample;

namespace {

json_value unit(const std::string& key, const std::string& status = "ok") {
    return {{"key", key}, {"status", status}, {"text", "answer " + key}, {"request", {{"messages", "long"}}}};
}

} // namespace

TEST_CASE("ledger: appended units are done after reopening, failed ones are not", "[ledger]") {
    test::scratch_dir dir("ledger");
    const std::string path = dir / "ledger.jsonl";
    {
        ledger l(path, 2);
        l.append(unit("a"));
        l.append(unit("b", "failed"));
        l.append(unit("c", "length"));
        CHECK(l.is_done("a"));
        CHECK_FALSE(l.is_done("b"));
    }  // the destructor syncs the last, partial batch
    ledger again(path);
    CHECK(again.done().size() == 2);
    CHECK(again.is_done("a"));
    CHECK(again.is_done("c"));
    CHECK_FALSE(again.is_done("b"));
    CHECK(again.torn_bytes() == 0);
    CHECK_FALSE(again.done().at("a").contains("request"));  // not kept in memory
    // A failed unit done later is fine, and the next open sees it done.
    again.append(unit("b"));
    again.sync();
    CHECK(ledger(path).is_done("b"));
}

TEST_CASE("ledger: a torn last line is detected, discarded and redone", "[ledger]") {
    test::scratch_dir dir("ledger-torn");
    const std::string path = dir / "ledger.jsonl";
    {
        ledger l(path, 1);
        l.append(unit("a"));
        l.append(unit("b"));
    }
    const std::string whole = test::read_file(path);
    const std::string torn_line = unit("c").dump();
    std::ofstream(path, std::ios::app) << torn_line.substr(0, torn_line.size() / 2);
    {
        ledger l(path);
        CHECK(l.torn_bytes() == torn_line.size() / 2);
        CHECK(l.done().size() == 2);
        CHECK_FALSE(l.is_done("c"));
        CHECK(test::read_file(path) == whole);  // cut back to the last whole line
        l.append(unit("c"));
    }
    ledger l(path);
    CHECK(l.torn_bytes() == 0);
    CHECK(l.is_done("c"));
    // Even a complete object without its newline counts as torn: it may be a prefix.
    std::ofstream(path, std::ios::app) << unit("d").dump();
    ledger l2(path);
    CHECK(l2.torn_bytes() > 0);
    CHECK_FALSE(l2.is_done("d"));
}

TEST_CASE("ledger: duplicate done keys and corrupt lines are errors naming the line", "[ledger][bad_input]") {
    test::scratch_dir dir("ledger-bad");
    const std::string path = dir / "ledger.jsonl";
    std::ofstream(path) << unit("a").dump() << "\n" << unit("b").dump() << "\n" << unit("a").dump() << "\n";
    try {
        ledger l(path);
        FAIL("no error");
    } catch (const input_error& e) {
        CHECK(e.line() == 3);
        CHECK(e.field() == "key");
        CHECK_THAT(e.what(), Catch::Contains("duplicate"));
    }
    std::ofstream(path) << unit("a").dump() << "\n{broken\n" << unit("b").dump() << "\n";
    try {
        ledger l(path);
        FAIL("no error");
    } catch (const input_error& e) {
        CHECK(e.line() == 2);
    }
    std::ofstream(path) << unit("a").dump() << "\n" << unit("a", "failed").dump() << "\n";
    CHECK_THROWS_AS(ledger(path), input_error);
    // The bad ledger is left exactly as it was: nothing already written is lost.
    CHECK(test::read_file(path) == unit("a").dump() + "\n" + unit("a", "failed").dump() + "\n");
}

TEST_CASE("unit keys: never the prompt text, distinct per field", "[ledger]") {
    const std::string k = unit_key("m", "http://e/v1", "abcd", "q1", 0);
    CHECK(k != unit_key("m", "http://e/v1", "abcd", "q2", 0));
    CHECK(k != unit_key("m", "http://e/v1", "abcd", "q1", 1));
    CHECK(k != unit_key("m", "http://e/v1", "abce", "q1", 0));
    CHECK(k != unit_key("m", "http://f/v1", "abcd", "q1", 0));
    CHECK(k != unit_key("n", "http://e/v1", "abcd", "q1", 0));
    // Separators inside ids cannot make two keys collide.
    CHECK(unit_key("a\",\"b", "e", "h", "q", 0) != unit_key("a", "b\",\"e", "h", "q", 0));
}

TEST_CASE("shards: parsed strictly, and together they hold every query once", "[shard]") {
    CHECK(parse_shard("0/1").count == 1);
    CHECK(parse_shard("3/4").index == 3);
    for (const char* bad : {"4/4", "1", "a/b", "-1/3", "1/0", "", "1/2/3", "01x/2"})
        CHECK_THROWS_AS(parse_shard(bad), std::invalid_argument);
    for (std::uint32_t n : {1u, 2u, 3u, 7u}) {
        for (std::size_t q = 0; q < 100; ++q) {
            int holders = 0;
            for (std::uint32_t i = 0; i < n; ++i) holders += shard{i, n}.holds(q);
            REQUIRE(holders == 1);
        }
    }
}
