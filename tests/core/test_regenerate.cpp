// sim/regenerate.h: a study packed without texts gets back, query by query, exactly the
// texts and judge replies the simulator wrote; a study it did not write is refused.
#include "core/sim/regenerate.h"

#include "core/io/pack.h"

#include "test_support.h"

#include <set>
#include <stdexcept>
#include <vector>

using namespace headroom;
using namespace headroom::test;

namespace {

study without_texts(const study& s) {
    const auto bytes = pack_study(s, pack_options{false});
    return unpack_study(bytes, "no-texts.pack");
}

} // namespace

TEST_CASE("regenerate: every text and reply of a packed-without-texts study comes back byte for byte",
          "[regenerate][simulate]") {
    // Two budgets (some answers cut) and two judges; p1's pool for samples at temperature 0.7.
    for (const char* pool : {"p2-artifacts", "p1-routing"}) {
        INFO(pool);
        const study written = sim::simulate(sim::pool_by_name(pool, 5, 0.002));
        const study packed = without_texts(written);
        REQUIRE(packed.info.texts_omitted);
        const sim::text_regenerator regenerator(packed);
        std::size_t generations = 0, replies = 0, cut = 0;
        for (std::uint32_t q = 0; q < packed.queries.size(); ++q) {
            const sim::query_texts texts = regenerator.regenerate(q);
            CHECK(texts.query == q);
            for (std::size_t i = 0; i < texts.generations.size(); ++i) {
                const std::uint32_t gen = texts.generations[i];
                CHECK(packed.generations.query[gen] == q);
                CHECK(texts.texts[i] == written.generations.text[gen]);
                cut += written.generations.finish[gen] == finish_reason::length;
            }
            for (std::size_t i = 0; i < texts.judgments.size(); ++i)
                CHECK(texts.replies[i] == written.judgments.reply[texts.judgments[i]]);
            generations += texts.generations.size();
            replies += texts.judgments.size();
        }
        CHECK(generations == written.generations.size());
        CHECK(replies == written.judgments.size());
        if (std::string(pool) == "p2-artifacts") CHECK(cut > 0);
    }
}

TEST_CASE("regenerate: a study the simulator did not write is refused, in words", "[regenerate][simulate]") {
    const study written = sim::simulate(sim::pool_by_name("p2-artifacts", 5, 0.002));
    SECTION("another knob") {
        study changed = without_texts(written);
        const auto at = changed.info.provenance.find("\"discrimination\":");
        REQUIRE(at != std::string::npos);
        changed.info.provenance.insert(at + 17, "9");  // 1.7 becomes 91.7
        CHECK_THROWS_WITH(sim::text_regenerator(changed), Catch::Contains("'discrimination'"));
    }
    SECTION("not simulated") {
        study changed = without_texts(written);
        changed.info.simulated = false;
        CHECK_THROWS_AS(sim::text_regenerator(changed), std::invalid_argument);
    }
    SECTION("another query") {
        study changed = without_texts(written);
        changed.queries[3].text += " (edited)";
        CHECK_THROWS_WITH(sim::text_regenerator(changed), Catch::Contains(changed.queries[3].id));
    }
    SECTION("an answer of another length") {
        study changed = without_texts(written);
        changed.generations.output_tokens[0] += 1;
        const sim::text_regenerator regenerator(changed);
        CHECK_THROWS_AS(regenerator.regenerate(changed.generations.query[0]), std::runtime_error);
        CHECK_NOTHROW(regenerator.regenerate(changed.generations.query.back()));
    }
}

TEST_CASE("regenerate: the shipped studies packed without texts get their texts back", "[regenerate][precomputed]") {
    for (const char* name : {"p1-routing", "p2-artifacts"}) {
        INFO(name);
        const auto bytes = read_bytes(fs::path(source_root()) / "precomputed" / name / "study.pack");
        const study shipped = unpack_study(bytes, name);
        REQUIRE(shipped.info.texts_omitted);
        const sim::text_regenerator regenerator(shipped);
        // Every 50th query and the last: every benchmark, drawn here (natively or in
        // WebAssembly) against the token counts the native regeneration wrote.
        std::vector<std::uint32_t> rows;
        for (std::uint32_t q = 0; q < shipped.queries.size(); q += 50) rows.push_back(q);
        rows.push_back(static_cast<std::uint32_t>(shipped.queries.size() - 1));
        std::set<std::uint32_t> benchmarks;
        for (const std::uint32_t q : rows) {
            const sim::query_texts texts = regenerator.regenerate(q);
            CHECK(!texts.generations.empty());
            for (const std::string& text : texts.texts) CHECK(!text.empty());
            benchmarks.insert(shipped.queries[q].benchmark);
        }
        CHECK(benchmarks.size() == shipped.benchmarks.size());
    }
}
