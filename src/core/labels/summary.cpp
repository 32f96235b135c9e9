#include "core/labels/summary.h"

#include <algorithm>

namespace headroom {

std::vector<std::uint32_t> all_rows(const label_matrix& labels) {
    std::vector<std::uint32_t> rows(labels.queries);
    for (std::uint32_t q = 0; q < rows.size(); ++q) rows[q] = q;
    return rows;
}

headroom_summary summarize(const label_matrix& labels, std::span<const std::uint32_t> rows) {
    headroom_summary h;
    h.queries = rows.size();
    h.model_accuracy.assign(labels.models, 0.0);
    h.model_missing.assign(labels.models, 0);
    if (rows.empty() || labels.models == 0) return h;
    double oracle_sum = 0;
    if (labels.present.empty()) {
        for (std::uint32_t q : rows) {
            double best = 0;
            for (std::size_t m = 0; m < labels.models; ++m) {
                const double y = labels.at(q, m);
                h.model_accuracy[m] += y;
                best = std::max(best, y);
            }
            oracle_sum += best;
        }
    } else {
        for (std::uint32_t q : rows) {
            double best = 0;
            bool any = false;
            for (std::size_t m = 0; m < labels.models; ++m) {
                if (!labels.has(q, m)) {
                    ++h.model_missing[m];
                    continue;
                }
                const double y = labels.at(q, m);
                h.model_accuracy[m] += y;
                best = std::max(best, y);
                any = true;
            }
            oracle_sum += best;
            h.queries_without_outcome += !any;
        }
    }
    const double n = static_cast<double>(rows.size());
    for (std::size_t m = 0; m < labels.models; ++m) {
        const std::size_t present = rows.size() - h.model_missing[m];
        h.model_accuracy[m] = present ? h.model_accuracy[m] / static_cast<double>(present) : 0.0;
    }
    const double answered = n - static_cast<double>(h.queries_without_outcome);
    h.best_model = static_cast<std::size_t>(std::max_element(h.model_accuracy.begin(), h.model_accuracy.end()) -
                                            h.model_accuracy.begin());
    h.best_single = h.model_accuracy[h.best_model];
    h.oracle = answered > 0 ? oracle_sum / answered : 0.0;
    h.unsolvable = 1.0 - h.oracle;
    h.headroom = h.oracle - h.best_single;
    return h;
}

} // namespace headroom
