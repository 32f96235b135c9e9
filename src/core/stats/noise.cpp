#include "core/stats/noise.h"

#include "core/base/rng.h"

#include <algorithm>

namespace headroom {

namespace {

// C(N-C, M) / C(N, M): M draws without replacement from N samples, C of them right, all wrong.
double all_missed(std::size_t n, std::size_t c, std::size_t m) {
    if (m > n) return 0.0;
    double p = 1.0;
    for (std::size_t i = 0; i < m; ++i) {
        if (n - c < i + 1) return 0.0;
        p *= static_cast<double>(n - c - i) / static_cast<double>(n - i);
    }
    return p;
}

} // namespace

noise_null_builder::noise_null_builder(const study& s, const study_index& index, const protocol& p,
                                       std::vector<std::uint32_t> rows, int simulations, std::uint64_t seed)
    : models_(s.models.size()), rows_(std::move(rows)), simulations_(std::max(simulations, 0)),
      greedy_(p.aggregate == aggregation::greedy), rng_(derive_seed(seed, "noise-null")),
      observed_(models_, 0.0), simulated_(models_ * static_cast<std::size_t>(simulations_), 0.0) {
    if (models_ == 0) rows_.clear();
    if (!rows_.empty()) labeler_ = std::make_unique<labeler>(s, index, p);
}

std::size_t noise_null_builder::run(std::size_t queries) {
    if (done()) return 0;
    const std::size_t models = models_;
    labeler& l = *labeler_;
    std::vector<std::string_view> answers, dealt_answers;
    std::vector<char> correct, dealt_correct;
    std::vector<std::size_t> start(models + 1), order, read(models), table_start;
    std::vector<double> table;
    for (; queries > 0 && next_ < rows_.size(); --queries) {
        const std::uint32_t q = rows_[next_++];
        answers.clear();
        correct.clear();
        for (std::uint16_t m = 0; m < models; ++m) {
            start[m] = correct.size();
            l.verdicts(q, m, answers, correct, true);
        }
        start[models] = correct.size();
        double best = 0;
        for (std::uint16_t m = 0; m < models; ++m) {
            const std::span<const std::string_view> a(answers.data() + start[m], start[m + 1] - start[m]);
            const std::span<const char> c(correct.data() + start[m], start[m + 1] - start[m]);
            const double y = l.aggregate(q, a, c);
            observed_[m] += y;
            best = std::max(best, y);
            single_ = single_ && c.size() <= 1;
        }
        observed_oracle_ += best;
        // Greedy deals one first sample to each model that has any (a pair may have none).
        std::size_t answering = 0;
        for (std::uint16_t m = 0; m < models; ++m) answering += start[m + 1] > start[m];
        const auto right = static_cast<std::size_t>(std::count(correct.begin(), correct.end(), 1));
        analytic_oracle_ += 1.0 - all_missed(correct.size(), right, answering);

        order.resize(correct.size());
        // Unless MAJ@k votes on answers, a model's label depends only on how many of the
        // samples it reads are right: tabulate it once, then each deal is a count.
        const bool by_answers = l.reads_answers(q);
        if (!by_answers) {
            table_start.clear();
            table.clear();
            for (std::uint16_t m = 0; m < models; ++m) {
                read[m] = l.samples_read(start[m + 1] - start[m]);
                table_start.push_back(table.size());
                for (std::size_t c = 0; c <= read[m]; ++c)
                    table.push_back(l.from_counts(static_cast<int>(read[m]), static_cast<int>(c)));
            }
        }
        for (int sim = 0; sim < simulations_; ++sim) {
            for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
            rng_.shuffle(std::span<std::size_t>(order));
            double* dealt = simulated_.data() + static_cast<std::size_t>(sim) * models;
            double sim_best = 0;
            if (!by_answers) {
                for (std::uint16_t m = 0; m < models; ++m) {
                    std::size_t hits = 0;
                    for (std::size_t i = start[m]; i < start[m] + read[m]; ++i) hits += correct[order[i]] == 1;
                    const double y = table[table_start[m] + hits];
                    dealt[m] += y;
                    sim_best = std::max(sim_best, y);
                }
                simulated_oracle_ += sim_best;
                continue;
            }
            dealt_answers.clear();
            dealt_correct.clear();
            for (std::size_t i : order) {
                dealt_answers.push_back(answers[i]);
                dealt_correct.push_back(correct[i]);
            }
            for (std::uint16_t m = 0; m < models; ++m) {
                const std::span<const std::string_view> a(dealt_answers.data() + start[m], start[m + 1] - start[m]);
                const std::span<const char> c(dealt_correct.data() + start[m], start[m + 1] - start[m]);
                const double y = l.aggregate(q, a, c);
                dealt[m] += y;
                sim_best = std::max(sim_best, y);
            }
            simulated_oracle_ += sim_best;
        }
    }
    return rows_.size() - next_;
}

noise_null noise_null_builder::result() const {
    noise_null out;
    if (rows_.empty()) return out;
    const double n = static_cast<double>(rows_.size());
    const std::size_t models = models_;
    const int simulations = simulations_;
    out.single_sample = single_;
    out.observed_oracle = observed_oracle_ / n;
    out.observed_best_single = *std::max_element(observed_.begin(), observed_.end()) / n;
    out.observed_headroom = out.observed_oracle - out.observed_best_single;
    if (greedy_) out.oracle_analytic = analytic_oracle_ / n;
    if (simulations > 0) {
        out.oracle_simulated = simulated_oracle_ / n / simulations;
        double best_sum = 0;
        for (int sim = 0; sim < simulations; ++sim) {
            const auto first = simulated_.begin() + static_cast<std::ptrdiff_t>(sim) * static_cast<std::ptrdiff_t>(models);
            best_sum += *std::max_element(first, first + static_cast<std::ptrdiff_t>(models)) / n;
        }
        out.best_single_simulated = best_sum / simulations;
    }
    out.headroom = out.oracle_simulated - out.best_single_simulated;
    out.oracle_above_null = out.observed_oracle - out.oracle_simulated;
    out.headroom_above_null = out.observed_headroom - out.headroom;
    return out;
}

noise_null noise_headroom(const study& s, const study_index& index, const protocol& p,
                          const std::vector<std::uint32_t>& rows, int simulations, std::uint64_t seed) {
    noise_null_builder b(s, index, p, rows, simulations, seed);
    b.run(rows.size());
    return b.result();
}

} // namespace headroom
