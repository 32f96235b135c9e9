#include "noise.h"

#include "det_math.h"
#include "headroom.h"
#include "rng.h"

#include <algorithm>

namespace headroom {

noise_null noise_headroom(const label_matrix& labels, const std::vector<std::uint32_t>& rows, int simulations,
                          std::uint64_t seed) {
    noise_null out;
    const std::size_t models = labels.models, n = rows.size();
    if (n == 0 || models == 0) return out;
    std::vector<double> pooled(n);
    for (std::size_t i = 0; i < n; ++i) {
        double sum = 0;
        for (std::size_t m = 0; m < models; ++m) sum += labels.at(rows[i], m);
        pooled[i] = sum / static_cast<double>(models);
        double miss_all = 1;
        for (std::size_t m = 0; m < models; ++m) miss_all *= 1.0 - pooled[i];
        out.oracle_analytic += 1.0 - miss_all;
    }
    out.oracle_analytic /= static_cast<double>(n);

    rng r(derive_seed(seed, "noise-null"));
    std::vector<double> accuracy(models);
    for (int sim = 0; sim < simulations; ++sim) {
        std::fill(accuracy.begin(), accuracy.end(), 0.0);
        double solved = 0;
        for (std::size_t i = 0; i < n; ++i) {
            bool any = false;
            for (std::size_t m = 0; m < models; ++m) {
                const bool hit = r.bernoulli(pooled[i]);
                accuracy[m] += hit;
                any = any || hit;
            }
            solved += any;
        }
        out.oracle_simulated += solved / static_cast<double>(n);
        out.best_single_simulated += *std::max_element(accuracy.begin(), accuracy.end()) / static_cast<double>(n);
    }
    out.oracle_simulated /= simulations;
    out.best_single_simulated /= simulations;
    out.headroom = out.oracle_simulated - out.best_single_simulated;
    const headroom_summary observed = summarize(labels, rows);
    out.observed_headroom = observed.headroom;
    out.headroom_above_null = observed.headroom - out.headroom;
    return out;
}

} // namespace headroom
