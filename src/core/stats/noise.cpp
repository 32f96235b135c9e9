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

noise_null noise_headroom(const study& s, const study_index& index, const protocol& p,
                          const std::vector<std::uint32_t>& rows, int simulations, std::uint64_t seed) {
    noise_null out;
    const std::size_t models = s.models.size();
    if (rows.empty() || models == 0) return out;
    labeler l(s, index, p);
    rng r(derive_seed(seed, "noise-null"));

    std::vector<std::string_view> answers, dealt_answers;
    std::vector<char> correct, dealt_correct;
    std::vector<std::size_t> start(models + 1), order, read(models), table_start;
    std::vector<double> table;
    std::vector<double> observed(models, 0.0), simulated(models * static_cast<std::size_t>(simulations), 0.0);
    double observed_oracle = 0, simulated_oracle = 0, analytic_oracle = 0;
    bool single = true;
    for (std::uint32_t q : rows) {
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
            observed[m] += y;
            best = std::max(best, y);
            single = single && c.size() <= 1;
        }
        observed_oracle += best;
        // Greedy deals one first sample to each model that has any (a pair may have none).
        std::size_t answering = 0;
        for (std::uint16_t m = 0; m < models; ++m) answering += start[m + 1] > start[m];
        const auto right = static_cast<std::size_t>(std::count(correct.begin(), correct.end(), 1));
        analytic_oracle += 1.0 - all_missed(correct.size(), right, answering);

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
        for (int sim = 0; sim < simulations; ++sim) {
            for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
            r.shuffle(std::span<std::size_t>(order));
            double* dealt = simulated.data() + static_cast<std::size_t>(sim) * models;
            double sim_best = 0;
            if (!by_answers) {
                for (std::uint16_t m = 0; m < models; ++m) {
                    std::size_t hits = 0;
                    for (std::size_t i = start[m]; i < start[m] + read[m]; ++i) hits += correct[order[i]] == 1;
                    const double y = table[table_start[m] + hits];
                    dealt[m] += y;
                    sim_best = std::max(sim_best, y);
                }
                simulated_oracle += sim_best;
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
            simulated_oracle += sim_best;
        }
    }
    const double n = static_cast<double>(rows.size());
    out.single_sample = single;
    out.observed_oracle = observed_oracle / n;
    out.observed_best_single = *std::max_element(observed.begin(), observed.end()) / n;
    out.observed_headroom = out.observed_oracle - out.observed_best_single;
    if (p.aggregate == aggregation::greedy) out.oracle_analytic = analytic_oracle / n;
    if (simulations > 0) {
        out.oracle_simulated = simulated_oracle / n / simulations;
        double best_sum = 0;
        for (int sim = 0; sim < simulations; ++sim) {
            const auto first = simulated.begin() + static_cast<std::ptrdiff_t>(sim) * static_cast<std::ptrdiff_t>(models);
            best_sum += *std::max_element(first, first + static_cast<std::ptrdiff_t>(models)) / n;
        }
        out.best_single_simulated = best_sum / simulations;
    }
    out.headroom = out.oracle_simulated - out.best_single_simulated;
    out.oracle_above_null = out.observed_oracle - out.oracle_simulated;
    out.headroom_above_null = out.observed_headroom - out.headroom;
    return out;
}

} // namespace headroom
