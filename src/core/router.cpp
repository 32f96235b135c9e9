#include "router.h"

#include "rng.h"

#include <algorithm>

namespace headroom {

std::string_view to_string(baseline_router r) {
    switch (r) {
    case baseline_router::random: return "random";
    case baseline_router::best_single: return "best-single";
    case baseline_router::oracle: return "oracle";
    }
    return "?";
}

std::vector<std::uint16_t> route_baseline(baseline_router r, const label_matrix& labels, const query_split& split,
                                          std::uint64_t seed) {
    std::vector<std::uint16_t> choice(split.test.size(), 0);
    if (labels.models == 0) return choice;
    switch (r) {
    case baseline_router::random: {
        rng pick(derive_seed(seed, "router:random"));
        for (auto& c : choice) c = static_cast<std::uint16_t>(pick.below(labels.models));
        break;
    }
    case baseline_router::best_single: {
        const auto train = summarize(labels, split.train);
        std::fill(choice.begin(), choice.end(), static_cast<std::uint16_t>(train.best_model));
        break;
    }
    case baseline_router::oracle:
        for (std::size_t i = 0; i < choice.size(); ++i) {
            std::uint16_t best = 0;
            for (std::uint16_t m = 1; m < labels.models; ++m)
                if (labels.at(split.test[i], m) > labels.at(split.test[i], best)) best = m;
            choice[i] = best;
        }
        break;
    }
    return choice;
}

routing_evaluation evaluate_routing(const label_matrix& labels, const std::vector<std::uint32_t>& test_rows,
                                    const std::vector<std::uint16_t>& choice) {
    routing_evaluation e;
    e.share.assign(labels.models, 0.0);
    if (test_rows.empty()) return e;
    double correct = 0;
    for (std::size_t i = 0; i < test_rows.size(); ++i) {
        correct += labels.at(test_rows[i], choice[i]);
        e.share[choice[i]] += 1.0;
    }
    const double n = static_cast<double>(test_rows.size());
    e.accuracy = correct / n;
    for (auto& s : e.share) s /= n;
    e.top_share = *std::max_element(e.share.begin(), e.share.end());
    return e;
}

} // namespace headroom
