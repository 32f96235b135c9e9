#include "core/routing/choice.h"

#include <algorithm>

namespace headroom {

std::uint16_t first_max(std::span<const double> values) {
    std::size_t best = 0;
    for (std::size_t m = 1; m < values.size(); ++m)
        if (values[m] > values[best]) best = m;
    return static_cast<std::uint16_t>(best);
}

std::vector<std::uint16_t> argmax_choice(const confidence_matrix& c) {
    std::vector<std::uint16_t> choice(c.rows, 0);
    for (std::size_t r = 0; r < c.rows; ++r) choice[r] = first_max({c.value.data() + r * c.models, c.models});
    return choice;
}

routing_evaluation evaluate_routing(const label_matrix& labels, std::span<const std::uint32_t> test_rows,
                                    std::span<const std::uint16_t> choice) {
    routing_evaluation e;
    e.share.assign(labels.models, 0.0);
    if (test_rows.empty()) return e;
    double correct = 0;
    for (std::size_t i = 0; i < test_rows.size(); ++i) {
        e.share[choice[i]] += 1.0;
        if (!labels.has(test_rows[i], choice[i])) {
            ++e.unscored;  // a choice we cannot score: counted, not a failure
            continue;
        }
        correct += labels.at(test_rows[i], choice[i]);
    }
    const double n = static_cast<double>(test_rows.size());
    const double scored = n - static_cast<double>(e.unscored);
    e.accuracy = scored > 0 ? correct / scored : 0.0;
    for (auto& s : e.share) s /= n;
    e.top_share = *std::max_element(e.share.begin(), e.share.end());
    return e;
}

} // namespace headroom
