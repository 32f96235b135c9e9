// labels.h: where a label comes from when a study has judges. Closed tasks follow the
// judges unless grounding is on (then exact match, or the tests for code); open tasks
// always follow the judges; single takes the study's first judge, dual takes both and
// settles disputes by the second. One study of five queries and two models, written
// by hand; every label below is read off the table in judged_study().
#include "core/labels/labels.h"

#include "core/grading/grade.h"

#include "test_support.h"

#include <stdexcept>
#include <string>
#include <vector>

using namespace headroom;
using namespace headroom::test;

namespace {

// One generation per (query, model) at budget 100. For each: the exact-match grades
// (strict/lenient answers, or exec pass/fail), and the replies of judge "a" (rubric,
// passes at 2) and judge "b" (ten-point, passes at 7).
//
//  gen   query        model  strict  lenient   a reply        -> a     b reply             -> b
//  0     q0 mcq B     m0     B  1    B  1      [[2]]          pass     Rating: 8           pass
//  1     q0           m1     -  0    B  1      [[1]]          fail     Rating: 9           pass   dispute
//  2     q1 mcq C     m0     A  0    A  0      [[2]]          pass     Rating: 3           fail   dispute
//  3     q1           m1     C  1    C  1      (none)         pf       Rating: 7           pass
//  4     q2 code      m0     exec:strict invalid, exec:lenient passed
//                                              [[2]]          pass     Rating: 8 ... 4     pf
//  5     q2           m1     exec:strict failed, exec:lenient failed
//                                              [[0]]          fail     Rating: 2           fail   (a rubric 2 would pass)
//  6     q3 open      m0                       [[2]]          pass     Rating: 5           fail   dispute
//  7     q3           m1                       [[1]]          fail     Rating: 10          pass   dispute
//  8     q4 open      m0                       (none)         pf       (none)              pf
//  9     q4           m1                       [[2]]          pass     [[7]]               pass
//
// pf = parse failure (no verdict or several).
struct judged_study {
    explicit judged_study(bool b_first = false) {
        const auto quiz = m.benchmark("quiz", task_kind::mcq);
        const auto code = m.benchmark("code", task_kind::code);
        const auto chat = m.benchmark("chat", task_kind::open);
        const auto q0 = m.query("q0", quiz, "B");
        const auto q1 = m.query("q1", quiz, "C");
        const auto q2 = m.query("q2", code, "");
        const auto q3 = m.query("q3", chat, "");
        const auto q4 = m.query("q4", chat, "");
        const auto m0 = m.model("m0");
        const auto m1 = m.model("m1");
        closed(q0, m0, "B", 1, "B", 1, "[[2]]", "Rating: 8");
        closed(q0, m1, "", 0, "B", 1, "[[1]]", "Rating: 9");
        closed(q1, m0, "A", 0, "A", 0, "[[2]]", "Rating: 3");
        closed(q1, m1, "C", 1, "C", 1, "I cannot settle on a score.", "Rating: 7");
        coded(q2, m0, grade_status::invalid, grade_status::passed, "[[2]]", "Rating: 8, or arguably Rating: 4.");
        coded(q2, m1, grade_status::failed, grade_status::failed, "[[0]]", "Rating: 2");
        open(q3, m0, "[[2]]", "Rating: 5");
        open(q3, m1, "[[1]]", "Rating: 10");
        open(q4, m0, "[[1]] or [[2]]", "No score.");
        open(q4, m1, "[[2]]", "[[7]]");
        // The judges' order in the study is the order of their first reply.
        auto& j = m.s.judgments;
        const std::uint32_t generations = static_cast<std::uint32_t>(m.s.generations.size());
        for (std::uint32_t g = 0; g < generations; ++g) {
            if (b_first) {
                reply(g, "b", judge_scale::ten, b_replies[g]);
                reply(g, "a", judge_scale::rubric, a_replies[g]);
            } else {
                reply(g, "a", judge_scale::rubric, a_replies[g]);
                reply(g, "b", judge_scale::ten, b_replies[g]);
            }
        }
        REQUIRE(j.judges == std::vector<std::string>{b_first ? "b" : "a", b_first ? "a" : "b"});
        grade_judgments(m.s);
    }

    std::uint32_t generation(std::uint32_t q, std::uint16_t model, const std::string& a, const std::string& b) {
        auto& g = m.s.generations;
        const auto row = static_cast<std::uint32_t>(g.size());
        g.id.push_back("g" + std::to_string(row));
        g.query.push_back(q);
        g.model.push_back(model);
        g.budget.push_back(100);
        g.sample.push_back(0);
        g.finish.push_back(finish_reason::stop);
        g.input_tokens.push_back(10);
        g.output_tokens.push_back(10);
        g.latency_ms.push_back(1);
        g.text.push_back("an answer");
        a_replies.push_back(a);
        b_replies.push_back(b);
        return row;
    }
    void closed(std::uint32_t q, std::uint16_t model, const std::string& strict, float strict_score,
                const std::string& lenient, float lenient_score, const std::string& a, const std::string& b) {
        const auto g = generation(q, model, a, b);
        m.grade(g, "strict", strict, strict_score);
        m.grade(g, "lenient", lenient, lenient_score);
    }
    void coded(std::uint32_t q, std::uint16_t model, grade_status strict, grade_status lenient, const std::string& a,
               const std::string& b) {
        const auto g = generation(q, model, a, b);
        exec(g, "exec:strict", strict);
        exec(g, "exec:lenient", lenient);
    }
    void open(std::uint32_t q, std::uint16_t model, const std::string& a, const std::string& b) { generation(q, model, a, b); }
    void exec(std::uint32_t g, const std::string& grader, grade_status status) {
        auto& t = m.s.grades;
        t.generation.push_back(g);
        t.grader.push_back(t.grader_index(grader));
        t.status.push_back(status);
        t.score.push_back(status == grade_status::passed ? 1.0f : 0.0f);
        t.rule.push_back(t.rule_index("made"));
        t.answer.push_back("");
        t.detail.push_back("");
    }
    void reply(std::uint32_t g, const std::string& judge, judge_scale scale, const std::string& text) {
        auto& j = m.s.judgments;
        j.generation.push_back(g);
        j.judge.push_back(j.judge_index(judge));
        j.scale.push_back(scale);
        j.reply.push_back(text);
    }

    label_matrix labels(const protocol& p) const {
        const study_index index(m.s);
        return compute_labels(m.s, index, p);
    }

    study_maker m;
    std::vector<std::string> a_replies, b_replies;
};

protocol make(extractor e, judge_mode j, bool grounding) {
    protocol p;
    p.budget = 100;
    p.extractor = e;
    p.judges = j;
    p.grounding = grounding;
    p.aggregate = aggregation::greedy;
    return p;
}

// Row-major: {q0m0, q0m1, q1m0, q1m1, q2m0, q2m1, q3m0, q3m1, q4m0, q4m1}.
using labels_t = std::vector<double>;

} // namespace

TEST_CASE("labels_judged: single judge, no grounding: the first judge decides every task", "[labels][judges]") {
    judged_study st;
    for (auto e : {extractor::strict, extractor::lenient}) {
        INFO("extractor " << to_string(e));
        const auto l = st.labels(make(e, judge_mode::single, false));
        // Judge a: pass fail | pass pf | pass fail | pass fail | pf pass
        CHECK(l.value == labels_t{1, 0, 1, 0, 1, 0, 1, 0, 0, 1});
        CHECK(l.judge_parse_failures == 2);  // g3 and g8
        CHECK(l.judge_disputes == 0);        // one judge never disputes
    }
}

TEST_CASE("labels_judged: dual judges, no grounding: agreement stands, the second judge settles", "[labels][judges]") {
    judged_study st;
    const auto l = st.labels(make(extractor::strict, judge_mode::dual, false));
    // g0 agree pass 1; g1 dispute -> b pass 1; g2 dispute -> b fail 0; g3 a pf, b pass 1;
    // g4 b pf, a pass stands 1; g5 both fail 0 (b's "Rating: 2" is a ten-point fail);
    // g6 dispute -> b fail 0; g7 dispute -> b pass 1; g8 both pf 0; g9 agree pass 1.
    CHECK(l.value == labels_t{1, 1, 0, 1, 1, 0, 0, 1, 0, 1});
    CHECK(l.judge_parse_failures == 4);  // g3 a, g4 b, g8 a and b
    CHECK(l.judge_disputes == 4);        // g1, g2, g6, g7
}

TEST_CASE("labels_judged: grounding uses exact match on closed tasks and the tests on code", "[labels][judges]") {
    judged_study st;
    {
        const auto l = st.labels(make(extractor::strict, judge_mode::single, true));
        // q0 strict 1 0; q1 strict 0 1; q2 exec:strict invalid, failed: 0 0; q3, q4 judge a.
        CHECK(l.value == labels_t{1, 0, 0, 1, 0, 0, 1, 0, 0, 1});
        CHECK(l.judge_parse_failures == 1);  // only open tasks consult the judge: g8
        CHECK(l.judge_disputes == 0);
    }
    {
        const auto l = st.labels(make(extractor::lenient, judge_mode::single, true));
        // q0 lenient 1 1; q1 0 1; q2 exec:lenient passed, failed: 1 0.
        CHECK(l.value == labels_t{1, 1, 0, 1, 1, 0, 1, 0, 0, 1});
    }
    {
        // The corrected protocol: lenient, dual, grounding.
        const auto l = st.labels(make(extractor::lenient, judge_mode::dual, true));
        CHECK(l.value == labels_t{1, 1, 0, 1, 1, 0, 0, 1, 0, 1});
        CHECK(l.judge_parse_failures == 2);  // g8 a and b
        CHECK(l.judge_disputes == 2);        // g6, g7
    }
}

TEST_CASE("labels_judged: single means the study's first judge, whatever its scale", "[labels][judges]") {
    judged_study st(/*b_first=*/true);
    const auto single = st.labels(make(extractor::strict, judge_mode::single, false));
    // Judge b: pass pass | fail pass | pf fail | fail pass | pf pass
    CHECK(single.value == labels_t{1, 1, 0, 1, 0, 0, 0, 1, 0, 1});
    CHECK(single.judge_parse_failures == 2);  // g4 and g8
    // Dual with b first: a is now the second judge and settles disputes.
    //   g0 1; g1 a fail 0; g2 a pass 1; g3 a pf, b pass 1; g4 b pf, a pass 1; g5 0;
    //   g6 a pass 1; g7 a fail 0; g8 0; g9 1.
    const auto dual = st.labels(make(extractor::strict, judge_mode::dual, false));
    CHECK(dual.value == labels_t{1, 0, 1, 1, 1, 0, 1, 0, 0, 1});
    CHECK(dual.judge_parse_failures == 4);
    CHECK(dual.judge_disputes == 4);
}

TEST_CASE("labels_judged: aggregation over judged samples votes on pass and fail", "[labels][judges]") {
    judged_study st;
    // Two more samples of (q3, m0): judge a passes neither, judge b passes both.
    auto& g = st.m.s.generations;
    for (std::uint16_t sample : {1, 2}) {
        const auto row = st.generation(3, 0, "[[0]]", "Rating: 9");
        g.sample[row] = sample;
    }
    st.m.s.judgments = {};
    for (std::uint32_t r = 0; r < g.size(); ++r) {
        st.reply(r, "a", judge_scale::rubric, st.a_replies[r]);
        st.reply(r, "b", judge_scale::ten, st.b_replies[r]);
    }
    grade_judgments(st.m.s);
    protocol p = make(extractor::strict, judge_mode::single, false);
    // (q3, m0) under judge a: pass, fail, fail.
    p.aggregate = aggregation::mean;
    CHECK(st.labels(p).at(3, 0) == Approx(1.0 / 3.0));
    p.aggregate = aggregation::majority;
    p.k = 3;
    CHECK(st.labels(p).at(3, 0) == 0.0);  // 1 pass of 3
    p.aggregate = aggregation::greedy;
    CHECK(st.labels(p).at(3, 0) == 1.0);  // sample 0 only
    // Under dual judging b settles all three: fail, pass, pass.
    p.judges = judge_mode::dual;
    p.aggregate = aggregation::majority;
    const auto l = st.labels(p);
    CHECK(l.at(3, 0) == 1.0);
    CHECK(l.judge_disputes == 4 + 2);  // the two new samples are disputes too
}

TEST_CASE("labels_judged: without judge grades closed tasks use exact match and open tasks refuse", "[labels][judges]") {
    judged_study st;
    // Drop every judge grade and reply.
    study s = st.m.s;
    s.judgments = {};
    grade_table kept;
    for (std::size_t r = 0; r < s.grades.size(); ++r) {
        const std::string& name = s.grades.graders[s.grades.grader[r]];
        if (name.rfind("judge:", 0) == 0) continue;
        kept.generation.push_back(s.grades.generation[r]);
        kept.grader.push_back(kept.grader_index(name));
        kept.status.push_back(s.grades.status[r]);
        kept.score.push_back(s.grades.score[r]);
        kept.rule.push_back(kept.rule_index(s.grades.rules[s.grades.rule[r]]));
        kept.answer.push_back(s.grades.answer[r]);
        kept.detail.push_back(s.grades.detail[r]);
    }
    s.grades = kept;
    {
        const study_index index(s);
        CHECK_THROWS_WITH(compute_labels(s, index, make(extractor::strict, judge_mode::single, false)),
                          Catch::Contains("benchmark 'chat' is open-ended and the study has no judge grades"));
    }
    // Without the open queries (q3, q4 and their generations g6..g9), closed tasks are
    // exact-matched even with grounding off.
    s.queries.resize(3);
    auto& g = s.generations;
    g.query.resize(6);
    g.id.resize(6);
    g.model.resize(6);
    g.budget.resize(6);
    g.sample.resize(6);
    g.finish.resize(6);
    g.input_tokens.resize(6);
    g.output_tokens.resize(6);
    g.latency_ms.resize(6);
    g.text = {};
    for (int i = 0; i < 6; ++i) g.text.push_back("an answer");
    for (auto gen : s.grades.generation) REQUIRE(gen < 6);
    for (bool grounding : {false, true}) {
        INFO("grounding " << grounding);
        const study_index index(s);
        const auto l = compute_labels(s, index, make(extractor::strict, judge_mode::single, grounding));
        CHECK(l.value == labels_t{1, 0, 0, 1, 0, 0});
        CHECK(l.judge_parse_failures == 0);
        // Dual with no judges at all is not an error: no task needs them.
        const auto d = compute_labels(s, index, make(extractor::lenient, judge_mode::dual, grounding));
        CHECK(d.value == labels_t{1, 1, 0, 1, 1, 0});
    }
}

TEST_CASE("labels_judged: missing grades are refused with std::invalid_argument", "[labels][judges]") {
    judged_study st;
    study& s = st.m.s;
    {
        // Dual judging with one judge's grades.
        study one = s;
        one.judgments.judges.pop_back();  // "b" is no longer a judge of the study
        const study_index index(one);
        CHECK_THROWS_WITH(compute_labels(one, index, make(extractor::strict, judge_mode::dual, false)),
                          Catch::Contains("dual judging needs two judges"));
        // Single is fine with one.
        CHECK(compute_labels(one, index, make(extractor::strict, judge_mode::single, false)).value ==
              labels_t{1, 0, 1, 0, 1, 0, 1, 0, 0, 1});
    }
    {
        // Grounding on code without exec grades.
        study no_exec = s;
        for (auto& name : no_exec.grades.graders)
            if (name.rfind("exec:", 0) == 0) name = "x" + name;
        const study_index index(no_exec);
        CHECK_THROWS_WITH(compute_labels(no_exec, index, make(extractor::strict, judge_mode::single, true)),
                          Catch::Contains("no 'exec:strict' grades"));
        CHECK_THROWS_AS(compute_labels(no_exec, index, make(extractor::lenient, judge_mode::dual, true)),
                        std::invalid_argument);
        // Without grounding the judges decide code, so the missing exec grades do not matter.
        CHECK_NOTHROW(compute_labels(no_exec, index, make(extractor::strict, judge_mode::single, false)));
    }
    {
        // A judged generation without its judge grade.
        study missing = s;
        const auto judge_a = *missing.grades.find_grader("judge:a");
        for (std::size_t r = 0; r < missing.grades.size(); ++r)
            if (missing.grades.grader[r] == judge_a && missing.grades.generation[r] == 7)
                missing.grades.grader[r] = missing.grades.grader_index("judge:other");
        const study_index index(missing);
        CHECK_THROWS_WITH(compute_labels(missing, index, make(extractor::strict, judge_mode::single, true)),
                          Catch::Contains("generation 'g7' has no 'judge:a' grade"));
        CHECK_THROWS_AS(compute_labels(missing, index, make(extractor::strict, judge_mode::dual, false)),
                        std::invalid_argument);
        // Budget that does not exist.
        protocol p = make(extractor::strict, judge_mode::single, true);
        p.budget = 7;
        CHECK_THROWS_WITH(compute_labels(missing, index, p), Catch::Contains("no generations at budget 7"));
    }
}
