// Noise headroom (ours, beyond both papers): part of the oracle's gain over the best
// single model appears even between identical models, from sampling noise alone. The
// null: every model solves query q independently with q's pooled success rate. Its
// oracle is analytic; its best single model (a maximum of noisy means) is simulated,
// and the simulation also checks the analytic oracle.
#pragma once
#include "labels.h"

#include <vector>

namespace headroom {

struct noise_null {
    double oracle_analytic = 0;     // mean over q of 1 - (1 - p_q)^M
    double oracle_simulated = 0;
    double best_single_simulated = 0;
    double headroom = 0;            // the null's oracle minus its best single (simulated)
    double observed_headroom = 0;   // oracle minus best single on the labels
    double headroom_above_null = 0; // observed_headroom - headroom
};

noise_null noise_headroom(const label_matrix& labels, const std::vector<std::uint32_t>& rows, int simulations = 200,
                          std::uint64_t seed = 1);

} // namespace headroom
