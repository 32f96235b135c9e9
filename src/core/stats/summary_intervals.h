// Percentile bootstrap intervals over queries for a headroom summary (labels/summary.h):
// each model's accuracy, best single (re-chosen in every resample, so the winner's
// luck is part of its interval), oracle, unsolvable and headroom.
//
// Resampling a large study takes longer than one frame of the browser app, so the
// work is done in slices: run() as many resamples as fit, ask done(), then result().
#pragma once
#include "core/labels/labels.h"
#include "core/stats/interval.h"
#include "core/labels/summary.h"

#include <cstdint>
#include <vector>

namespace headroom {

struct summary_intervals {
    std::vector<interval> model_accuracy;
    interval best_single, oracle, unsolvable, headroom;
    int resamples = 0;
    double confidence = 0.95;
};

class summary_bootstrap {
public:
    summary_bootstrap(const label_matrix& labels, std::vector<std::uint32_t> rows, int resamples = 1000,
                      double confidence = 0.95, std::uint64_t seed = 1);
    // Runs up to `count` more resamples; returns how many remain.
    int run(int count);
    bool done() const { return draws_ == resamples_; }
    // The point estimates with the bounds of the resamples run so far.
    summary_intervals result() const;

private:
    std::size_t models_ = 0;
    std::vector<double> row_labels_;  // the rows' labels, row-major, then copied out of the matrix
    std::vector<double> row_best_;    // the oracle's value per row
    int resamples_ = 0, draws_ = 0;
    double confidence_ = 0.95;
    std::uint64_t state_seed_ = 1;
    headroom_summary estimate_;
    // One vector per statistic: models' accuracies, then best single, oracle, headroom.
    std::vector<std::vector<double>> samples_;
};

// All resamples at once.
summary_intervals bootstrap_summary(const label_matrix& labels, const std::vector<std::uint32_t>& rows,
                                    int resamples = 1000, double confidence = 0.95, std::uint64_t seed = 1);

} // namespace headroom
