// Noise headroom (ours, beyond both papers): part of the oracle's gain over the best
// single model appears even between identical models, from sampling noise alone.
//
// The null is exchangeability: if the models were one model, which model produced
// which sample of a query would not matter. So each query's samples, from every
// model, are pooled, shuffled and dealt back (as many to each model as it had), and
// the protocol's own aggregation makes each model's label again. That keeps every
// query's success rate as observed, needs no plug-in estimate of it (a plug-in
// 1 - (1 - c/M)^M undershoots the oracle whenever 0 < c < M), and works for every
// aggregation. For greedy labels the null oracle is also exact: each model's label is
// one sample drawn without replacement from the pool, so a query of N samples with C
// right is missed by all M models with probability C(N-C, M) / C(N, M).
#pragma once
#include "core/base/rng.h"
#include "core/labels/labels.h"

#include <memory>
#include <optional>
#include <vector>

namespace headroom {

struct noise_null {
    std::optional<double> oracle_analytic;  // greedy aggregation only
    double oracle_simulated = 0;
    double best_single_simulated = 0;
    double headroom = 0;             // the null's oracle minus its best single (simulated)
    double observed_oracle = 0, observed_best_single = 0;
    double observed_headroom = 0;    // oracle minus best single on the labels
    double oracle_above_null = 0;    // observed oracle minus the null's: the gain that is not noise
    double headroom_above_null = 0;  // observed_headroom - headroom
    // With one sample per pair the dealt samples are the labels themselves: the null
    // oracle then equals the observed one, and noise cannot be told from real
    // differences between models. Reported rather than hidden.
    bool single_sample = false;
};

// The null over many queries takes longer than a frame of the browser app, so it is
// built a slice of queries at a time: run() as many as fit, ask done(), then result().
// The queries are dealt in order from one stream, so slicing does not change a digit.
class noise_null_builder {
public:
    noise_null_builder(const study& s, const study_index& index, const protocol& p, std::vector<std::uint32_t> rows,
                       int simulations = 100, std::uint64_t seed = 1);
    // Deals up to `queries` more queries; returns how many remain.
    std::size_t run(std::size_t queries);
    bool done() const { return next_ == rows_.size(); }
    noise_null result() const;  // complete once done()

private:
    std::size_t models_ = 0;
    std::vector<std::uint32_t> rows_;
    std::size_t next_ = 0;
    int simulations_ = 0;
    bool greedy_ = false;
    std::unique_ptr<labeler> labeler_;  // on the heap: the builder moves, the labeler's references do not
    rng rng_;
    std::vector<double> observed_, simulated_;  // per model; per simulation and model
    double observed_oracle_ = 0, simulated_oracle_ = 0, analytic_oracle_ = 0;
    bool single_ = true;
};

noise_null noise_headroom(const study& s, const study_index& index, const protocol& p,
                          const std::vector<std::uint32_t>& rows, int simulations = 100, std::uint64_t seed = 1);

} // namespace headroom
