// judge_bias.h: the judge-bias measures on a study written by hand, every figure
// worked out below from the table; Cohen's kappa on known tables; the planted knobs
// read from a provenance; and on a simulated P2 pool, that the measures recover the
// verbosity biases the simulator planted.
#include "core/analysis/judge_bias.h"

#include "core/grading/grade.h"
#include "core/sim/simulate.h"

#include "test_support.h"

#include <cmath>
#include <stdexcept>
#include <tuple>

using namespace headroom;
using namespace headroom::test;

namespace {

// One mcq benchmark (gold A), budget 100 unless said, lengths in output tokens. Judge
// a is rubric (passes at 2), judge b ten-point (passes at 7).
//
//  gen  query model  lenient   tokens  a      b          note
//  0    q0    m0     A right    50     pass   pass
//  1    q0    m1     A right    50     fail   pass
//  2    q1    m0     A right   200     pass   pass
//  3    q1    m1     A right   400     pass   fail
//  4    q2    m0     B wrong    50     fail   fail
//  5    q2    m1     B wrong   400     pass   fail
//  6    q3    m0     C wrong   200     fail   (none)
//  7    q3    m1     invalid   200     pass   pass       no correctness: pairs only
//  8    q0    m0     A right   100     fail   fail       cut (finish=length): left out
//  9    q1    m0     A right    50     fail   fail       budget 50: left out
struct biased_study {
    biased_study() {
        const auto quiz = m.benchmark("quiz", task_kind::mcq);
        for (const char* id : {"q0", "q1", "q2", "q3"}) m.query(id, quiz, "A");
        m.model("m0");
        m.model("m1");
        add(0, 0, 100, 0, "A", 1, 50, "[[2]]", "Rating: 8");
        add(0, 1, 100, 0, "A", 1, 50, "[[1]]", "Rating: 9");
        add(1, 0, 100, 0, "A", 1, 200, "[[2]]", "Rating: 7");
        add(1, 1, 100, 0, "A", 1, 400, "[[2]]", "Rating: 3");
        add(2, 0, 100, 0, "B", 0, 50, "[[0]]", "Rating: 2");
        add(2, 1, 100, 0, "B", 0, 400, "[[2]]", "Rating: 1");
        add(3, 0, 100, 0, "C", 0, 200, "[[0]]", "I cannot settle on a score.");
        add(3, 1, 100, 0, "", 0, 200, "[[2]]", "Rating: 8");
        add(0, 0, 100, 1, "A", 1, 100, "[[0]]", "Rating: 1");
        m.s.generations.finish.back() = finish_reason::length;
        add(1, 0, 50, 0, "A", 1, 50, "[[0]]", "Rating: 1");
        grade_judgments(m.s);
    }
    void add(std::uint32_t q, std::uint16_t model, std::uint32_t budget, std::uint16_t sample, const std::string& answer,
             float score, std::uint32_t tokens, const std::string& a, const std::string& b) {
        const auto g = m.generation(q, model, budget, sample, answer, score, "lenient");
        m.s.generations.output_tokens[g] = tokens;
        auto& j = m.s.judgments;
        for (const auto& [judge, scale, reply] : {std::tuple{"a", judge_scale::rubric, a}, std::tuple{"b", judge_scale::ten, b}}) {
            j.generation.push_back(g);
            j.judge.push_back(j.judge_index(judge));
            j.scale.push_back(scale);
            j.reply.push_back(reply);
        }
    }
    study_maker m;
};

judge_bias_options thresholds(double concise, double verbose) {
    judge_bias_options o;
    o.concise_tokens = concise;
    o.verbose_tokens = verbose;
    o.resamples = 50;
    return o;
}

} // namespace

TEST_CASE("judge_bias: Cohen's kappa on known tables", "[judge_bias]") {
    // 50 items: observed agreement .7, both raters' pass shares .5 and .6, chance .5.
    CHECK(cohen_kappa(20, 5, 10, 15) == Approx(0.4));
    CHECK(cohen_kappa(10, 0, 0, 10) == Approx(1.0));
    CHECK(cohen_kappa(0, 10, 10, 0) == Approx(-1.0));
    // Both raters always pass: chance agreement is 1, kappa undefined.
    CHECK(std::isnan(cohen_kappa(10, 0, 0, 0)));
    CHECK(std::isnan(cohen_kappa(0, 0, 0, 0)));
}

TEST_CASE("judge_bias: every measure on a hand-checked study", "[judge_bias]") {
    const biased_study b;
    const judge_bias_report r = measure_judge_bias(b.m.s, thresholds(100, 300));
    CHECK(r.budget == 100);
    CHECK(r.generations == 8);   // gens 0-7: 8 is cut, 9 is at budget 50
    CHECK(r.gold_graded == 7);   // gen 7 extracted no answer
    REQUIRE(r.judges.size() == 2);

    const judge_bias& a = r.judges[0];
    CHECK(a.judge == "a");
    CHECK(a.replies == 8);
    CHECK(a.parse_failures == 0);
    CHECK(a.correct == 4);
    CHECK(a.wrong == 3);
    // Correct: x = .5 .5 2 4, y = 1 0 1 1 -> slope 1.25 / 8.25; wrong: x = .5 4 2, y = 0 1 0 -> 11/37.
    CHECK(a.slope_correct.value == Approx(5.0 / 33.0));
    CHECK(a.slope_wrong.value == Approx(11.0 / 37.0));
    CHECK(a.concise_correct_pass.n == 2);
    CHECK(a.concise_correct_pass.k == 1);
    CHECK(a.concise_correct_pass.value.value == Approx(0.5));
    CHECK(a.other_correct_pass.value.value == Approx(1.0));
    CHECK(a.verbose_wrong_pass.n == 1);
    CHECK(a.verbose_wrong_pass.value.value == Approx(1.0));
    CHECK(a.other_wrong_pass.n == 2);
    CHECK(a.other_wrong_pass.value.value == Approx(0.0));
    CHECK(a.concise_penalty.value == Approx(0.5));
    CHECK(a.verbose_reward.value == Approx(1.0));
    // Against exact match: pass&right 3, pass&wrong 1, fail&right 1, fail&wrong 2.
    CHECK(a.with_exact.n == 7);
    CHECK(a.with_exact.agree.value == Approx(5.0 / 7.0));
    CHECK(a.with_exact.kappa.value == Approx(5.0 / 12.0));

    const judge_bias& jb = r.judges[1];
    CHECK(jb.replies == 8);
    CHECK(jb.parse_failures == 1);   // gen 6 has no verdict: out of b's measures
    CHECK(jb.correct == 4);
    CHECK(jb.wrong == 2);
    CHECK(jb.concise_correct_pass.value.value == Approx(1.0));
    CHECK(jb.other_correct_pass.value.value == Approx(0.5));
    CHECK(jb.concise_penalty.value == Approx(-1.0));  // b favours short right answers
    CHECK(jb.verbose_reward.value == Approx(0.0));
    CHECK(jb.with_exact.n == 6);
    CHECK(jb.with_exact.agree.value == Approx(5.0 / 6.0));
    CHECK(jb.with_exact.kappa.value == Approx(2.0 / 3.0));

    // a against b, wherever both gave a verdict (gen 7 included, gen 6 not): both 3,
    // a only 2, b only 1, neither 1.
    REQUIRE(r.pairs.size() == 1);
    CHECK(r.pairs[0].first == "a");
    CHECK(r.pairs[0].second == "b");
    CHECK(r.pairs[0].judges.n == 7);
    CHECK(r.pairs[0].judges.agree.value == Approx(4.0 / 7.0));
    CHECK(r.pairs[0].judges.kappa.value == Approx(2.0 / 23.0));

    // Every interval holds its estimate.
    for (const interval& iv : {a.slope_correct, a.concise_penalty, jb.with_exact.kappa, r.pairs[0].judges.agree}) {
        CHECK(iv.low <= iv.value);
        CHECK(iv.value <= iv.high);
    }
    CHECK(r.planted.empty());  // not a simulated study
}

TEST_CASE("judge_bias: default thresholds are the quartiles of the graded lengths", "[judge_bias]") {
    const biased_study b;
    judge_bias_options o;
    o.resamples = 0;
    const judge_bias_report r = measure_judge_bias(b.m.s, o);
    // Lengths of gens 0-6 sorted: 50 50 50 200 200 400 400; the quartiles by the one
    // percentile rule of the core (stats/interval.h), the nearest rank of q (n - 1):
    // ranks 1.5 and 4.5 round to 2 and 5.
    CHECK(r.concise_tokens == 50);
    CHECK(r.verbose_tokens == 400);
    // Nothing is under 50 tokens: no concise answers, so no penalty to estimate.
    CHECK(r.judges[0].concise_correct_pass.n == 0);
    CHECK(std::isnan(r.judges[0].concise_penalty.value));
    // Without resamples an interval is its estimate.
    CHECK(r.judges[0].slope_correct.low == r.judges[0].slope_correct.value);
}

TEST_CASE("judge_bias: the budget is chosen, and refused when the study lacks it", "[judge_bias]") {
    const biased_study b;
    judge_bias_options o = thresholds(100, 300);
    o.budget = 50;
    const judge_bias_report r = measure_judge_bias(b.m.s, o);
    CHECK(r.generations == 1);
    CHECK(r.judges[0].correct == 1);
    o.budget = 64;
    CHECK_THROWS_AS(measure_judge_bias(b.m.s, o), std::invalid_argument);
    study_maker plain;
    plain.model("m0");
    plain.query("q0", plain.benchmark("quiz", task_kind::mcq), "A");
    plain.generation(0, 0, 100, 0, "A", 1, "lenient");
    CHECK_THROWS_WITH(measure_judge_bias(plain.s), Catch::Contains("no judge grades"));
}

TEST_CASE("judge_bias: the planted knobs come from a simulated study's provenance", "[judge_bias]") {
    biased_study b;
    b.m.s.info.simulated = true;
    b.m.s.info.provenance =
        R"({"judges":[{"name":"a","concise_tokens":90,"concise_penalty":0.45,"verbose_tokens":300,"verbose_reward":0.2,)"
        R"("harsh_share":0.25,"harsh_penalty":0.85,"noise":0.03}],"planted":{"judges":[{"name":"a",)"
        R"("full_answers_failed_share":0.3,"wrong_answers_passed_share":0.01}]}})";
    const auto planted = planted_judges(b.m.s);
    REQUIRE(planted.size() == 1);
    CHECK(planted[0].judge == "a");
    CHECK(planted[0].concise_penalty == 0.45);
    CHECK(planted[0].verbose_tokens == 300);
    CHECK(planted[0].noise == 0.03);
    REQUIRE(planted[0].full_answers_failed_share);
    CHECK(*planted[0].full_answers_failed_share == 0.3);
    const auto text = to_text(measure_judge_bias(b.m.s, thresholds(100, 300)));
    CHECK_THAT(text, Catch::Contains("planted: concise_penalty 0.450 under 90 tokens"));
    b.m.s.info.simulated = false;
    CHECK(planted_judges(b.m.s).empty());
}

TEST_CASE("judge_bias: on a simulated P2 pool the measures recover the planted verbosity biases", "[judge_bias][simulate]") {
    study s = sim::simulate(sim::p2_artifacts_pool(5, 0.05));
    grade_extractions(s);
    grade_judgments(s);
    const auto planted = planted_judges(s);
    REQUIRE(planted.size() == 2);
    const planted_judge& verbose = planted[0];
    REQUIRE(verbose.concise_penalty > 0);
    REQUIRE(verbose.verbose_reward > 0);
    judge_bias_options o = thresholds(verbose.concise_tokens, verbose.verbose_tokens);
    o.resamples = 200;
    const judge_bias_report r = measure_judge_bias(s, o);
    REQUIRE(r.judges.size() == 2);
    const judge_bias& v = r.judges[0];
    const judge_bias& c = r.judges[1];
    CHECK(v.judge == verbose.judge);
    // The biased judge: both planted rates inside the intervals, and its pass rate
    // rising with length among right and among wrong answers.
    CHECK(v.concise_penalty.low <= verbose.concise_penalty);
    CHECK(verbose.concise_penalty <= v.concise_penalty.high);
    CHECK(v.verbose_reward.low <= verbose.verbose_reward);
    CHECK(verbose.verbose_reward <= v.verbose_reward.high);
    CHECK(v.slope_correct.low > 0);
    // The calibrated judge has no length bias planted: its intervals hold zero.
    CHECK(planted[1].concise_penalty == 0);
    CHECK(c.concise_penalty.low <= 0);
    CHECK(0 <= c.concise_penalty.high);
    CHECK(c.verbose_reward.low <= 0);
    CHECK(0 <= c.verbose_reward.high);
    // It agrees with exact match better than the biased judge does.
    CHECK(c.with_exact.kappa.value > v.with_exact.kappa.value);
}
