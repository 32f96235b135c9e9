// Labels y(q, m) under a protocol: 1 when model m solves query q (fractional for
// pass@k and mean aggregation).
#pragma once
#include "core/labels/protocol.h"
#include "core/study/study.h"

#include <optional>
#include <span>
#include <string_view>
#include <vector>

namespace headroom {

// Lookups built once per study: the generations of each (query, model, budget) in
// sample order, and each grader's grade row for each generation.
class study_index {
public:
    explicit study_index(const study& s);

    // Generations of one pair under one budget, ordered by sample index.
    std::span<const std::uint32_t> samples(std::uint32_t query, std::uint16_t model, std::uint32_t budget) const;
    // Grade row of `generation` under `grader`, or -1 when it has none.
    std::int32_t grade_row(std::uint16_t grader, std::uint32_t generation) const {
        return grade_rows_[grader][generation];
    }
    const std::vector<std::uint32_t>& budgets() const { return budgets_; }
    std::vector<std::uint32_t> queries_of_benchmark(std::uint32_t benchmark) const;

private:
    const study& s_;
    std::vector<std::uint32_t> budgets_;
    std::vector<std::uint32_t> offsets_;      // per budget, per (query, model): start in order_
    std::vector<std::uint32_t> order_;
    std::vector<std::vector<std::int32_t>> grade_rows_;
};

struct label_matrix {
    std::size_t queries = 0, models = 0;
    std::vector<double> value;  // row-major: value[q * models + m]
    // Pairs with no outcome under the protocol's grader (a source grade that is absent or
    // `missing`): 0 in `value`, 0 here. Empty when every pair has an outcome, so a study
    // without missing outcomes costs nothing and reads as before.
    std::vector<char> present = {};
    std::size_t missing = 0;
    bool has(std::size_t q, std::size_t m) const { return present.empty() || present[q * models + m]; }
    // Judge outcomes met while labelling: replies without a usable verdict, and
    // generations on which two judges disagreed (settled by the second judge).
    std::size_t judge_parse_failures = 0, judge_disputes = 0;
    double at(std::size_t q, std::size_t m) const { return value[q * models + m]; }
};

// Where labels come from, per task kind:
//   mcq, numeric: grounding on (or no judges in the study): exact match of the answer
//                 the protocol's extractor finds; otherwise the judges.
//   code:         grounding on (or no judges): the tests, run on the program the
//                 protocol's extractor finds (exec:strict / exec:lenient); otherwise judges.
//   open:         the judges.
// Judges: `single` takes the first judge of the study; `dual` takes both when they
// agree and settles a dispute by the second judge. A reply without a usable verdict
// counts as not solved under `single`; under `dual` the other judge's verdict stands.
//   any kind, with a `source:<name>` grader chosen: that grader's scores (>= 0.5 solved);
//                 a sample whose grade is absent, `missing` or an exec `sandbox_error`
//                 has no outcome and is skipped, and a pair none of whose samples has
//                 one is missing (label_matrix::present), never a failure.
// Throws std::invalid_argument when the protocol asks for what the study lacks (a
// budget it was not sampled at, a grader it was not graded with).
label_matrix compute_labels(const study& s, const study_index& index, const protocol& p);

// Labels one (query, model) pair at a time under a protocol: compute_labels uses it,
// and so does the noise null, which deals the same sample verdicts to other models.
class labeler {
public:
    labeler(const study& s, const study_index& index, const protocol& p);  // throws as compute_labels
    // Appends the verdicts of the samples the aggregation reads (greedy: the first;
    // maj@k: the first k; pass@k and mean: all), or of every sample, in sample order:
    // the answer MAJ@k votes on ("pass"/"fail" where no answer is extracted) and
    // whether it is right. Samples without an outcome (source grades only) append nothing.
    void verdicts(std::uint32_t q, std::uint16_t m, std::vector<std::string_view>& answers,
                  std::vector<char>& correct, bool every_sample = false);
    // The label of a pair on query q from its sample verdicts (of which the
    // aggregation reads the first ones, as verdicts() does).
    double aggregate(std::uint32_t q, std::span<const std::string_view> answers, std::span<const char> correct) const;
    // Whether the label of a pair on query q depends on its answers (MAJ@k voting on
    // extracted answers), not only on how many of the samples read are right.
    bool reads_answers(std::uint32_t q) const;
    // How many of `available` samples the aggregation reads (the first ones).
    std::size_t samples_read(std::size_t available) const;
    // The label from `right` of `read` samples read; what aggregate() returns when
    // reads_answers(q) is false. The noise null tabulates it once per query.
    double from_counts(int read, int right) const;

    std::size_t judge_parse_failures = 0, judge_disputes = 0;

private:
    std::size_t grade_of(std::uint16_t grader, std::uint32_t gen) const;
    bool judged(std::uint32_t gen);
    void source_verdicts(std::uint32_t q, std::uint16_t m, std::vector<std::string_view>& answers,
                         std::vector<char>& correct, bool every_sample) const;
    bool votes_on_answers(std::uint32_t q) const;

    const study& s_;
    const study_index& index_;
    protocol p_;
    std::optional<std::uint16_t> extraction_, exec_, source_;
    std::vector<std::uint16_t> judges_;
    std::vector<judge_scale> judge_scales_;
};

// pass@k by the unbiased estimator 1 - C(n-c, k) / C(n, k) (Chen et al., 2021).
double pass_at_k(int n, int c, int k);

} // namespace headroom
