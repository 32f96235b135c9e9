// labels.h: turning grades into labels y(q, m) under each aggregation: greedy, MAJ@k
// with both tie rules, pass@k (unbiased estimator) and mean. Studies are built in code
// with the answers of each sample given directly; every expected label is by hand.
#include "core/labels/labels.h"

#include "core/grading/extract.h"

#include "test_support.h"

#include <stdexcept>
#include <vector>

using namespace headroom;
using namespace headroom::test;

namespace {

// Samples are inserted out of order (3, 0, 4, 1, 2, ...) so that the index must sort them.
void add_samples(study_maker& m, std::uint32_t q, std::uint16_t model, std::uint32_t budget,
                 const std::vector<std::string>& answers, const std::string& gold, const std::string& grader = "strict") {
    const std::vector<std::uint16_t> order{3, 0, 4, 1, 2, 5, 6, 7, 8, 9};
    for (std::uint16_t sample : order) {
        if (sample >= answers.size()) continue;
        const std::string& a = answers[sample];
        const bool correct = grader == "exec:strict" ? a == "pass" : (!a.empty() && answer_matches(m.s.benchmarks[m.s.queries[q].benchmark].kind, a, gold));
        m.generation(q, model, budget, sample, a, correct ? 1.0f : 0.0f, grader);
    }
}

protocol with(aggregation a, int k, tie_rule ties = tie_rule::first_seen, std::uint32_t budget = 100) {
    protocol p;
    p.budget = budget;
    p.aggregate = a;
    p.k = k;
    p.ties = ties;
    return p;
}

// One mcq query (gold B) answered five times by six models.
struct vote_study {
    vote_study() {
        const auto quiz = m.benchmark("quiz", task_kind::mcq);
        const auto q = m.query("q0", quiz, "B");
        const std::vector<std::vector<std::string>> answers{
            {"B", "A", "A", "B", "C"},   // m0: B and A tie at 2; B seen first
            {"A", "B", "B", "A", "C"},   // m1: A and B tie at 2; A seen first
            {"", "", "B", "", "B"},      // m2: INVALID has 3 votes and wins
            {"B", "B", "A", "", ""},     // m3: B ties INVALID at 2; B seen first
            {"C", "B", "B", "B", "C"},   // m4: B has a majority (3)
            {"B", "C", "C", "D", "D"},   // m5: depends on k
        };
        for (std::size_t i = 0; i < answers.size(); ++i) {
            const auto model = m.model("m" + std::to_string(i));
            add_samples(m, q, model, 100, answers[i], "B");
        }
    }
    std::vector<double> labels(const protocol& p) {
        const study_index index(m.s);
        const auto l = compute_labels(m.s, index, p);
        REQUIRE(l.queries == 1);
        REQUIRE(l.models == 6);
        return l.value;
    }
    study_maker m;
};

} // namespace

TEST_CASE("labels: pass_at_k is the unbiased estimator", "[labels]") {
    CHECK(pass_at_k(5, 0, 1) == 0.0);
    CHECK(pass_at_k(5, 2, 1) == Approx(0.4));
    CHECK(pass_at_k(5, 2, 2) == Approx(0.7));     // 1 - C(3,2)/C(5,2) = 1 - 3/10
    CHECK(pass_at_k(5, 2, 3) == Approx(0.9));     // 1 - C(3,3)/C(5,3) = 1 - 1/10
    CHECK(pass_at_k(5, 2, 4) == 1.0);             // n - c < k: some draw of 4 must hit
    CHECK(pass_at_k(5, 5, 1) == 1.0);
    CHECK(pass_at_k(10, 1, 5) == Approx(0.5));    // 1 - C(9,5)/C(10,5) = 1 - 126/252
    CHECK(pass_at_k(10, 3, 2) == Approx(1.0 - 21.0 / 45.0));
    CHECK(pass_at_k(5, 2, 9) == 1.0);             // k capped at n
    CHECK(pass_at_k(0, 0, 1) == 0.0);
    CHECK(pass_at_k(5, 2, 0) == 0.0);
}

TEST_CASE("labels: MAJ@k with P1's first-seen tie rule", "[labels][majority]") {
    vote_study v;
    CHECK(v.labels(with(aggregation::majority, 5)) == std::vector<double>{1, 0, 0, 1, 1, 0});
    CHECK(v.labels(with(aggregation::majority, 0)) == std::vector<double>{1, 0, 0, 1, 1, 0});   // 0 = all samples
    CHECK(v.labels(with(aggregation::majority, 50)) == std::vector<double>{1, 0, 0, 1, 1, 0});  // capped at 5
    // k = 3: the first three samples by sample index.
    //   m0 B,A,A -> A   m1 A,B,B -> B   m2 -,-,B -> INVALID   m3 B,B,A -> B   m4 C,B,B -> B   m5 B,C,C -> C
    CHECK(v.labels(with(aggregation::majority, 3)) == std::vector<double>{0, 1, 0, 1, 1, 0});
    // k = 1 is the first sample.
    CHECK(v.labels(with(aggregation::majority, 1)) == std::vector<double>{1, 0, 0, 1, 0, 1});
    // k = 2: m0 B,A tie -> B (first seen); m1 A,B -> A; m4 C,B -> C; m5 B,C -> B.
    CHECK(v.labels(with(aggregation::majority, 2)) == std::vector<double>{1, 0, 0, 1, 0, 1});
}

TEST_CASE("labels: MAJ@k with the plurality tie rule (a tie has no winner)", "[labels][majority]") {
    vote_study v;
    // Only m4 (B with 3 of 5 votes) has a strict plurality for the gold.
    CHECK(v.labels(with(aggregation::majority, 5, tie_rule::plurality)) == std::vector<double>{0, 0, 0, 0, 1, 0});
    // k = 3: m1 (B,B over A) and m3 (B,B over A) and m4 (B,B over C) win outright.
    CHECK(v.labels(with(aggregation::majority, 3, tie_rule::plurality)) == std::vector<double>{0, 1, 0, 1, 1, 0});
    // k = 2: every pair of distinct answers ties; m3 (B,B) is unanimous.
    CHECK(v.labels(with(aggregation::majority, 2, tie_rule::plurality)) == std::vector<double>{0, 0, 0, 1, 0, 0});
    // k = 1: one vote is a plurality of one.
    CHECK(v.labels(with(aggregation::majority, 1, tie_rule::plurality)) == std::vector<double>{1, 0, 0, 1, 0, 1});
}

TEST_CASE("labels: greedy, pass@k and mean", "[labels]") {
    vote_study v;
    // Greedy: sample 0 only, whatever k says.
    CHECK(v.labels(with(aggregation::greedy, 1)) == std::vector<double>{1, 0, 0, 1, 0, 1});
    CHECK(v.labels(with(aggregation::greedy, 5)) == std::vector<double>{1, 0, 0, 1, 0, 1});
    // Correct samples per model: m0 2, m1 2, m2 2, m3 2, m4 3, m5 1 (of 5).
    CHECK(v.labels(with(aggregation::mean, 0)) == std::vector<double>{0.4, 0.4, 0.4, 0.4, 0.6, 0.2});
    const auto p1 = v.labels(with(aggregation::pass_at_k, 1));
    const auto p2 = v.labels(with(aggregation::pass_at_k, 2));
    const auto p5 = v.labels(with(aggregation::pass_at_k, 5));
    const std::vector<double> want_p1{0.4, 0.4, 0.4, 0.4, 0.6, 0.2};
    const std::vector<double> want_p2{0.7, 0.7, 0.7, 0.7, 0.9, 0.4};  // c=1: 1 - C(4,2)/C(5,2) = 0.4
    for (std::size_t m = 0; m < 6; ++m) {
        INFO("model " << m);
        CHECK(p1[m] == Approx(want_p1[m]));
        CHECK(p2[m] == Approx(want_p2[m]));
        CHECK(p5[m] == 1.0);
    }
    CHECK(v.labels(with(aggregation::pass_at_k, 0)) == std::vector<double>(6, 1.0));  // k = all
}

TEST_CASE("labels: numeric majority compares extracted answers, then the winner by value", "[labels][majority]") {
    study_maker m;
    const auto sums = m.benchmark("sums", task_kind::numeric);
    const auto q = m.query("q0", sums, "42");
    add_samples(m, q, m.model("a"), 100, {"42", "41", "42", "7", ""}, "42");
    add_samples(m, q, m.model("b"), 100, {"41", "42", "41", "42", "7"}, "42");
    add_samples(m, q, m.model("c"), 100, {"42.0", "42.0", "1"}, "42");  // a winner equal by value
    const study_index index(m.s);
    CHECK(compute_labels(m.s, index, with(aggregation::majority, 5)).value == std::vector<double>{1, 0, 1});
    CHECK(compute_labels(m.s, index, with(aggregation::majority, 4, tie_rule::first_seen)).value ==
          std::vector<double>{1, 0, 1});
    CHECK(compute_labels(m.s, index, with(aggregation::majority, 4, tie_rule::plurality)).value ==
          std::vector<double>{1, 0, 1});
}

TEST_CASE("labels: code queries vote with exec pass/fail", "[labels][majority]") {
    study_maker m;
    const auto code = m.benchmark("code", task_kind::code);
    const auto q = m.query("c0", code, "");
    add_samples(m, q, m.model("a"), 100, {"pass", "fail", "pass", "fail", "pass"}, "", "exec:strict");
    add_samples(m, q, m.model("b"), 100, {"pass", "fail", "pass", "fail", "fail"}, "", "exec:strict");
    const study_index index(m.s);
    CHECK(compute_labels(m.s, index, with(aggregation::majority, 5)).value == std::vector<double>{1, 0});
    CHECK(compute_labels(m.s, index, with(aggregation::majority, 4)).value == std::vector<double>{0, 0});  // 2 of 4 is no majority
    CHECK(compute_labels(m.s, index, with(aggregation::greedy, 1)).value == std::vector<double>{1, 1});
    CHECK(compute_labels(m.s, index, with(aggregation::mean, 0)).value == std::vector<double>{0.6, 0.4});
}

TEST_CASE("labels: budgets select their own generations, a pair with none is missing, not failed", "[labels]") {
    study_maker m;
    const auto quiz = m.benchmark("quiz", task_kind::mcq);
    const auto q0 = m.query("q0", quiz, "A");
    const auto q1 = m.query("q1", quiz, "C");
    const auto a = m.model("a");
    const auto b = m.model("b");
    add_samples(m, q0, a, 16, {"B"}, "A");   // wrong when short
    add_samples(m, q0, a, 64, {"A"}, "A");   // right when long
    add_samples(m, q1, a, 16, {"C"}, "C");
    add_samples(m, q1, a, 64, {"C"}, "C");
    add_samples(m, q0, b, 64, {"A"}, "A");   // b has no budget-16 generations at all
    const study_index index(m.s);
    CHECK(index.budgets() == std::vector<std::uint32_t>{16, 64});
    CHECK(index.samples(q0, a, 16).size() == 1);
    CHECK(index.samples(q0, b, 16).empty());
    CHECK(index.samples(q0, a, 32).empty());
    CHECK(index.queries_of_benchmark(quiz) == std::vector<std::uint32_t>{0, 1});
    // Rows are queries, columns models: {q0a, q0b, q1a, q1b}.
    const label_matrix short_budget = compute_labels(m.s, index, with(aggregation::greedy, 1, tie_rule::first_seen, 16));
    CHECK(short_budget.value == std::vector<double>{0, 0, 1, 0});
    CHECK(short_budget.present == std::vector<char>{1, 0, 1, 0});
    CHECK(short_budget.missing == 2);
    const label_matrix long_budget = compute_labels(m.s, index, with(aggregation::greedy, 1, tie_rule::first_seen, 64));
    CHECK(long_budget.value == std::vector<double>{1, 1, 1, 0});
    CHECK(long_budget.present == std::vector<char>{1, 1, 1, 0});
    CHECK(long_budget.missing == 1);
}

TEST_CASE("labels: an exec sandbox_error is no outcome: the other samples decide, or the pair is missing", "[labels]") {
    study_maker m;
    const auto code = m.benchmark("code", task_kind::code);
    const auto q = m.query("c0", code, "");
    const auto a = m.model("a");
    const auto b = m.model("b");
    add_samples(m, q, a, 100, {"fail", "pass", "pass"}, "", "exec:strict");
    add_samples(m, q, b, 100, {"pass", "pass"}, "", "exec:strict");
    // a's first sample and both of b's: the sandbox failed, not the program.
    for (std::size_t row = 0; row < m.s.grades.size(); ++row) {
        const std::uint32_t gen = m.s.grades.generation[row];
        if (m.s.generations.model[gen] == b || m.s.generations.sample[gen] == 0)
            m.s.grades.status[row] = grade_status::sandbox_error;
    }
    const study_index index(m.s);
    const label_matrix greedy = compute_labels(m.s, index, with(aggregation::greedy, 1));
    CHECK(greedy.value == std::vector<double>{1, 0});  // a's next sample (a pass) takes the place of its first
    CHECK(greedy.present == std::vector<char>{1, 0});  // b: no outcome at all, never a failure
    CHECK(greedy.missing == 1);
}

TEST_CASE("labels: a protocol the study cannot serve is refused with a reason", "[labels]") {
    study_maker m;
    const auto quiz = m.benchmark("quiz", task_kind::mcq);
    const auto q = m.query("q0", quiz, "A");
    const auto a = m.model("a");
    add_samples(m, q, a, 16, {"A", "B"}, "A");
    {
        const study_index index(m.s);
        protocol p = with(aggregation::greedy, 1, tie_rule::first_seen, 32);
        CHECK_THROWS_WITH(compute_labels(m.s, index, p), Catch::Contains("no generations at budget 32"));
        p = with(aggregation::greedy, 1, tie_rule::first_seen, 16);
        p.extractor = extractor::lenient;
        CHECK_THROWS_WITH(compute_labels(m.s, index, p), Catch::Contains("no 'lenient' grades"));
    }
    // A generation without its grade.
    m.s.generations.id.push_back("extra");
    m.s.generations.query.push_back(q);
    m.s.generations.model.push_back(a);
    m.s.generations.budget.push_back(16);
    m.s.generations.sample.push_back(2);
    m.s.generations.finish.push_back(finish_reason::stop);
    m.s.generations.input_tokens.push_back(1);
    m.s.generations.output_tokens.push_back(1);
    m.s.generations.latency_ms.push_back(1);
    m.s.generations.text.push_back("A");
    {
        const study_index index(m.s);
        CHECK_THROWS_WITH(compute_labels(m.s, index, with(aggregation::majority, 0, tie_rule::first_seen, 16)),
                          Catch::Contains("generation 'extra' has no 'strict' grade"));
        // Greedy reads sample 0 only, so it does not need the ungraded sample 2.
        CHECK(compute_labels(m.s, index, with(aggregation::greedy, 1, tie_rule::first_seen, 16)).value ==
              std::vector<double>{1});
    }
    // Open benchmarks have no labels yet.
    const auto open = m.benchmark("chat", task_kind::open);
    m.query("o0", open, "");
    {
        const study_index index(m.s);
        CHECK_THROWS_AS(compute_labels(m.s, index, with(aggregation::greedy, 1, tie_rule::first_seen, 16)),
                        std::invalid_argument);
    }
}
