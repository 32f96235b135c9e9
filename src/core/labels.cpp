#include "labels.h"

#include "extract.h"

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

label_matrix compute_labels(const study& s, const study_index& index, const protocol& p) {
    const auto& budgets = index.budgets();
    if (!std::binary_search(budgets.begin(), budgets.end(), p.budget))
        throw std::invalid_argument("the study has no generations at budget " + std::to_string(p.budget));
    const auto& t = s.grades;
    const auto extractor_grader = t.find_grader(to_string(p.extractor));
    const auto exec_grader = t.find_grader("exec");

    label_matrix labels;
    labels.queries = s.queries.size();
    labels.models = s.models.size();
    labels.value.assign(labels.queries * labels.models, 0.0);

    std::vector<std::string_view> answers;
    std::vector<bool> correct;
    for (std::uint32_t q = 0; q < s.queries.size(); ++q) {
        const query& qu = s.queries[q];
        const task_kind kind = s.benchmarks[qu.benchmark].kind;
        std::optional<std::uint16_t> grader;
        if (kind == task_kind::mcq || kind == task_kind::numeric) grader = extractor_grader;
        else if (kind == task_kind::code) grader = exec_grader;
        else
            throw std::invalid_argument("benchmark '" + s.benchmarks[qu.benchmark].id +
                                        "' is open-ended: its labels need judge grades, which this build "
                                        "does not turn into labels yet");
        if (!grader)
            throw std::invalid_argument("the study has no '" +
                                        std::string(kind == task_kind::code ? "exec" : to_string(p.extractor)) +
                                        "' grades (run `headroom grade`)");
        for (std::uint16_t m = 0; m < s.models.size(); ++m) {
            auto gens = index.samples(q, m, p.budget);
            const std::size_t k = (p.k <= 0 || static_cast<std::size_t>(p.k) > gens.size())
                                      ? gens.size() : static_cast<std::size_t>(p.k);
            if (p.aggregate == aggregation::greedy) gens = gens.first(std::min<std::size_t>(1, gens.size()));
            else if (p.aggregate == aggregation::majority) gens = gens.first(k);
            answers.clear();
            correct.clear();
            for (std::uint32_t gen : gens) {
                const std::int32_t row = index.grade_row(*grader, gen);
                if (row < 0)
                    throw std::invalid_argument("generation '" + s.generations.id[gen] + "' has no '" +
                                                t.graders[*grader] + "' grade");
                correct.push_back(t.score[static_cast<std::size_t>(row)] >= 0.5f);
                answers.push_back(kind == task_kind::code ? (correct.back() ? "pass" : "fail")
                                                          : t.answer[static_cast<std::size_t>(row)]);
            }
            const int n = static_cast<int>(correct.size());
            const int c = static_cast<int>(std::count(correct.begin(), correct.end(), true));
            double label = 0;
            switch (p.aggregate) {
            case aggregation::greedy: label = c > 0 ? 1.0 : 0.0; break;
            case aggregation::majority:
                label = kind == task_kind::code
                            ? (2 * c > n ? 1.0 : 0.0)
                            : (majority_correct(answers, qu.gold, kind, p.ties) ? 1.0 : 0.0);
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
