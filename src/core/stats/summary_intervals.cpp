#include "core/stats/summary_intervals.h"

#include "core/base/rng.h"

#include <algorithm>

namespace headroom {

summary_bootstrap::summary_bootstrap(const label_matrix& labels, std::vector<std::uint32_t> rows, int resamples,
                                     double confidence, std::uint64_t seed)
    : models_(labels.models), resamples_(std::max(resamples, 0)), confidence_(confidence) {
    estimate_ = summarize(labels, rows);
    // Copied once so every resample reads contiguous memory.
    row_labels_.reserve(rows.size() * models_);
    row_best_.reserve(rows.size());
    for (std::uint32_t q : rows) {
        double best = 0;
        for (std::size_t m = 0; m < models_; ++m) {
            row_labels_.push_back(labels.at(q, m));
            best = std::max(best, labels.at(q, m));
        }
        row_best_.push_back(best);
    }
    samples_.assign(models_ + 3, {});
    state_seed_ = derive_seed(seed, "summary-bootstrap");
    if (rows.empty() || models_ == 0) resamples_ = 0;
}

int summary_bootstrap::run(int count) {
    const std::size_t n = row_best_.size();
    std::vector<double> sums(models_);
    for (; count > 0 && draws_ < resamples_; --count, ++draws_) {
        // One stream per resample: the result does not depend on how the work was sliced.
        rng r(derive_seed(state_seed_, "resample", static_cast<std::uint64_t>(draws_)));
        std::fill(sums.begin(), sums.end(), 0.0);
        double oracle = 0;
        for (std::size_t i = 0; i < n; ++i) {
            const auto row = static_cast<std::size_t>(r.below(n));
            const double* y = &row_labels_[row * models_];
            for (std::size_t m = 0; m < models_; ++m) sums[m] += y[m];
            oracle += row_best_[row];
        }
        const double size = static_cast<double>(n);
        double best = 0;
        for (std::size_t m = 0; m < models_; ++m) {
            samples_[m].push_back(sums[m] / size);
            best = std::max(best, sums[m] / size);
        }
        samples_[models_].push_back(best);
        samples_[models_ + 1].push_back(oracle / size);
        samples_[models_ + 2].push_back(oracle / size - best);
    }
    return resamples_ - draws_;
}

summary_intervals summary_bootstrap::result() const {
    auto interval_of = [&](std::size_t k, double value) {
        std::vector<double> draws = samples_[k];
        return percentile_interval(value, draws, confidence_);
    };
    summary_intervals out;
    out.resamples = draws_;
    out.confidence = confidence_;
    for (std::size_t m = 0; m < models_; ++m) out.model_accuracy.push_back(interval_of(m, estimate_.model_accuracy[m]));
    out.best_single = interval_of(models_, estimate_.best_single);
    out.oracle = interval_of(models_ + 1, estimate_.oracle);
    out.headroom = interval_of(models_ + 2, estimate_.headroom);
    out.unsolvable = {1.0 - out.oracle.value, 1.0 - out.oracle.high, 1.0 - out.oracle.low};
    return out;
}

summary_intervals bootstrap_summary(const label_matrix& labels, const std::vector<std::uint32_t>& rows,
                                    int resamples, double confidence, std::uint64_t seed) {
    summary_bootstrap b(labels, rows, resamples, confidence, seed);
    b.run(resamples);
    return b.result();
}

} // namespace headroom
