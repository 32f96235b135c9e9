// pack.h: the binary study. Round trips are exact; every malformed pack (truncated,
// foreign, wrong version, absurd counts, corrupted bytes) is an input_error, never a
// crash or a read past the end.
#include "core/io/pack.h"

#include "core/grading/grade.h"
#include "core/io/study_io.h"
#include "core/sim/simulate.h"

#include "test_support.h"

#include <cmath>
#include <cstring>
#include <functional>

using namespace headroom;
using namespace headroom::test;

namespace {

study graded_fixture() {
    study s = load_study_dir(fixture("tiny"));
    grade_extractions(s);
    return s;
}

void put_u32(std::vector<std::uint8_t>& bytes, std::size_t at, std::uint32_t v) {
    for (int i = 0; i < 4; ++i) bytes[at + static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(v >> (8 * i));
}

// Offset of the benchmark count: magic, version, then the study's name, description,
// simulated flag, provenance and texts flag.
std::size_t benchmark_count_offset(const study& s) {
    return 8 + 4 + (4 + s.info.name.size()) + (4 + s.info.description.size()) + 1 + (4 + s.info.provenance.size()) + 1;
}

// The first grade of the strict extractor, whose scores are 0 or 1.
std::size_t strict_row(const study& s) {
    for (std::size_t i = 0; i < s.grades.size(); ++i)
        if (s.grades.graders[s.grades.grader[i]] == "strict") return i;
    FAIL("no strict grade");
    return 0;
}

} // namespace

TEST_CASE("pack: the header is HDRMPACK and the format version", "[pack]") {
    const auto bytes = pack_study(graded_fixture());
    REQUIRE(bytes.size() > 12);
    CHECK(std::memcmp(bytes.data(), "HDRMPACK", 8) == 0);
    CHECK(bytes[8] == 4);  // without embeddings, the version before them (test_embeddings.cpp)
    CHECK(bytes[9] == 0);
    CHECK(bytes[10] == 0);
    CHECK(bytes[11] == 0);
    // Little-endian length-prefixed name follows.
    CHECK(bytes[12] == 4);
    CHECK(std::string(bytes.begin() + 16, bytes.begin() + 20) == "tiny");
}

TEST_CASE("pack: pack_study then unpack_study gives the same study", "[pack][roundtrip]") {
    SECTION("the graded fixture") {
        const study s = graded_fixture();
        const study back = unpack_study(pack_study(s), "tiny.pack");
        CHECK(first_difference(s, back) == "");
        CHECK(pack_study(back) == pack_study(s));
    }
    SECTION("a simulated study, whose samples share texts across budgets") {
        sim::pool_config config = sim::skeleton_pool(4);
        for (auto& b : config.benchmarks) b.queries = 15;
        study s = sim::simulate(config);
        grade_extractions(s);
        const auto bytes = pack_study(s);
        const study back = unpack_study(bytes, "sim.pack");
        CHECK(first_difference(s, back) == "");
        // Texts are stored once: the pack is smaller than the texts of all generations.
        CHECK(bytes.size() < s.generations.text.chars().size() + 100 * s.generations.size());
    }
    SECTION("a simulated study whose benchmarks publish their splits") {
        const study s = sim::simulate(sim::p1_routing_pool(2, 0.002));
        REQUIRE(s.queries.back().split == split_side::test);
        const study back = unpack_study(pack_study(s), "p1.pack");
        CHECK(first_difference(s, back) == "");
    }
    SECTION("a simulated study with judge replies") {
        sim::pool_config config = sim::skeleton_pool(6);
        for (auto& b : config.benchmarks) b.queries = 6;
        config.judges = sim::p2_artifacts_pool(1, 0.01).judges;
        REQUIRE(config.judges.size() >= 2);
        study s = sim::simulate(config);
        REQUIRE(s.judgments.size() == s.generations.size() * config.judges.size());
        grade_extractions(s);
        grade_judgments(s);
        const study back = unpack_study(pack_study(s), "judged.pack");
        CHECK(first_difference(s, back) == "");
    }
    SECTION("without texts") {
        const study s = graded_fixture();
        pack_options options;
        options.texts = false;
        const auto small = pack_study(s, options);
        CHECK(small.size() < pack_study(s).size());
        const study back = unpack_study(small, "notext.pack");
        CHECK(back.info.texts_omitted);
        REQUIRE(back.generations.size() == s.generations.size());
        for (std::size_t i = 0; i < back.generations.size(); ++i) CHECK(back.generations.text[i].empty());
        // Everything else survives: blank the texts of the original and compare.
        study blanked = s;
        blanked.info.texts_omitted = true;
        blanked.generations.text = text_column();
        for (std::size_t i = 0; i < s.generations.size(); ++i) blanked.generations.text.push_back("");
        CHECK(first_difference(blanked, back) == "");
    }
    SECTION("an empty study") {
        study s;
        s.info.name = "empty";
        // Loaded and unpacked studies carry the schema version they need (1 here).
        s.info.schema_version = s.needed_schema_version();
        const study back = unpack_study(pack_study(s), "empty.pack");
        CHECK(first_difference(s, back) == "");
    }
}

TEST_CASE("pack: every truncation of a pack is refused", "[pack][bad_input]") {
    const auto bytes = pack_study(graded_fixture());
    for (std::size_t n = 0; n < bytes.size(); ++n) {
        const std::span<const std::uint8_t> cut(bytes.data(), n);
        const auto e = input_error_of([&] { unpack_study(cut, "cut.pack"); });
        INFO("pack cut to " << n << " of " << bytes.size() << " bytes");
        REQUIRE(e.has_value());
        REQUIRE(e->file() == "cut.pack");
        REQUIRE(e->line() == 0);
        REQUIRE(!e->field().empty());  // the section being read
    }
    check_input_error([&] { unpack_study(std::span<const std::uint8_t>(bytes.data(), bytes.size() - 1), "cut.pack"); },
                      "cut.pack", 0, "grades", "truncated pack");
    check_input_error([&] { unpack_study(std::span<const std::uint8_t>(bytes.data(), 30), "cut.pack"); }, "cut.pack",
                      0, "study", "truncated pack");
}

namespace {

// A version 3 pack is a version 4 one without each query's split byte, which follows
// its latent string. The split bytes' offsets, walking the tables before them.
std::vector<std::size_t> split_byte_offsets(const study& s) {
    const auto str = [](const std::string& text) { return 4 + text.size(); };
    std::size_t at = benchmark_count_offset(s) + 4;
    for (const auto& b : s.benchmarks) at += str(b.id) + 1 + str(b.mirrors) + str(b.description);
    at += 4;  // the query count
    std::vector<std::size_t> out;
    for (const auto& q : s.queries) {
        at += str(q.id) + 4 + str(q.subject) + str(q.text) + 4;
        for (const auto& o : q.options) at += str(o);
        at += str(q.gold) + str(q.tests) + str(q.latent);
        out.push_back(at);
        at += 1;
    }
    return out;
}

} // namespace

TEST_CASE("pack: a version 3 pack, from before published splits, reads with no splits", "[pack]") {
    const study s = sim::simulate(sim::p1_routing_pool(2, 0.002));
    REQUIRE(s.queries.back().split == split_side::test);
    auto bytes = pack_study(s);
    REQUIRE(bytes[8] == 4);
    const auto offsets = split_byte_offsets(s);
    for (std::size_t i = 0; i < offsets.size(); ++i)
        REQUIRE(bytes[offsets[i]] == static_cast<std::uint8_t>(s.queries[i].split));
    for (auto at = offsets.rbegin(); at != offsets.rend(); ++at) bytes.erase(bytes.begin() + static_cast<std::ptrdiff_t>(*at));
    put_u32(bytes, 8, 3);
    const study back = unpack_study(bytes, "v3.pack");
    study expected = s;
    for (auto& q : expected.queries) q.split = split_side::none;
    CHECK(first_difference(expected, back) == "");
    // Written again, it is a version 4 pack of the study without splits.
    CHECK(pack_study(back) == pack_study(expected));
}

TEST_CASE("pack: foreign files, other versions and trailing bytes are refused", "[pack][bad_input]") {
    auto bytes = pack_study(graded_fixture());
    {
        auto bad = bytes;
        bad[0] = 'X';
        check_input_error([&] { unpack_study(bad, "x.pack"); }, "x.pack", 0, "header", "does not start with HDRMPACK");
    }
    {
        const std::string zip = "PK\x03\x04 not a pack at all";
        const std::vector<std::uint8_t> z(zip.begin(), zip.end());
        check_input_error([&] { unpack_study(z, "study.zip"); }, "study.zip", 0, "header", "HDRMPACK");
        // Eight bytes of HDRMPACK is a pack cut short, not a foreign file.
        const std::vector<std::uint8_t> magic_only(bytes.begin(), bytes.begin() + 8);
        check_input_error([&] { unpack_study(magic_only, "m.pack"); }, "m.pack", 0, "header", "truncated pack (8 bytes");
    }
    {
        auto bad = bytes;
        const std::string next = std::to_string(pack_version + 1), current = std::to_string(pack_version);
        put_u32(bad, 8, pack_version + 1);
        check_input_error([&] { unpack_study(bad, "next.pack"); }, "next.pack", 0, "header",
                          "unsupported pack version " + next + " (this build reads 3 to " + current + ")");
        put_u32(bad, 8, 0);
        check_input_error([&] { unpack_study(bad, "v0.pack"); }, "v0.pack", 0, "header", "unsupported pack version 0");
    }
    {
        auto bad = bytes;
        bad.push_back(0);
        check_input_error([&] { unpack_study(bad, "t.pack"); }, "t.pack", 0, "grades", "unexpected bytes after the last table");
    }
}

TEST_CASE("pack: absurd counts and lengths are refused before allocating", "[pack][bad_input]") {
    const study s = graded_fixture();
    const auto bytes = pack_study(s);
    const std::size_t at = benchmark_count_offset(s);
    REQUIRE(bytes[at] == 2);  // two benchmarks
    {
        auto bad = bytes;
        put_u32(bad, at, 0xFFFFFFFFu);
        check_input_error([&] { unpack_study(bad, "h.pack"); }, "h.pack", 0, "benchmarks", "count 4294967295 exceeds the file");
    }
    {
        auto bad = bytes;
        put_u32(bad, 12, 0xFFFFFFF0u);  // the study name's length
        check_input_error([&] { unpack_study(bad, "h.pack"); }, "h.pack", 0, "study", "truncated pack");
    }
    {
        // The first benchmark id's length.
        auto bad = bytes;
        put_u32(bad, at + 4, 0x7FFFFFFFu);
        check_input_error([&] { unpack_study(bad, "h.pack"); }, "h.pack", 0, "benchmarks", "truncated pack");
    }
    {
        // A bad task kind byte: after the count, the id "quiz" (4 + 4 bytes).
        auto bad = bytes;
        bad[at + 4 + 8] = 9;
        check_input_error([&] { unpack_study(bad, "k.pack"); }, "k.pack", 0, "benchmarks", "bad task kind 9");
    }
}

TEST_CASE("pack: corrupting any byte gives a study or an input_error, never a crash", "[pack][bad_input]") {
    const auto bytes = pack_study(graded_fixture());
    std::size_t refused = 0, accepted = 0;
    for (std::size_t i = 0; i < bytes.size(); ++i) {
        for (std::uint8_t value : {std::uint8_t{0x00}, std::uint8_t{0xFF}, static_cast<std::uint8_t>(bytes[i] ^ 0x21)}) {
            if (value == bytes[i]) continue;
            auto bad = bytes;
            bad[i] = value;
            try {
                const study s = unpack_study(bad, "fuzz.pack");
                // Whatever was accepted must be internally consistent enough to index.
                for (std::size_t g = 0; g < s.generations.size(); ++g) {
                    REQUIRE(s.generations.query[g] < s.queries.size());
                    REQUIRE(s.generations.model[g] < s.models.size());
                }
                for (std::size_t r = 0; r < s.grades.size(); ++r) {
                    REQUIRE(s.grades.generation[r] < s.generations.size());
                    REQUIRE(s.grades.grader[r] < s.grades.graders.size());
                    REQUIRE(s.grades.rule[r] < s.grades.rules.size());
                }
                for (const auto& q : s.queries) REQUIRE(q.benchmark < s.benchmarks.size());
                ++accepted;
            } catch (const input_error&) {
                ++refused;
            }
        }
    }
    // Both outcomes occur: text bytes may change freely, structure bytes may not.
    CHECK(refused > 100);
    CHECK(accepted > 100);
}

TEST_CASE("pack: a pack with more models than a model index can hold is refused", "[pack][bad_input]") {
    // Regression test: the comment below describes the defect it caught, now fixed.
    // Model indices are 16-bit (generation_table::model, and the uint16_t loops of
    // compute_labels and the routers); load_study_dir refuses a 65536th model, but
    // unpack_study accepts one, after which compute_labels' `for (uint16_t m = 0;
    // m < s.models.size(); ++m)` never ends.
    study s;
    s.info.name = "many models";
    s.models.resize(65536);
    for (std::size_t i = 0; i < s.models.size(); ++i) s.models[i].id = "m" + std::to_string(i);
    const auto bytes = pack_study(s);
    check_input_error([&] { unpack_study(bytes, "many.pack"); }, "many.pack", 0, "models", "65535");
}

TEST_CASE("pack: canonical generation ids, the ids a pack does not store", "[pack]") {
    CHECK(canonical_generation_id("q1", "m-a", 1024, 0) == "q1.m-a.b1024.s0");
    CHECK(canonical_generation_id("math-word-00123", "sim-gale-xs", 0, 65535) == "math-word-00123.sim-gale-xs.b0.s65535");
    CHECK(canonical_generation_id("", "", 4294967295u, 7) == "..b4294967295.s7");
}

TEST_CASE("pack: what the JSONL loader refuses, a pack may not carry either", "[pack][bad_input]") {
    // Each case breaks one rule in a study that pack_study (which checks nothing) writes;
    // unpack_study must refuse it, naming the table's row and the field.
    const study good = graded_fixture();
    REQUIRE(good.generations.size() > 2);
    struct breakage {
        const char* what;
        std::function<void(study&)> apply;
        const char* field;
        const char* message;
    };
    const std::vector<breakage> cases = {
        {"a repeated (query, model, budget, sample)",
         [](study& s) { s.generations.sample[1] = s.generations.sample[0], s.generations.budget[1] = s.generations.budget[0],
                        s.generations.query[1] = s.generations.query[0], s.generations.model[1] = s.generations.model[0]; },
         "sample", "already appear as generation"},
        {"a NaN price", [](study& s) { s.models[0].price_input_per_mtok = std::nan(""); }, "price_input_per_mtok", "finite"},
        {"an infinite price", [](study& s) { s.models[0].price_output_per_mtok = HUGE_VAL; }, "price_output_per_mtok", "finite"},
        {"a negative price", [](study& s) { s.models[0].price_input_per_mtok = -1; }, "price_input_per_mtok", "negative"},
        {"a negative latency", [](study& s) { s.generations.latency_ms[0] = -3; }, "latency_ms", "negative"},
        {"score -5", [](study& s) { s.grades.score[strict_row(s)] = -5; }, "score", "between 0 and 1"},
        {"score 1e300 (inf as a float)", [](study& s) { s.grades.score[strict_row(s)] = HUGE_VALF; }, "score",
         "between 0 and 1"},
        {"a repeated query id", [](study& s) { s.queries[1].id = s.queries[0].id; }, "id", "duplicate id"},
    };
    for (const auto& c : cases) {
        INFO(c.what);
        study bad = good;
        c.apply(bad);
        check_input_error([&] { unpack_study(pack_study(bad), "bad.pack"); }, "bad.pack", 0, c.field, c.message);
    }
}

TEST_CASE("pack: a judge's score lies on its scale", "[pack][bad_input]") {
    study s = load_study_dir(fixture("tiny"));
    s.judgments.judges = {"j"};
    s.judgments.generation = {0};
    s.judgments.judge = {0};
    s.judgments.scale = {judge_scale::rubric};
    s.judgments.reply.push_back("[[2]]");
    s.grades.generation.push_back(0);
    s.grades.grader.push_back(s.grades.grader_index("judge:j"));
    s.grades.status.push_back(grade_status::ok);
    s.grades.score.push_back(2);
    s.grades.rule.push_back(s.grades.rule_index(""));
    s.grades.answer.push_back("");
    s.grades.detail.push_back("");
    CHECK(unpack_study(pack_study(s), "ok.pack").grades.score.back() == 2);
    s.grades.score.back() = 7;  // fine on the ten scale, not on the rubric the reply was asked on
    check_input_error([&] { unpack_study(pack_study(s), "j.pack"); }, "j.pack", 0, "score", "between 0 and 2");
    s.judgments.scale = {judge_scale::ten};
    CHECK(unpack_study(pack_study(s), "ten.pack").grades.score.back() == 7);
    s.grades.score.back() = 11;
    check_input_error([&] { unpack_study(pack_study(s), "j.pack"); }, "j.pack", 0, "score", "between 0 and 10");
}

TEST_CASE("pack: rows pointing at one long string share it in memory", "[pack][memory]") {
    // The red team's pack: 16,000 texts all naming one 100 kB string asked for 1.6 GB.
    study s = load_study_dir(fixture("tiny"));
    const std::string long_text(100'000, 'x');
    auto& g = s.generations;
    const std::size_t before = g.size();
    for (std::uint16_t k = 0; k < 16'000; ++k) {
        g.id.push_back("forged-" + std::to_string(k));
        g.query.push_back(0);
        g.model.push_back(0);
        g.budget.push_back(999'999);
        g.sample.push_back(k);
        g.finish.push_back(finish_reason::content_filter);
        g.input_tokens.push_back(1);
        g.output_tokens.push_back(1);
        g.latency_ms.push_back(1);
        // Shared when built too: a copy per row would not fit in WebAssembly's memory.
        if (k == 0) g.text.push_back(long_text);
        else g.text.repeat(before);
    }
    const auto bytes = pack_study(s);
    CHECK(bytes.size() < 1'000'000);
    const study back = unpack_study(bytes, "forged.pack");
    REQUIRE(back.generations.size() == before + 16'000);
    CHECK(back.generations.text.chars().size() < 2 * long_text.size());
    CHECK(back.generations.text[before + 15'999] == long_text);
    CHECK(back.generations.finish[before + 7] == finish_reason::content_filter);
}
