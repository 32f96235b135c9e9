// The simulator against its own published knobs (native only: a 5% P2 pool). The P2
// pool is simulated without its code benchmarks (exec cannot run in the core), graded
// by the core's extraction and judge graders, and what the graders see is compared
// with what the simulator says it planted. Tolerances are stated where they are used.
#ifndef __EMSCRIPTEN__

#include "core/sim/simulate.h"

#include "core/analysis/decomposition.h"
#include "core/grading/grade.h"
#include "core/grading/judge.h"
#include "core/labels/labels.h"
#include "core/labels/protocol.h"
#include "core/labels/summary.h"

#include "test_support.h"

#include <cmath>
#include <map>

using namespace headroom;
using namespace headroom::test;

namespace {

struct graded_pool {
    graded_pool() {
        sim::pool_config c = sim::p2_artifacts_pool(17, 0.05);
        std::erase_if(c.benchmarks, [](const sim::benchmark_spec& b) { return sim::kind_of(b.style) == task_kind::code; });
        s = sim::simulate(c);
        grade_extractions(s);
        grade_judgments(s);
        provenance = nlohmann::json::parse(s.info.provenance);
    }
    study s;
    nlohmann::json provenance;
};

const graded_pool& pool() {
    static const graded_pool p;
    return p;
}

// Grade rows by (grader, generation).
struct grade_lookup {
    explicit grade_lookup(const study& s) : s_(s), index_(s) {}
    std::size_t row(const std::string& grader, std::uint32_t generation) const {
        const auto g = s_.grades.find_grader(grader);
        REQUIRE(g);
        const auto r = index_.grade_row(*g, generation);
        REQUIRE(r >= 0);
        return static_cast<std::size_t>(r);
    }
    bool correct(const std::string& grader, std::uint32_t generation) const {
        return s_.grades.score[row(grader, generation)] >= 0.5f;
    }
    const study& s_;
    study_index index_;
};

} // namespace

TEST_CASE("sim_statistics: the planted cut share is the share of generations that finish by length", "[sim_statistics]") {
    const auto& p = pool();
    const auto& g = p.s.generations;
    std::map<std::uint32_t, std::pair<double, double>> by_budget;  // cut, all
    for (std::size_t i = 0; i < g.size(); ++i) {
        by_budget[g.budget[i]].first += g.finish[i] == finish_reason::length;
        by_budget[g.budget[i]].second += 1;
    }
    const auto& planted = p.provenance["planted"]["truncation"];
    REQUIRE(planted.size() == 2);
    for (const auto& t : planted) {
        const auto budget = t["budget"].get<std::uint32_t>();
        const auto [cut, all] = by_budget.at(budget);
        INFO("budget " << budget << ": " << cut << " of " << all << " cut");
        // The same events counted twice: equal up to rounding.
        CHECK(cut / all == Approx(t["cut_share"].get<double>()).margin(1e-12));
    }
    // The short budget is the one that cuts (P2's truncation artifact): a real share.
    CHECK(by_budget.at(192).first / by_budget.at(192).second > 0.10);
    CHECK(by_budget.at(2048).first / by_budget.at(2048).second < 0.01);
}

TEST_CASE("sim_statistics: every malformed judge reply, and only those, is a parse failure", "[sim_statistics]") {
    const auto& p = pool();
    const auto& t = p.s.grades;
    for (const auto& planted : p.provenance["planted"]["judges"]) {
        const std::string name = planted["name"];
        const auto grader = t.find_grader("judge:" + name);
        REQUIRE(grader);
        double failures = 0, all = 0;
        for (std::size_t r = 0; r < t.size(); ++r) {
            if (t.grader[r] != *grader) continue;
            failures += t.status[r] == grade_status::parse_failure;
            all += 1;
        }
        INFO(name << ": " << failures << " parse failures of " << all);
        CHECK(all == p.s.generations.size());
        // Same events: the simulator's count of malformed replies and the grader's.
        CHECK(failures / all == Approx(planted["malformed_share"].get<double>()).margin(1e-12));
        // And about the knobs: no_verdict + two_verdicts = 0.03 for both judges; with
        // ~41,000 replies per judge the sd of the share is under 0.001.
        CHECK(failures / all == Approx(0.03).margin(0.005));
    }
}

TEST_CASE("sim_statistics: the verbose judge fails concise right answers, the calibrated judge rarely", "[sim_statistics]") {
    const auto& p = pool();
    const auto& s = p.s;
    const auto& g = s.generations;
    const grade_lookup look(s);
    // Fully right answers the judges saw whole: mcq generations that were not cut and
    // whose answer lenient extraction reads as the gold. Concise: shorter than the
    // verbose judge's concise_tokens (90).
    const auto& judges = p.provenance["judges"];
    REQUIRE(judges.size() == 2);
    std::map<std::string, std::pair<double, double>> failed;  // judge -> (failed, parsed)
    for (std::uint32_t i = 0; i < g.size(); ++i) {
        const task_kind kind = s.benchmarks[s.queries[g.query[i]].benchmark].kind;
        if (kind != task_kind::mcq || g.finish[i] != finish_reason::stop) continue;
        if (g.output_tokens[i] >= judges[0]["concise_tokens"].get<double>()) continue;
        if (!look.correct("lenient", i)) continue;
        for (const auto& j : judges) {
            const std::string name = j["name"];
            const std::size_t r = look.row("judge:" + name, i);
            if (s.grades.status[r] != grade_status::ok) continue;
            const judge_scale scale = j["scale"] == "rubric" ? judge_scale::rubric : judge_scale::ten;
            failed[name].first += !judge_passes(scale, s.grades.score[r]);
            failed[name].second += 1;
        }
    }
    // What the knobs predict for a fully right answer (judges.cpp): harsh queries lose a
    // grade with probability harsh_share * harsh_penalty, then concise answers lose one
    // with concise_penalty, then noise moves a grade of 2 down with probability noise/2
    // and a grade of 1 up with probability noise/2.
    //   verbose:    keep = (1 - 0.25*0.85) * (1 - 0.45) = 0.433; pass = 0.433*0.985 + 0.567*0.015 = 0.435
    //   calibrated: keep = (1 - 0.03*0.5) = 0.985;                pass = 0.985*0.95 + 0.015*0.05 = 0.937
    auto predicted_fail = [](const nlohmann::json& j, bool concise) {
        const double noise = j["noise"].get<double>();
        double keep = 1 - j["harsh_share"].get<double>() * j["harsh_penalty"].get<double>();
        if (concise) keep *= 1 - j["concise_penalty"].get<double>();
        return 1 - (keep * (1 - noise / 2) + (1 - keep) * noise / 2);
    };
    for (const auto& j : judges) {
        const std::string name = j["name"];
        const auto [fails, parsed] = failed[name];
        const double rate = fails / parsed;
        const double want = predicted_fail(j, j["concise_tokens"].get<double>() > 0);
        INFO(name << ": fails " << fails << " of " << parsed << " concise right answers (" << rate
                  << "), knobs predict " << want);
        // Several hundred answers (sd of the rate about 0.02) over ~770 queries whose
        // harsh flags are drawn once per query (sd of the harsh share about 0.016, moving
        // the verbose rate by about 0.013): 0.07 is over three combined sd.
        CHECK(parsed > 300);
        CHECK(rate == Approx(want).margin(0.07));
    }
    const double verbose = failed["verbose"].first / failed["verbose"].second;
    const double calibrated = failed["calibrated"].first / failed["calibrated"].second;
    CHECK(verbose > calibrated + 0.3);
    // The planted shares say the same, over every fully right answer (open ones too).
    const auto& planted = p.provenance["planted"]["judges"];
    CHECK(planted[0]["full_answers_failed_share"].get<double>() >
          planted[1]["full_answers_failed_share"].get<double>() + 0.1);
}

TEST_CASE("sim_statistics: strict extraction misses right answers that lenient reads", "[sim_statistics]") {
    const auto& p = pool();
    const auto& s = p.s;
    const auto& g = s.generations;
    const grade_lookup look(s);
    // Uncut mcq answers at the long budget (one per draft, as the planted share counts).
    double lenient_right = 0, strict_misses = 0, strict_right = 0, lenient_misses = 0;
    for (std::uint32_t i = 0; i < g.size(); ++i) {
        if (g.budget[i] != 2048 || g.finish[i] != finish_reason::stop) continue;
        if (s.benchmarks[s.queries[g.query[i]].benchmark].kind != task_kind::mcq) continue;
        const bool strict = look.correct("strict", i), lenient = look.correct("lenient", i);
        lenient_right += lenient;
        strict_misses += lenient && !strict;
        strict_right += strict;
        lenient_misses += strict && !lenient;
    }
    const double strict_miss_share = strict_misses / lenient_right;
    const double lenient_miss_share = lenient_misses / strict_right;
    const double planted =
        p.provenance["planted"]["format"]["right_answers_in_strict_defeating_habits_share"].get<double>();
    INFO("strict misses " << strict_misses << " of " << lenient_right << " right answers (" << strict_miss_share
                          << "); lenient misses " << lenient_misses << " of " << strict_right << " ("
                          << lenient_miss_share << "); planted strict-defeating share " << planted);
    CHECK(lenient_right > 2000);
    // Where strict reads the gold and lenient does not, the answer is wrong and strict
    // read it right by luck ("Answer: B. Option A is a common trap." with gold A; "So
    // the answer is <a wrong option>." after reasoning that last names the gold's
    // letter): seen 59 of 2543 here. Lenient's miss share is that, small.
    CHECK(strict_miss_share > lenient_miss_share + 0.25);
    CHECK(lenient_miss_share < 0.05);
    // Every strict-defeating habit is a strict miss unless the last standalone letter of
    // the text happens to be the gold (an option_text_only answer whose reasoning last
    // names the right option): so the observed miss share is at most the planted share,
    // and not far below it. Both shares count the same right drafts (lenient reading
    // right stands in for right), so 0.03 absorbs the answers where strict and lenient
    // disagree for other reasons.
    CHECK(strict_miss_share <= planted + 0.03);
    CHECK(strict_miss_share >= planted - 0.08);
}

TEST_CASE("sim_statistics: the corrected protocol leaves far fewer queries unsolvable than the naive one", "[sim_statistics]") {
    const auto& p = pool();
    const study_index index(p.s);
    const protocol naive = naive_protocol(p.s), corrected = corrected_protocol(p.s);
    CHECK(naive.budget == 192);
    CHECK(corrected.budget == 2048);
    const label_matrix ln = compute_labels(p.s, index, naive);
    const label_matrix lc = compute_labels(p.s, index, corrected);
    const auto rows = all_rows(ln);
    const headroom_summary hn = summarize(ln, rows), hc = summarize(lc, rows);
    INFO("U naive " << hn.unsolvable << ", corrected " << hc.unsolvable << "; H naive " << hn.headroom
                    << ", corrected " << hc.headroom);
    // P2's claim, planted: most of the naive "unsolvable" share is artifact.
    CHECK(hn.unsolvable > 2 * hc.unsolvable);
    CHECK(hn.unsolvable - hc.unsolvable > 0.1);
    // Per benchmark too.
    for (std::uint32_t b = 0; b < p.s.benchmarks.size(); ++b) {
        const auto qs = index.queries_of_benchmark(b);
        const double un = summarize(ln, qs).unsolvable, uc = summarize(lc, qs).unsolvable;
        INFO(p.s.benchmarks[b].id << ": U naive " << un << ", corrected " << uc);
        CHECK(un > uc + 0.05);
    }
    // The corrected protocol consulted both judges: disputes and parse failures were met.
    CHECK(lc.judge_disputes > 0);
    CHECK(lc.judge_parse_failures > 0);
}

TEST_CASE("sim_statistics: the decomposition recovers the planted unsolvable shares within its intervals", "[sim_statistics][decompose]") {
    // The simulator publishes, per budget and benchmark, the share of queries no model
    // truly solves (what a perfect grader would find). With the format and judge fixes
    // applied (combinations 6 and 7 of the grid), the graders' U at each budget must
    // cover it: the decomposition's residual is real unsolvability, and its truncation
    // step is the planted change between the two budgets.
    const auto& p = pool();
    const study_index index(p.s);
    const protocol_grid grid = make_grid(p.s, index, naive_protocol(p.s), corrected_protocol(p.s));
    decomposition_options options;
    options.resamples = 400;
    const auto planted_at = [&](std::uint32_t budget, const std::string& benchmark) {
        for (const auto& u : p.provenance["planted"]["unsolvable"])
            if (u["budget"] == budget) return u["by_benchmark"][benchmark].get<double>();
        FAIL("no planted unsolvable share at budget " << budget);
        return 0.0;
    };
    const unsigned short_budget = 0b110, long_budget = 0b111;  // format and judge fixed; truncation too
    for (std::uint32_t b = 0; b < p.s.benchmarks.size(); ++b) {
        const std::string& id = p.s.benchmarks[b].id;
        const decomposition d = decompose(grid, index.queries_of_benchmark(b), id, options);
        const double planted_short = planted_at(grid.naive.budget, id), planted_long = planted_at(grid.corrected.budget, id);
        const interval& measured_short = d.unsolvable[short_budget];
        const interval& measured_long = d.unsolvable[long_budget];
        INFO(id << ": planted U " << planted_short << " (short budget), " << planted_long << " (long); measured "
                << measured_short.value << " [" << measured_short.low << ", " << measured_short.high << "], "
                << measured_long.value << " [" << measured_long.low << ", " << measured_long.high << "]");
        CHECK(planted_short > planted_long);
        if (p.s.benchmarks[b].kind == task_kind::open) {
            // Judged benchmarks keep the calibrated judge's own errors (its harsh queries
            // fail every model): the measured U may exceed the planted one, never undercut it.
            CHECK(measured_long.high >= planted_long);
            CHECK(measured_long.value - planted_long < 0.05);
        } else {
            // Exact match with lenient extraction reads every written answer: the
            // planted share at the long budget lies inside the measured interval. At the
            // short budget a grader may still credit a cut answer whose surviving
            // reasoning names the right option, so the measured U may fall below the
            // planted one (P2's truncation artifact is, if anything, understated), never
            // above it.
            CHECK(measured_long.low <= planted_long);
            CHECK(planted_long <= measured_long.high);
            CHECK(measured_short.low <= planted_short);
        }
    }
}

#endif
