// sim/simulate.h: the simulated pool is a pure function of its configuration. Same
// seed, same study, byte for byte; the exact texts of a few generations of the
// skeleton pool are pinned here, and so is the shipped precomputed/skeleton pack, so
// that an accidental change to the simulator (or to rng, det_math, tokens) is caught,
// natively and in WebAssembly.
//
// If the simulator is changed on purpose: run ci/regenerate, then update the golden
// texts below from the new precomputed study.
#include "core/sim/simulate.h"

#include "core/base/tokens.h"
#include "core/grading/extract.h"
#include "core/grading/grade.h"
#include "core/io/pack.h"
#include "core/io/study_io.h"
#include "core/sim/text.h"

#include "test_support.h"

#include <map>
#include <set>

using namespace headroom;
using namespace headroom::test;

namespace {

const study& skeleton_seed1() {
    static const study s = sim::simulate(sim::skeleton_pool(1));
    return s;
}

// Row of a generation in simulate()'s order: query, model, sample, budget.
std::size_t row_of(std::size_t query, std::size_t model, std::size_t sample, std::size_t budget_index) {
    return ((query * 4 + model) * 5 + sample) * 2 + budget_index;
}

sim::model_spec plain_model(const std::string& id, double ability) {
    sim::model_spec m;
    m.id = id;
    m.family = "plain";
    m.ability = ability;
    m.refusal_rate = 0;
    m.mcq_habits = {1, 0, 0, 0, 0};       // "Answer: X" only: strict reads every answer
    m.numeric_habits = {1, 0, 0, 0, 0};   // "The answer is N." only
    return m;
}

} // namespace

TEST_CASE("simulate: the skeleton pool has the documented shape", "[simulate]") {
    const study& s = skeleton_seed1();
    CHECK(s.info.name == "skeleton");
    CHECK(s.info.simulated);
    REQUIRE(s.benchmarks.size() == 2);
    CHECK(s.benchmarks[0].kind == task_kind::mcq);
    CHECK(s.benchmarks[1].kind == task_kind::numeric);
    CHECK(s.queries.size() == 400);
    CHECK(s.models.size() == 4);
    CHECK(s.generations.size() == 400 * 4 * 5 * 2);
    CHECK(s.grades.size() == 0);
    CHECK(s.budgets() == std::vector<std::uint32_t>{160, 1024});
    CHECK(s.samples_per_pair() == 5);
    const auto provenance = nlohmann::json::parse(s.info.provenance);
    CHECK(provenance["seed"] == 1);
    CHECK(provenance["samples"] == 5);
    CHECK(provenance["budgets"] == nlohmann::json::array({160, 1024}));

    // Every query is a valid study row: mcq gold among 4 options, numeric gold a number.
    for (const auto& q : s.queries) {
        INFO(q.id);
        if (s.benchmarks[q.benchmark].kind == task_kind::mcq) {
            CHECK(q.options.size() == 4);
            CHECK((q.gold.size() == 1 && q.gold[0] >= 'A' && q.gold[0] <= 'D'));
        } else {
            CHECK(q.options.empty());
            double v = 0;
            std::size_t used = 0;
            CHECK((parse_prose_number(q.gold, v, used) && used == q.gold.size()));
        }
    }
    // Each sample is written once and cut at each budget: the short text is the long one
    // truncated, finish says whether it was cut, token counts follow tokens.h.
    const auto& g = s.generations;
    std::size_t cut = 0;
    for (std::size_t i = 0; i < g.size(); i += 2) {
        INFO(g.id[i]);
        REQUIRE(g.budget[i] == 160);
        REQUIRE(g.budget[i + 1] == 1024);
        REQUIRE(g.query[i] == g.query[i + 1]);
        REQUIRE(g.sample[i] == g.sample[i + 1]);
        const std::string_view full = g.text[i + 1];
        REQUIRE(g.finish[i + 1] == finish_reason::stop);
        const std::uint32_t n = count_tokens(full);
        REQUIRE(g.output_tokens[i + 1] == n);
        REQUIRE(g.text[i] == truncate_to_tokens(full, 160));
        REQUIRE(g.output_tokens[i] == std::min<std::uint32_t>(n, 160));
        REQUIRE((g.finish[i] == finish_reason::length) == (n > 160));
        REQUIRE(g.input_tokens[i] == count_tokens(s.queries[g.query[i]].text) + 38);
        cut += n > 160;
    }
    // The short budget truncates a real but minor share of answers.
    CHECK(cut > 200);
    CHECK(cut < 4000);
}

TEST_CASE("simulate: same seed gives the same study byte for byte and another seed another", "[simulate]") {
    // The full skeleton twice, compared table by table and as packs.
    const study& a = skeleton_seed1();
    const study b = sim::simulate(sim::skeleton_pool(1));
    CHECK(first_difference(a, b) == "");
    CHECK(pack_study(a) == pack_study(b));

    // A smaller pool (fast in WebAssembly too) twice, compared as written JSONL files.
    sim::pool_config config = sim::skeleton_pool(1);
    for (auto& bench : config.benchmarks) bench.queries = 30;
    temp_dir tmp;
    write_study_dir(sim::simulate(config), (tmp / "a").string());
    write_study_dir(sim::simulate(config), (tmp / "b").string());
    for (const char* file : {study_file, benchmarks_file, queries_file, models_file, generations_file, grades_file}) {
        INFO(file);
        const std::string text = read_file(tmp / "a" / file);
        CHECK(text == read_file(tmp / "b" / file));
        if (std::string(file) == generations_file) CHECK(text.size() > 100000);
    }
    // The small pool's queries are the skeleton's first ones: queries are drawn per benchmark stream.
    const study small = load_study_dir((tmp / "a").string());
    CHECK(small.queries[0].text == a.queries[0].text);
    CHECK(small.queries[30].text == a.queries[200].text);

    const study other = sim::simulate(sim::skeleton_pool(2));
    CHECK(other.queries.size() == a.queries.size());
    std::size_t same_text = 0;
    for (std::size_t q = 0; q < a.queries.size(); ++q) same_text += a.queries[q].text == other.queries[q].text;
    CHECK(same_text < 40);
    CHECK(first_difference(a, other) != "");
}

TEST_CASE("simulate: golden queries of the skeleton pool (seed 1)", "[simulate][golden]") {
    const study& s = skeleton_seed1();
    const query& q0 = s.queries[0];
    CHECK(q0.id == "mcq-knowledge-00000");
    CHECK(q0.subject == "world history");
    CHECK(q0.text ==
          "A student of world history is asked which concept best explains a network of merchant towns around the "
          "Baltic. Which option is correct?\nA. Treaty of Westphalia\nB. Bretton Woods conference\nC. Meiji "
          "Restoration\nD. Silk Road");
    CHECK(q0.options ==
          std::vector<std::string>{"Treaty of Westphalia", "Bretton Woods conference", "Meiji Restoration", "Silk Road"});
    CHECK(q0.gold == "A");
    CHECK(q0.latent == R"({"difficulty":1.129090880445281})");
    const query& q200 = s.queries[200];
    CHECK(q200.id == "math-word-00000");
    CHECK(q200.subject == "reading");
    CHECK(q200.text ==
          "Goran reads 54 pages a day for 9 days, then 54 pages a day for 6 days. How many pages does Goran read in "
          "total?");
    CHECK(q200.gold == "810");
    CHECK(q200.latent == R"({"difficulty":-0.774009016112211})");
    CHECK(s.queries[399].text ==
          "Lena has 16 apples. Lena buys 2 packs with 17 apples in each. How many apples does Lena have now?");
    CHECK(s.queries[399].gold == "50");
}

TEST_CASE("simulate: golden generations of the skeleton pool (seed 1)", "[simulate][golden]") {
    const study& s = skeleton_seed1();
    const auto& g = s.generations;
    struct golden {
        std::size_t row;
        const char* id;
        finish_reason finish;
        std::uint32_t input_tokens, output_tokens;
        double latency_ms;
        const char* text;
    };
    const golden rows[] = {
        {row_of(0, 0, 0, 0), "mcq-knowledge-00000.sim-lark-s.b160.s0", finish_reason::stop, 106, 92, 864,
         "It helps to compare Treaty of Westphalia with the other candidates one by one. We can rule out Bretton "
         "Woods conference because it concerns something else. Recall the standard definitions used in world history "
         "courses. Each option names a real concept, so the distinction is subtle.\n\nThe correct option is **C**."},
        {row_of(0, 2, 0, 0), "mcq-knowledge-00000.sim-lark-l.b160.s0", finish_reason::length, 106, 160, 4285,
         "Recall the standard definitions used in world history courses. Option D, Silk Road, does not fit the "
         "description as well. Each option names a real concept, so the distinction is subtle. Each option names a "
         "real concept, so the distinction is subtle. Option B, Bretton Woods conference, does not fit the description "
         "as well. It helps to compare Meiji Restoration with the other candidates one by one. We can rule out Treaty "
         "of Westphalia because it concerns something else. Each option names a real concept, so the distinction is "
         "subtle. The key idea in worl"},
        {row_of(9, 1, 3, 0), "mcq-knowledge-00009.sim-lark-m.b160.s3", finish_reason::stop, 101, 24, 658,
         "I'm sorry, but I can't determine the answer to this with confidence."},
        {row_of(200, 1, 0, 0), "math-word-00000.sim-lark-m.b160.s0", finish_reason::stop, 73, 143, 1663,
         "First I restate what is given in the problem. Step 1 gives 486. Step 2 gives 324. Step 3 gives 810. Let me "
         "work through this step by step. I will keep track of the units as I go. Let me work through this step by "
         "step. Let me work through this step by step. I will keep track of the units as I go. First I restate what "
         "is given in the problem. It is worth double-checking the arithmetic here. It is worth double-checking the "
         "arithmetic here.\n\nThe answer is eight hundred and ten."},
        {row_of(200, 2, 3, 1), "math-word-00000.sim-lark-l.b1024.s3", finish_reason::stop, 73, 188, 4547,
         "Let me work through this step by step. Step 1 gives 486. Step 2 gives 324. First I restate what is given in "
         "the problem. Let me work through this step by step. Step 3 gives 810. Let me work through this step by step. "
         "Let me work through this step by step. It is worth double-checking the arithmetic here. It is worth "
         "double-checking the arithmetic here. Let me work through this step by step. It is worth double-checking the "
         "arithmetic here. Now I combine the partial results. Let me work through this step by step. Now I combine "
         "the partial results. Let me work through this step by step. It is worth double-checking the arithmetic "
         "here.\n\nThe answer is 810."},
    };
    for (const auto& want : rows) {
        INFO(want.id);
        REQUIRE(want.row < g.size());
        CHECK(g.id[want.row] == want.id);
        CHECK(g.finish[want.row] == want.finish);
        CHECK(g.input_tokens[want.row] == want.input_tokens);
        CHECK(g.output_tokens[want.row] == want.output_tokens);
        CHECK(g.latency_ms[want.row] == want.latency_ms);
        CHECK(g.text[want.row] == want.text);
    }
}

TEST_CASE("simulate: the shipped precomputed/skeleton pack is reproduced byte for byte", "[simulate][golden][precomputed]") {
    // ci/regenerate's pipeline, in process: simulate -> write -> grade -> pack (checked
    // byte-identical to the CLI's). Natively
    // this pins the simulator to what was shipped; in WebAssembly it also proves the
    // browser's build would compute the same study.
    temp_dir tmp;
    const std::string dir = (tmp / "skeleton").string();
    write_study_dir(skeleton_seed1(), dir);
    study s = load_study_dir(dir);
    grade_extractions(s);
    grade_judgments(s);  // as `headroom grade` does (the skeleton has no judges: no change)
    write_grades_file(s, dir);
    const study graded = load_study_dir(dir);
    const auto packed = pack_study(graded);
    const auto shipped = read_bytes(fs::path(source_root()) / "precomputed" / "skeleton" / "study.pack");
    INFO("if the simulator changed on purpose, run ci/regenerate");
    CHECK(packed.size() == shipped.size());
    CHECK((packed == shipped));
}

TEST_CASE("simulate: temperature 0 is greedy: every sample of a pair is equally right", "[simulate]") {
    sim::pool_config c = sim::skeleton_pool(5);
    c.name = "greedy";
    for (auto& b : c.benchmarks) {
        b.queries = 40;
        b.difficulty_sd = 1.5;
    }
    c.models = {plain_model("weak", -0.5), plain_model("strong", 1.0)};
    c.budgets = {100000};
    c.samples = 4;

    auto disagreeing_pairs = [](const sim::pool_config& config) {
        study s = sim::simulate(config);
        grade_extractions(s);
        const auto strict = s.grades.find_grader("strict");
        REQUIRE(strict);
        std::map<std::pair<std::uint32_t, std::uint16_t>, std::set<float>> scores;
        for (std::size_t r = 0; r < s.grades.size(); ++r) {
            if (s.grades.grader[r] != *strict) continue;
            const auto gen = s.grades.generation[r];
            scores[{s.generations.query[gen], s.generations.model[gen]}].insert(s.grades.score[r]);
        }
        REQUIRE(scores.size() == 80 * 2);
        std::size_t mixed = 0;
        for (const auto& [pair, values] : scores) mixed += values.size() > 1;
        return mixed;
    };
    c.temperature = 0;
    CHECK(disagreeing_pairs(c) == 0);
    c.temperature = 0.7;
    CHECK(disagreeing_pairs(c) > 10);
}

TEST_CASE("simulate: number_in_words and with_thousands_separators", "[simulate]") {
    CHECK(sim::number_in_words(0) == "zero");
    CHECK(sim::number_in_words(13) == "thirteen");
    CHECK(sim::number_in_words(40) == "forty");
    CHECK(sim::number_in_words(42) == "forty-two");
    CHECK(sim::number_in_words(100) == "one hundred");
    CHECK(sim::number_in_words(810) == "eight hundred and ten");
    CHECK(sim::number_in_words(1005) == "one thousand and five");
    CHECK(sim::number_in_words(1250) == "one thousand two hundred and fifty");
    CHECK(sim::number_in_words(2000000) == "two million");
    CHECK(sim::number_in_words(-7) == "minus seven");
    CHECK(sim::with_thousands_separators(0) == "0");
    CHECK(sim::with_thousands_separators(999) == "999");
    CHECK(sim::with_thousands_separators(1250) == "1,250");
    CHECK(sim::with_thousands_separators(1234567) == "1,234,567");
    CHECK(sim::with_thousands_separators(-1234) == "-1,234");
    // The lenient extractor reads back what the simulator writes.
    for (long long n : {0LL, 7LL, 42LL, 810LL, 1005LL, 1250LL, 99999LL, 123456LL, 2000000LL}) {
        INFO(n);
        const auto words = extract_lenient(task_kind::numeric, "The answer is " + sim::number_in_words(n) + ".", {});
        CHECK(words.answer == std::to_string(n));
        const auto commas = extract_lenient(task_kind::numeric, "The answer is $" + sim::with_thousands_separators(n) + ".00.", {});
        CHECK(commas.answer == std::to_string(n));
    }
}
