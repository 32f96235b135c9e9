// sim/simulate.h pools and sim/code_tasks.h: the P1 and P2 pools at a small scale
// (shape, determinism, budgets and cuts, provenance), and the code task library (every
// family's correct solution and faults; natively, each one run by /usr/bin/python3).
#include "core/sim/simulate.h"

#include "core/base/tokens.h"
#include "core/sim/code_tasks.h"

#include "test_support.h"

#include <cstdio>
#include <cstdlib>
#include <map>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

using namespace headroom;
using namespace headroom::test;

namespace {

const study& p2_small() {
    static const study s = sim::simulate(sim::p2_artifacts_pool(3, 0.01));
    return s;
}

std::size_t benchmark_queries(const study& s, std::uint32_t b) {
    std::size_t n = 0;
    for (const auto& q : s.queries) n += q.benchmark == b;
    return n;
}

} // namespace

TEST_CASE("pools: p2-artifacts at scale 0.01 has the documented shape", "[pools][simulate]") {
    const study& s = p2_small();
    CHECK(s.info.name == "p2-artifacts");
    CHECK(s.info.simulated);
    // Counts are lround(real size * 0.01), at least 1:
    //   MMLU 14042 -> 140, MedQA 1273 -> 13, HumanEval 164 -> 2, MBPP 500 -> 5,
    //   Alpaca 10000 -> 100, ShareGPT 8480 -> 85.
    REQUIRE(s.benchmarks.size() == 6);
    const std::vector<std::pair<std::string, task_kind>> want{
        {"mcq-knowledge", task_kind::mcq}, {"mcq-clinical", task_kind::mcq}, {"code-function", task_kind::code},
        {"code-basic", task_kind::code},   {"instruct", task_kind::open},    {"chat", task_kind::open}};
    const std::size_t counts[] = {140, 13, 2, 5, 100, 85};
    for (std::uint32_t b = 0; b < 6; ++b) {
        INFO(want[b].first);
        CHECK(s.benchmarks[b].id == want[b].first);
        CHECK(s.benchmarks[b].kind == want[b].second);
        CHECK(benchmark_queries(s, b) == counts[b]);
    }
    CHECK(s.queries.size() == 345);
    CHECK(s.models.size() == 6);
    // Greedy, one sample, two budgets, two judges replying to every generation.
    CHECK(s.budgets() == std::vector<std::uint32_t>{192, 2048});
    CHECK(s.samples_per_pair() == 1);
    CHECK(s.generations.size() == 345 * 6 * 2);
    CHECK(s.judgments.judges == std::vector<std::string>{"verbose", "calibrated"});
    CHECK(s.judgments.size() == 2 * s.generations.size());
    CHECK(s.grades.size() == 0);
    // Code queries carry tests, mcq queries gold letters, open queries neither.
    for (const auto& q : s.queries) {
        INFO(q.id);
        const task_kind kind = s.benchmarks[q.benchmark].kind;
        CHECK(q.tests.empty() == (kind != task_kind::code));
        CHECK(q.gold.empty() == (kind != task_kind::mcq));
    }

    // At a tiny scale every benchmark keeps one query.
    const sim::pool_config tiny = sim::p2_artifacts_pool(3, 1e-6);
    for (const auto& b : tiny.benchmarks) CHECK(b.queries == 1);
    // At scale 1, the documented 34,459 queries.
    std::size_t full = 0;
    for (const auto& b : sim::p2_artifacts_pool(3).benchmarks) full += static_cast<std::size_t>(b.queries);
    CHECK(full == 34459);
}

TEST_CASE("pools: p1-routing at scale 0.01 has the documented shape", "[pools][simulate]") {
    const sim::pool_config c = sim::p1_routing_pool(4, 0.01);
    // GSM8K-like 8792 -> 88 (87.92), MMLU-like 7650 -> 77 (76.5 rounds away from zero).
    REQUIRE(c.benchmarks.size() == 2);
    CHECK(c.benchmarks[0].queries == 88);
    CHECK(c.benchmarks[1].queries == 77);
    CHECK(c.samples == 10);
    CHECK(c.temperature == 0.7);
    const study s = sim::simulate(c);
    CHECK(s.info.name == "p1-routing");
    CHECK(s.benchmarks[0].kind == task_kind::numeric);
    CHECK(s.benchmarks[1].kind == task_kind::mcq);
    CHECK(s.queries.size() == 165);
    CHECK(s.models.size() == 7);
    CHECK(s.budgets() == std::vector<std::uint32_t>{512});
    CHECK(s.samples_per_pair() == 10);
    CHECK(s.generations.size() == 165 * 7 * 10);
    CHECK(s.judgments.size() == 0);
    // Temperature 0.7: the samples of a pair are not all the same text.
    std::size_t varied = 0;
    std::map<std::pair<std::uint32_t, std::uint16_t>, std::set<std::string>> texts;
    for (std::size_t i = 0; i < s.generations.size(); ++i)
        texts[{s.generations.query[i], s.generations.model[i]}].insert(std::string(s.generations.text[i]));
    for (const auto& [pair, set] : texts) varied += set.size() > 1;
    CHECK(texts.size() == 165 * 7);
    CHECK(varied > texts.size() / 2);
}

TEST_CASE("pools: same seed, same study, another seed, another study", "[pools][simulate]") {
    const study again = sim::simulate(sim::p2_artifacts_pool(3, 0.01));
    CHECK(first_difference(p2_small(), again) == "");
    const study other = sim::simulate(sim::p2_artifacts_pool(4, 0.01));
    CHECK(first_difference(p2_small(), other) != "");
    // P1 too (tiny: its samples make it the larger of the two).
    const study a = sim::simulate(sim::p1_routing_pool(9, 0.002));
    const study b = sim::simulate(sim::p1_routing_pool(9, 0.002));
    CHECK(first_difference(a, b) == "");
}

TEST_CASE("pools: budgets cut at the token limit, and finish says so exactly", "[pools][simulate]") {
    const study& s = p2_small();
    const auto& g = s.generations;
    // Generations come in budget pairs: the same draft, cut at 192 and at 2048.
    REQUIRE(g.size() % 2 == 0);
    std::size_t cut_short = 0, cut_long = 0;
    for (std::size_t i = 0; i < g.size(); ++i) {
        INFO(g.id[i]);
        const std::uint32_t tokens = count_tokens(g.text[i]);
        CHECK(g.output_tokens[i] <= g.budget[i]);
        CHECK(tokens <= g.budget[i]);
        if (g.finish[i] == finish_reason::stop) CHECK(g.output_tokens[i] == tokens);
        else CHECK(g.output_tokens[i] == g.budget[i]);
        if (i % 2 == 1) continue;
        const std::size_t j = i + 1;
        REQUIRE(g.budget[i] == 192);
        REQUIRE(g.budget[j] == 2048);
        CHECK(g.query[i] == g.query[j]);
        CHECK(g.model[i] == g.model[j]);
        CHECK(g.input_tokens[i] == g.input_tokens[j]);
        if (g.finish[j] != finish_reason::stop) { ++cut_long; continue; }
        // The full answer is the 2048 one; the 192 one is cut exactly when it has more
        // than 192 tokens, and then it is that answer's longest prefix within the budget.
        const std::string_view full = g.text[j];
        const bool over = count_tokens(full) > 192;
        CHECK((g.finish[i] == finish_reason::length) == over);
        if (over) {
            ++cut_short;
            CHECK(g.text[i] == truncate_to_tokens(full, 192));
            CHECK(full.substr(0, g.text[i].size()) == g.text[i]);
        } else {
            CHECK(g.text[i] == full);
        }
    }
    // Both kinds occur: the short budget does cut, the long one almost never.
    CHECK(cut_short > g.size() / 20);
    CHECK(cut_long < g.size() / 200);
}

TEST_CASE("pools: temperature 0 means one draft per pair, whatever the sample count", "[pools][simulate]") {
    sim::pool_config c = sim::p2_artifacts_pool(6, 0.002);
    c.samples = 3;
    REQUIRE(c.temperature == 0);
    const study s = sim::simulate(c);
    CHECK(s.samples_per_pair() == 3);
    std::map<std::tuple<std::uint32_t, std::uint16_t, std::uint32_t>, std::set<std::string>> texts;
    const auto& g = s.generations;
    for (std::size_t i = 0; i < g.size(); ++i) texts[{g.query[i], g.model[i], g.budget[i]}].insert(std::string(g.text[i]));
    for (const auto& [cell, set] : texts) CHECK(set.size() == 1);
    CHECK(texts.size() == s.queries.size() * 6 * 2);
    // And at a temperature the samples differ.
    c.temperature = 0.7;
    const study warm = sim::simulate(c);
    texts.clear();
    for (std::size_t i = 0; i < warm.generations.size(); ++i)
        texts[{warm.generations.query[i], warm.generations.model[i], warm.generations.budget[i]}].insert(
            std::string(warm.generations.text[i]));
    std::size_t varied = 0;
    for (const auto& [cell, set] : texts) varied += set.size() > 1;
    CHECK(varied > texts.size() / 2);
}

TEST_CASE("pools: the provenance publishes the knobs and the planted rates", "[pools][simulate]") {
    const study& s = p2_small();
    const auto p = nlohmann::json::parse(s.info.provenance);
    CHECK(p["seed"] == 3);
    CHECK(p["samples"] == 1);
    CHECK(p["temperature"] == 0.0);
    CHECK(p["discrimination"] == 3.0);
    CHECK(p["budgets"] == nlohmann::json::array({192, 2048}));
    REQUIRE(p["benchmarks"].size() == 6);
    CHECK(p["benchmarks"][0]["id"] == "mcq-knowledge");
    CHECK(p["benchmarks"][0]["queries"] == 140);
    CHECK(p["benchmarks"][0]["format_pull"] == 0.12);
    REQUIRE(p["models"].size() == 6);
    CHECK(p["models"][0]["id"] == "sim-gale-xs");
    CHECK(p["models"][0]["ability"] == 0.9);
    REQUIRE(p["judges"].size() == 2);
    CHECK(p["judges"][0]["name"] == "verbose");
    CHECK(p["judges"][0]["scale"] == "rubric");
    CHECK(p["judges"][0]["concise_penalty"] == 0.45);
    CHECK(p["judges"][1]["name"] == "calibrated");
    CHECK(p["judges"][1]["scale"] == "ten");
    // The planted rates, measured while generating.
    REQUIRE(p.contains("planted"));
    const auto& planted = p["planted"];
    REQUIRE(planted.is_object());
    REQUIRE(planted["truncation"].size() == 2);
    CHECK(planted["truncation"][0]["budget"] == 192);
    CHECK(planted["truncation"][1]["budget"] == 2048);
    for (const auto& t : planted["truncation"]) {
        CHECK(t["cut_share"].get<double>() >= 0.0);
        CHECK(t["cut_share"].get<double>() <= 1.0);
    }
    CHECK(planted["truncation"][0]["cut_share"].get<double>() > planted["truncation"][1]["cut_share"].get<double>());
    const double strict_defeating = planted["format"]["right_answers_in_strict_defeating_habits_share"].get<double>();
    CHECK(strict_defeating > 0.0);
    CHECK(strict_defeating < 1.0);
    REQUIRE(planted["judges"].size() == 2);
    CHECK(planted["judges"][0]["name"] == "verbose");
    for (const auto& j : planted["judges"]) {
        for (const char* key : {"full_answers_failed_share", "wrong_answers_passed_share", "malformed_share"}) {
            INFO(j["name"] << " " << key);
            REQUIRE(j.contains(key));
            CHECK(j[key].get<double>() >= 0.0);
            CHECK(j[key].get<double>() <= 1.0);
        }
    }
    // The P1 pool has no judges: an empty list, not a missing key.
    const study p1 = sim::simulate(sim::p1_routing_pool(1, 0.001));
    const auto q = nlohmann::json::parse(p1.info.provenance);
    CHECK(q["planted"]["judges"].empty());
    CHECK(q["planted"]["truncation"].size() == 1);
}

TEST_CASE("pools: pool_by_name knows the three pools and refuses others", "[pools][simulate]") {
    CHECK(sim::pool_by_name("skeleton", 2).name == "skeleton");
    CHECK(sim::pool_by_name("p1-routing", 2, 0.5).name == "p1-routing");
    CHECK(sim::pool_by_name("p1-routing", 2, 0.5).benchmarks[0].queries == 4396);
    CHECK(sim::pool_by_name("p2-artifacts", 2, 0.01).benchmarks[0].queries == 140);
    CHECK(sim::pool_by_name("p2-artifacts", 2).seed == 2);
    CHECK_THROWS_AS(sim::pool_by_name("p3", 1), std::invalid_argument);
    CHECK_THROWS_WITH(sim::pool_by_name("P2-artifacts", 1), Catch::Contains("unknown pool 'P2-artifacts'"));
    CHECK_THROWS_WITH(sim::pool_by_name("", 1), Catch::Contains("skeleton, p1-routing, p2-artifacts"));
}

// ---- code tasks ----

namespace {

std::vector<sim::code_task> tasks_of_family(int family, int count) {
    std::vector<sim::code_task> out;
    for (int seed = 0; seed < count; ++seed) {
        rng r(derive_seed(77, "code-task", static_cast<std::uint64_t>(family * 100 + seed)));
        out.push_back(sim::draft_code_task(r, family));
    }
    return out;
}

constexpr sim::code_fault all_faults[] = {
    sim::code_fault::none,           sim::code_fault::off_by_one,        sim::code_fault::wrong_operator,
    sim::code_fault::missed_edge_case, sim::code_fault::wrong_return_type, sim::code_fault::syntax_error,
    sim::code_fault::infinite_loop,  sim::code_fault::excessive_memory};

} // namespace

TEST_CASE("pools: every code family writes a Python function of its name, and every fault changes it", "[pools][code_tasks]") {
    REQUIRE(sim::code_family_count() == 10);
    std::set<std::string> names;
    for (int family = 0; family < sim::code_family_count(); ++family) {
        for (const auto& task : tasks_of_family(family, 3)) {
            INFO("family " << family << " (" << task.subject << "), k = " << task.k);
            CHECK(task.family == family);
            names.insert(task.function);
            const std::string correct = sim::write_solution(task, sim::code_fault::none);
            // "def <function>(...) -> T:" then an indented body, every line ending in a newline.
            CHECK(task.signature.rfind("def " + task.function + "(", 0) == 0);
            CHECK(ends_with(task.signature, ":"));
            CHECK(correct.rfind(task.signature + "\n", 0) == 0);
            CHECK(ends_with(correct, "\n"));
            CHECK(contains(correct, "    return "));
            std::size_t start = task.signature.size() + 1;
            while (start < correct.size()) {
                const std::size_t nl = correct.find('\n', start);
                REQUIRE(nl != std::string::npos);
                const std::string line = correct.substr(start, nl - start);
                CHECK(line.rfind("    ", 0) == 0);  // the body is indented
                CHECK_FALSE(contains(line, "{K}"));  // the parameter is filled in
                CHECK_FALSE(contains(line, "\t"));
                start = nl + 1;
            }
            CHECK(contains(task.summary, std::to_string(task.k)));
            // The tests define check() and call it on the function by name.
            CHECK(contains(task.tests, "def check(candidate):"));
            CHECK(contains(task.tests, "check(" + task.function + ")"));
            CHECK(contains(task.tests, "_CASES = ["));
            CHECK_FALSE(contains(task.tests, "{K}"));
            CHECK_FALSE(contains(task.summary, "{K}"));
            // Each fault writes different code (and writes it the same way every time).
            std::set<std::string> variants;
            for (auto fault : all_faults) {
                INFO("fault " << sim::to_string(fault));
                const std::string code = sim::write_solution(task, fault);
                CHECK(code == sim::write_solution(task, fault));
                CHECK(code.rfind("def " + task.function + "(", 0) == 0);
                variants.insert(code);
            }
            CHECK(variants.size() == std::size(all_faults));
            // The syntax fault drops the signature's colon; the runaway faults start the body.
            const std::string broken = sim::write_solution(task, sim::code_fault::syntax_error);
            CHECK(broken.rfind(task.signature.substr(0, task.signature.size() - 1) + "\n", 0) == 0);
            CHECK(contains(sim::write_solution(task, sim::code_fault::infinite_loop), "while True:"));
            CHECK(contains(sim::write_solution(task, sim::code_fault::excessive_memory), "10 ** 10"));
        }
    }
    CHECK(names.size() == 10);
    CHECK(std::string(sim::to_string(sim::code_fault::wrong_return_type)) == "wrong_return_type");
}

#ifndef __EMSCRIPTEN__

namespace {

// Runs each program (solution, a newline, the tests: as the sandbox joins them) with
// /usr/bin/python3 and returns one status per program, 0 when it ran to the end.
//   separate: one interpreter per program, its exit status (about 20 ms each);
//   otherwise: one interpreter compiles and execs each program in a fresh namespace
//   and reports whether it raised, which is what the sandbox's driver does in its child.
std::vector<int> run_python(const std::vector<std::string>& programs, bool separate) {
    temp_dir dir;
    std::string script = "set -u\ncd '" + dir.str() + "'\n";
    std::string files;
    for (std::size_t i = 0; i < programs.size(); ++i) {
        const std::string name = "p" + std::to_string(i) + ".py";
        write_file(dir / name, programs[i]);
        if (separate) script += "timeout 20 /usr/bin/python3 -I -S " + name + " >/dev/null 2>&1; echo $?\n";
        files += " " + name;
    }
    if (!separate) {
        write_file(dir / "driver.py",
                   "import sys\n"
                   "for path in sys.argv[1:]:\n"
                   "    with open(path) as f:\n"
                   "        source = f.read()\n"
                   "    status = 0\n"
                   "    try:\n"
                   "        exec(compile(source, path, 'exec', dont_inherit=True), {'__name__': '__candidate__'})\n"
                   "    except BaseException:\n"
                   "        status = 1\n"
                   "    sys.__stdout__.write('%d\\n' % status)\n"
                   "    sys.__stdout__.flush()\n");
        script += "timeout 60 /usr/bin/python3 -I -S driver.py" + files + " 2>/dev/null\n";
    }
    write_file(dir / "run.sh", script);
    std::vector<int> status;
    FILE* out = ::popen(("/bin/sh '" + (dir / "run.sh").string() + "'").c_str(), "r");
    REQUIRE(out != nullptr);
    char line[64];
    while (std::fgets(line, sizeof line, out)) status.push_back(std::atoi(line));
    REQUIRE(::pclose(out) == 0);
    REQUIRE(status.size() == programs.size());
    return status;
}

} // namespace

TEST_CASE("pools: code tasks run by python3 exit 0 when right and non-zero when broken", "[pools][code_tasks][python]") {
    if (!fs::exists("/usr/bin/python3")) {
        WARN("/usr/bin/python3 is missing: not run");
        return;
    }
    // One interpreter per program, one task per family: the exit status itself.
    std::vector<std::string> programs;
    std::vector<std::string> what;
    for (int family = 0; family < sim::code_family_count(); ++family) {
        const sim::code_task task = tasks_of_family(family, 1)[0];
        for (auto fault : {sim::code_fault::none, sim::code_fault::syntax_error, sim::code_fault::wrong_operator}) {
            programs.push_back(sim::write_solution(task, fault) + "\n" + task.tests + "\n");
            what.push_back(task.subject + " " + sim::to_string(fault));
        }
    }
    const auto status = run_python(programs, /*separate=*/true);
    for (std::size_t i = 0; i < status.size(); ++i) {
        INFO(what[i] << " exited " << status[i]);
        if (i % 3 == 0) CHECK(status[i] == 0);
        else CHECK(status[i] != 0);
    }
    // The same programs through the one-interpreter driver: the same verdicts.
    const auto driven = run_python(programs, /*separate=*/false);
    for (std::size_t i = 0; i < status.size(); ++i) {
        INFO(what[i]);
        CHECK((driven[i] == 0) == (status[i] == 0));
    }
}

TEST_CASE("pools: code tasks run by python3: solutions pass, faults fail on most tasks", "[pools][code_tasks][python]") {
    if (!fs::exists("/usr/bin/python3")) {
        WARN("/usr/bin/python3 is missing: not run");
        return;
    }
    // Not run here: infinite_loop and excessive_memory (the sandbox's tests cover them).
    const sim::code_fault run_faults[] = {sim::code_fault::none, sim::code_fault::off_by_one,
                                          sim::code_fault::wrong_operator, sim::code_fault::missed_edge_case,
                                          sim::code_fault::wrong_return_type, sim::code_fault::syntax_error};
    constexpr int seeds = 10;
    std::vector<std::string> programs;
    struct which {
        std::string subject;
        sim::code_fault fault;
    };
    std::vector<which> index;
    for (int family = 0; family < sim::code_family_count(); ++family)
        for (const auto& task : tasks_of_family(family, seeds))
            for (auto fault : run_faults) {
                programs.push_back(sim::write_solution(task, fault) + "\n" + task.tests + "\n");
                index.push_back({task.subject, fault});
            }
    const std::vector<int> status = run_python(programs, /*separate=*/false);

    // passes[fault][family]: how many of the seeds' programs ran through their tests.
    std::map<sim::code_fault, std::map<std::string, int>> passes;
    for (std::size_t i = 0; i < status.size(); ++i) passes[index[i].fault][index[i].subject] += status[i] == 0;
    for (const auto& [fault, by_family] : passes) {
        if (fault == sim::code_fault::none) continue;
        for (const auto& [subject, n] : by_family)
            if (n > 0) WARN("weak tests: " << subject << " " << sim::to_string(fault) << " passes " << n << " of " << seeds);
    }
    const int tasks = sim::code_family_count() * seeds;
    auto passed = [&](sim::code_fault f) {
        int n = 0;
        for (const auto& [subject, k] : passes[f]) n += k;
        return n;
    };
    // Every correct solution passes its own tests.
    REQUIRE(passes[sim::code_fault::none].size() == 10);
    for (const auto& [subject, n] : passes[sim::code_fault::none]) {
        INFO(subject);
        CHECK(n == seeds);
    }
    // A syntax error never passes.
    CHECK(passed(sim::code_fault::syntax_error) == 0);
    // The value faults fail on most tasks: at most a quarter may slip through. (Seen
    // with these seeds: off_by_one 16 of 100 (palindrome-check 8, count-above 7,
    // count-vowels 1), wrong_operator 0, wrong_return_type 0; before the fix the
    // regression test below guards, run-length's 10 wrong_return_type programs passed.)
    for (auto f : {sim::code_fault::off_by_one, sim::code_fault::wrong_operator, sim::code_fault::wrong_return_type}) {
        INFO(sim::to_string(f) << " passes " << passed(f) << " of " << tasks);
        CHECK(passed(f) * 4 <= tasks);
    }
    // A missed edge case needs its edge among the eight cases: weaker, but still most.
    // (Seen: 16 of 100: palindrome-check 7, second-largest 6, sum-multiples 2,
    // count-vowels 1; 26 before triangle-number's fault became a real one.)
    INFO("missed_edge_case passes " << passed(sim::code_fault::missed_edge_case) << " of " << tasks);
    CHECK(passed(sim::code_fault::missed_edge_case) * 2 <= tasks);
}

TEST_CASE("pools: no written fault is a correct program", "[pools][code_tasks][python]") {
    // Regression test: the comment below describes the defect it caught, now fixed.
    // The simulator scores a faulty answer as wrong (its judges see quality 0); the exec
    // grader must agree, or exec labels and the planted truth part ways. Two faults are
    // no faults at all, whatever the task's cases:
    //   run-length       wrong_return_type: the function already returns a str, and
    //                    str(''.join(out)) is that same str
    //   triangle-number  missed_edge_case: without the n <= 0 test, sum(range(1, n + 1)) % K
    //                    is 0 for n <= 0 anyway
    if (!fs::exists("/usr/bin/python3")) {
        WARN("/usr/bin/python3 is missing: not run");
        return;
    }
    std::vector<std::string> programs;
    std::vector<std::string> what;
    for (int family = 0; family < sim::code_family_count(); ++family) {
        const sim::code_task task = tasks_of_family(family, 1)[0];
        for (auto fault : {sim::code_fault::wrong_return_type, sim::code_fault::missed_edge_case}) {
            // Compare the faulty function with the correct one on many inputs, not just the
            // task's eight cases: equal everywhere means the fault changes nothing.
            const std::string faulty = sim::write_solution(task, fault);
            const std::string right = sim::write_solution(task, sim::code_fault::none);
            const auto rename = [](std::string code, const std::string& from, const std::string& to) {
                code.replace(code.find(from), from.size(), to);
                return code;
            };
            const std::string probe = rename(right, "def " + task.function + "(", "def _right(") + "\n" + faulty + "\n" +
                    "import random\n"
                    "random.seed(1)\n"
                    "words = ['river', 'Anna', 'level', 'aabbbc', 'noon', 'zzz', 'I', 'x', 'Madam', '']\n"
                    "inputs = [[], '', 0, -3]\n"
                    "for _ in range(300):\n"
                    "    inputs.append([random.randint(-20, 50) for _ in range(random.randint(1, 8))])\n"
                    "    inputs.append(' '.join(random.choice(words) for _ in range(random.randint(1, 3))))\n"
                    "    inputs.append(random.randint(-5, 400))\n"
                    "differs = False\n"
                    "for arg in inputs:\n"
                    "    try:\n"
                    "        a = _right(arg)\n"
                    "    except Exception:\n"
                    "        continue\n"
                    "    try:\n"
                    "        b = " + task.function + "(arg)\n"
                    "    except Exception:\n"
                    "        differs = True\n"
                    "        break\n"
                    "    if type(a) is not type(b) or a != b:\n"
                    "        differs = True\n"
                    "        break\n"
                    "assert differs, 'the faulty program equals the right one on every input'\n";
            programs.push_back(probe);
            what.push_back(task.subject + " " + sim::to_string(fault));
        }
    }
    const auto status = run_python(programs, /*separate=*/false);
    for (std::size_t i = 0; i < status.size(); ++i) {
        INFO(what[i] << " behaves exactly like the correct solution");
        CHECK(status[i] == 0);  // 0: the probe found an input where the fault shows
    }
}

#endif
