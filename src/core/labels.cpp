#include "labels.h"

#include "extract.h"
#include "judge.h"

#include <algorithm>
#include <stdexcept>
#include <string>

namespace headroom {

study_index::study_index(const study& s) : s_(s), budgets_(s.budgets()) {
    const auto& g = s.generations;
    const std::size_t pairs = s.queries.size() * s.models.size();
    const std::size_t cells = pairs * budgets_.size();
    // Counting sort of generations by (budget, query, model), then by sample inside a cell.
    std::vector<std::uint32_t> cell_of(g.size());
    offsets_.assign(cells + 1, 0);
    for (std::size_t i = 0; i < g.size(); ++i) {
        const auto b = static_cast<std::size_t>(std::lower_bound(budgets_.begin(), budgets_.end(), g.budget[i]) -
                                                budgets_.begin());
        cell_of[i] = static_cast<std::uint32_t>(b * pairs + g.query[i] * s.models.size() + g.model[i]);
        ++offsets_[cell_of[i] + 1];
    }
    for (std::size_t c = 0; c < cells; ++c) offsets_[c + 1] += offsets_[c];
    order_.resize(g.size());
    std::vector<std::uint32_t> fill(offsets_.begin(), offsets_.end() - 1);
    for (std::uint32_t i = 0; i < g.size(); ++i) order_[fill[cell_of[i]]++] = i;
    for (std::size_t c = 0; c < cells; ++c)
        std::sort(order_.begin() + offsets_[c], order_.begin() + offsets_[c + 1],
                  [&](std::uint32_t a, std::uint32_t b) { return g.sample[a] < g.sample[b]; });

    const auto& t = s.grades;
    grade_rows_.assign(t.graders.size(), std::vector<std::int32_t>(g.size(), -1));
    for (std::size_t r = 0; r < t.size(); ++r) grade_rows_[t.grader[r]][t.generation[r]] = static_cast<std::int32_t>(r);
}

std::span<const std::uint32_t> study_index::samples(std::uint32_t query, std::uint16_t model,
                                                    std::uint32_t budget) const {
    auto it = std::lower_bound(budgets_.begin(), budgets_.end(), budget);
    if (it == budgets_.end() || *it != budget) return {};
    const std::size_t pairs = s_.queries.size() * s_.models.size();
    const std::size_t cell = static_cast<std::size_t>(it - budgets_.begin()) * pairs + query * s_.models.size() + model;
    return {order_.data() + offsets_[cell], offsets_[cell + 1] - offsets_[cell]};
}

std::vector<std::uint32_t> study_index::queries_of_benchmark(std::uint32_t benchmark) const {
    std::vector<std::uint32_t> out;
    for (std::uint32_t q = 0; q < s_.queries.size(); ++q)
        if (s_.queries[q].benchmark == benchmark) out.push_back(q);
    return out;
}

double pass_at_k(int n, int c, int k) {
    if (n <= 0 || k <= 0) return 0.0;
    if (k > n) k = n;
    if (n - c < k) return 1.0;
    // C(n-c, k) / C(n, k) = prod_{i=0}^{k-1} (n-c-i) / (n-i)
    double ratio = 1.0;
    for (int i = 0; i < k; ++i) ratio *= static_cast<double>(n - c - i) / static_cast<double>(n - i);
    return 1.0 - ratio;
}

namespace {

// The majority answer of `answers` decides the label (P1's MAJ@k). INVALID (no answer
// extracted) is an answer like any other and can win the vote.
bool majority_correct(std::span<const std::string_view> answers, std::string_view gold, task_kind kind,
                      tie_rule ties) {
    // Few samples (k <= a few dozen): quadratic counting beats hashing here.
    std::size_t best = 0, best_votes = 0;
    bool tied = false;
    for (std::size_t i = 0; i < answers.size(); ++i) {
        bool seen_before = false;
        for (std::size_t j = 0; j < i && !seen_before; ++j) seen_before = answers[j] == answers[i];
        if (seen_before) continue;
        std::size_t votes = 0;
        for (std::size_t j = i; j < answers.size(); ++j) votes += answers[j] == answers[i];
        if (votes > best_votes) {
            best = i;
            best_votes = votes;
            tied = false;
        } else if (votes == best_votes) {
            tied = true;  // first_seen keeps the earlier answer
        }
    }
    if (answers.empty()) return false;
    if (ties == tie_rule::plurality && tied) return false;
    return answer_matches(kind, answers[best], gold);
}

} // namespace

namespace {

// The graders one protocol reads, resolved once.
struct label_sources {
    std::optional<std::uint16_t> extraction, exec;
    std::vector<std::uint16_t> judges;      // judge graders in the study's judge order
    std::vector<judge_scale> judge_scales;
};

label_sources resolve(const study& s, const protocol& p) {
    label_sources src;
    const auto& t = s.grades;
    src.extraction = t.find_grader(to_string(p.extractor));
    src.exec = t.find_grader("exec:" + std::string(to_string(p.extractor)));
    for (const auto& name : s.judgments.judges) {
        if (auto g = t.find_grader("judge:" + name)) {
            src.judges.push_back(*g);
            const std::size_t j = static_cast<std::size_t>(&name - s.judgments.judges.data());
            judge_scale scale = judge_scale::rubric;
            for (std::size_t i = 0; i < s.judgments.size(); ++i)
                if (s.judgments.judge[i] == j) { scale = s.judgments.scale[i]; break; }
            src.judge_scales.push_back(scale);
        }
    }
    return src;
}

struct sample_verdict {
    std::string_view answer;  // what MAJ@k votes on
    bool correct = false;
};

} // namespace

label_matrix compute_labels(const study& s, const study_index& index, const protocol& p) {
    const auto& budgets = index.budgets();
    if (!std::binary_search(budgets.begin(), budgets.end(), p.budget))
        throw std::invalid_argument("the study has no generations at budget " + std::to_string(p.budget));
    const auto& t = s.grades;
    const label_sources src = resolve(s, p);
    if (p.judges == judge_mode::dual && src.judges.size() == 1)
        throw std::invalid_argument("dual judging needs two judges; the study has one");

    label_matrix labels;
    labels.queries = s.queries.size();
    labels.models = s.models.size();
    labels.value.assign(labels.queries * labels.models, 0.0);

    auto grade_of = [&](std::uint16_t grader, std::uint32_t gen) {
        const std::int32_t row = index.grade_row(grader, gen);
        if (row < 0)
            throw std::invalid_argument("generation '" + s.generations.id[gen] + "' has no '" + t.graders[grader] +
                                        "' grade (run `headroom grade`)");
        return static_cast<std::size_t>(row);
    };
    // A judge's verdict: 1 pass, 0 fail, -1 no usable verdict.
    auto judge_says = [&](std::size_t j, std::uint32_t gen) {
        const std::size_t row = grade_of(src.judges[j], gen);
        if (t.status[row] != grade_status::ok) return -1;
        return judge_passes(src.judge_scales[j], t.score[row]) ? 1 : 0;
    };
    auto judged = [&](std::uint32_t gen) {
        const int first = judge_says(0, gen);
        if (p.judges == judge_mode::single || src.judges.size() < 2) {
            labels.judge_parse_failures += first < 0;
            return first == 1;
        }
        const int second = judge_says(1, gen);
        labels.judge_parse_failures += (first < 0) + (second < 0);
        if (first >= 0 && second >= 0 && first != second) ++labels.judge_disputes;
        if (second >= 0) return second == 1;  // agreement, or a dispute the second judge settles
        return first == 1;
    };

    std::vector<std::string_view> answers;
    std::vector<bool> correct;
    for (std::uint32_t q = 0; q < s.queries.size(); ++q) {
        const query& qu = s.queries[q];
        const task_kind kind = s.benchmarks[qu.benchmark].kind;
        const bool has_judges = !src.judges.empty();
        const bool exact = kind != task_kind::open && (p.grounding || !has_judges);
        std::optional<std::uint16_t> exact_grader = kind == task_kind::code ? src.exec : src.extraction;
        if (exact && !exact_grader)
            throw std::invalid_argument("the study has no '" +
                                        std::string(kind == task_kind::code ? "exec:" : "") +
                                        std::string(to_string(p.extractor)) + "' grades (run `headroom grade`)");
        if (!exact && !has_judges)
            throw std::invalid_argument("benchmark '" + s.benchmarks[qu.benchmark].id +
                                        "' is open-ended and the study has no judge grades");
        // Votes are over extracted answers where exact match decides, else over pass/fail.
        const bool vote_on_answers = exact && kind != task_kind::code;
        for (std::uint16_t m = 0; m < s.models.size(); ++m) {
            auto gens = index.samples(q, m, p.budget);
            const std::size_t k = (p.k <= 0 || static_cast<std::size_t>(p.k) > gens.size())
                                      ? gens.size() : static_cast<std::size_t>(p.k);
            if (p.aggregate == aggregation::greedy) gens = gens.first(std::min<std::size_t>(1, gens.size()));
            else if (p.aggregate == aggregation::majority) gens = gens.first(k);
            answers.clear();
            correct.clear();
            for (std::uint32_t gen : gens) {
                if (exact) {
                    const std::size_t row = grade_of(*exact_grader, gen);
                    correct.push_back(t.score[row] >= 0.5f);
                    answers.push_back(vote_on_answers ? t.answer[row] : (correct.back() ? "pass" : "fail"));
                } else {
                    correct.push_back(judged(gen));
                    answers.push_back(correct.back() ? "pass" : "fail");
                }
            }
            const int n = static_cast<int>(correct.size());
            const int c = static_cast<int>(std::count(correct.begin(), correct.end(), true));
            double label = 0;
            switch (p.aggregate) {
            case aggregation::greedy: label = c > 0 ? 1.0 : 0.0; break;
            case aggregation::majority:
                label = vote_on_answers ? (majority_correct(answers, qu.gold, kind, p.ties) ? 1.0 : 0.0)
                                        : (2 * c > n ? 1.0 : 0.0);
                break;
            case aggregation::pass_at_k: label = pass_at_k(n, c, static_cast<int>(k)); break;
            case aggregation::mean: label = n ? static_cast<double>(c) / n : 0.0; break;
            }
            labels.value[q * labels.models + m] = label;
        }
    }
    return labels;
}

} // namespace headroom
