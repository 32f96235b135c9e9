#include "core/labels/labels.h"

#include "core/grading/extract.h"
#include "core/grading/judge.h"
#include "core/study/judge_grades.h"

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
    for (std::uint16_t grader = 0; grader < t.graders.size(); ++grader) grade_rows_.push_back(grade_rows(t, grader, g.size()));
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
    for (const graded_judge& j : graded_judges(s)) {
        src.judges.push_back(j.grader);
        src.judge_scales.push_back(j.scale);
    }
    return src;
}

} // namespace

labeler::labeler(const study& s, const study_index& index, const protocol& p) : s_(s), index_(index), p_(p) {
    const auto& budgets = index.budgets();
    if (!std::binary_search(budgets.begin(), budgets.end(), p.budget))
        throw std::invalid_argument("the study has no generations at budget " + std::to_string(p.budget));
    const label_sources src = resolve(s, p);
    if (p.judges == judge_mode::dual && src.judges.size() == 1)
        throw std::invalid_argument("dual judging needs two judges; the study has one");
    if (!p.source.empty()) {
        source_ = s.grades.find_grader(p.source);
        if (!source_) throw std::invalid_argument("the study has no '" + p.source + "' grades");
    }
    extraction_ = src.extraction;
    exec_ = src.exec;
    judges_ = src.judges;
    judge_scales_ = src.judge_scales;
}

std::size_t labeler::grade_of(std::uint16_t grader, std::uint32_t gen) const {
    const std::int32_t row = index_.grade_row(grader, gen);
    if (row < 0)
        throw std::invalid_argument("generation '" + s_.generations.id[gen] + "' has no '" +
                                    s_.grades.graders[grader] + "' grade (run `headroom grade`)");
    return static_cast<std::size_t>(row);
}

bool labeler::judged(std::uint32_t gen) {
    const auto& t = s_.grades;
    // A judge's verdict: 1 pass, 0 fail, -1 no usable verdict.
    auto says = [&](std::size_t j) {
        const std::size_t row = grade_of(judges_[j], gen);
        if (t.status[row] != grade_status::ok) return -1;
        return judge_passes(judge_scales_[j], t.score[row]) ? 1 : 0;
    };
    const int first = says(0);
    if (p_.judges == judge_mode::single || judges_.size() < 2) {
        judge_parse_failures += first < 0;
        return first == 1;
    }
    const int second = says(1);
    judge_parse_failures += (first < 0) + (second < 0);
    if (first >= 0 && second >= 0 && first != second) ++judge_disputes;
    if (second >= 0) return second == 1;  // agreement, or a dispute the second judge settles
    return first == 1;
}

bool labeler::votes_on_answers(std::uint32_t q) const {
    if (source_) return false;  // a log's grades carry a score, not always the answer voted on
    const task_kind kind = s_.benchmarks[s_.queries[q].benchmark].kind;
    return kind != task_kind::open && kind != task_kind::code && (p_.grounding || judges_.empty());
}

std::size_t labeler::samples_read(std::size_t available) const {
    const std::size_t k = (p_.k <= 0 || static_cast<std::size_t>(p_.k) > available) ? available
                                                                                      : static_cast<std::size_t>(p_.k);
    if (p_.aggregate == aggregation::greedy) return std::min<std::size_t>(1, available);
    if (p_.aggregate == aggregation::majority) return k;
    return available;
}

void labeler::verdicts(std::uint32_t q, std::uint16_t m, std::vector<std::string_view>& answers,
                       std::vector<char>& correct, bool every_sample) {
    if (source_) {
        source_verdicts(q, m, answers, correct, every_sample);
        return;
    }
    const query& qu = s_.queries[q];
    const task_kind kind = s_.benchmarks[qu.benchmark].kind;
    const bool exact = kind != task_kind::open && (p_.grounding || judges_.empty());
    const std::optional<std::uint16_t> exact_grader = kind == task_kind::code ? exec_ : extraction_;
    if (exact && !exact_grader)
        throw std::invalid_argument("the study has no '" + std::string(kind == task_kind::code ? "exec:" : "") +
                                    std::string(to_string(p_.extractor)) + "' grades (run `headroom grade`)");
    if (!exact && judges_.empty())
        throw std::invalid_argument("benchmark '" + s_.benchmarks[qu.benchmark].id +
                                    "' is open-ended and the study has no judge grades");
    const auto& t = s_.grades;
    const auto gens = index_.samples(q, m, p_.budget);
    std::size_t wanted = every_sample ? gens.size() : samples_read(gens.size());
    for (std::uint32_t gen : gens) {
        if (wanted == 0) break;
        bool right = false;
        std::string_view answer;
        if (exact) {
            const std::size_t row = grade_of(*exact_grader, gen);
            // The sandbox failed, not the model: no outcome; the next sample takes its place.
            if (t.status[row] == grade_status::sandbox_error) continue;
            right = t.score[row] >= 0.5f;
            answer = votes_on_answers(q) ? std::string_view(t.answer[row]) : std::string_view();
        } else {
            right = judged(gen);
        }
        correct.push_back(right ? 1 : 0);
        answers.push_back(votes_on_answers(q) ? answer : (right ? "pass" : "fail"));
        --wanted;
    }
}

void labeler::source_verdicts(std::uint32_t q, std::uint16_t m, std::vector<std::string_view>& answers,
                              std::vector<char>& correct, bool every_sample) const {
    const auto& t = s_.grades;
    auto gens = index_.samples(q, m, p_.budget);
    std::size_t wanted = every_sample ? gens.size() : samples_read(gens.size());
    for (std::uint32_t gen : gens) {
        if (wanted == 0) break;
        const std::int32_t row = index_.grade_row(*source_, gen);
        if (row < 0 || t.status[row] == grade_status::missing || t.status[row] == grade_status::sandbox_error)
            continue;  // no outcome: the next sample with one takes its place
        const bool right = t.score[row] >= 0.5f;
        correct.push_back(right ? 1 : 0);
        answers.push_back(right ? "pass" : "fail");
        --wanted;
    }
}

bool labeler::reads_answers(std::uint32_t q) const {
    return p_.aggregate == aggregation::majority && votes_on_answers(q);
}

double labeler::aggregate(std::uint32_t q, std::span<const std::string_view> answers,
                          std::span<const char> correct) const {
    const std::size_t read = samples_read(correct.size());
    correct = correct.first(read);
    if (reads_answers(q)) {
        const query& qu = s_.queries[q];
        return majority_correct(answers.first(read), qu.gold, s_.benchmarks[qu.benchmark].kind, p_.ties) ? 1.0 : 0.0;
    }
    return from_counts(static_cast<int>(read), static_cast<int>(std::count(correct.begin(), correct.end(), 1)));
}

double labeler::from_counts(int n, int c) const {
    switch (p_.aggregate) {
    case aggregation::greedy: return c > 0 ? 1.0 : 0.0;
    case aggregation::majority: return 2 * c > n ? 1.0 : 0.0;
    case aggregation::pass_at_k: {
        const int k = (p_.k <= 0 || p_.k > n) ? n : p_.k;
        return pass_at_k(n, c, k);
    }
    case aggregation::mean: return n ? static_cast<double>(c) / n : 0.0;
    }
    return 0.0;
}

label_matrix compute_labels(const study& s, const study_index& index, const protocol& p) {
    labeler l(s, index, p);
    label_matrix labels;
    labels.queries = s.queries.size();
    labels.models = s.models.size();
    labels.value.assign(labels.queries * labels.models, 0.0);
    std::vector<std::string_view> answers;
    std::vector<char> correct;
    for (std::uint32_t q = 0; q < s.queries.size(); ++q) {
        for (std::uint16_t m = 0; m < s.models.size(); ++m) {
            answers.clear();
            correct.clear();
            l.verdicts(q, m, answers, correct);
            if (correct.empty()) {
                // No outcome for this pair (no source grade, or only sandbox errors): record
                // it and leave the label at 0, unread.
                if (labels.present.empty()) labels.present.assign(labels.value.size(), 1);
                labels.present[q * labels.models + m] = 0;
                ++labels.missing;
                continue;
            }
            labels.value[q * labels.models + m] = l.aggregate(q, answers, correct);
        }
    }
    labels.judge_parse_failures = l.judge_parse_failures;
    labels.judge_disputes = l.judge_disputes;
    return labels;
}

} // namespace headroom
