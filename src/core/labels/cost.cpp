#include "core/labels/cost.h"

#include <optional>

namespace headroom {

namespace {

// The mean of `value` over each model's generations at `budget`; a generation whose
// value is nullopt does not count.
template <class Value>
std::vector<double> mean_per_model(const study& s, std::uint32_t budget, Value value) {
    std::vector<double> total(s.models.size(), 0.0), count(s.models.size(), 0.0);
    const auto& g = s.generations;
    for (std::size_t i = 0; i < g.size(); ++i) {
        if (g.budget[i] != budget) continue;
        const std::optional<double> v = value(i);
        if (!v) continue;
        total[g.model[i]] += *v;
        count[g.model[i]] += 1;
    }
    for (std::size_t m = 0; m < total.size(); ++m) total[m] = count[m] > 0 ? total[m] / count[m] : 0.0;
    return total;
}

} // namespace

std::vector<double> cost_per_query(const study& s, std::uint32_t budget) {
    const auto& g = s.generations;
    return mean_per_model(s, budget, [&](std::size_t i) -> std::optional<double> {
        if (const double measured = g.measured_cost(i); known(measured)) return measured;
        if (g.input_tokens[i] == unknown_tokens || g.output_tokens[i] == unknown_tokens) return std::nullopt;
        const model& m = s.models[g.model[i]];
        return (g.input_tokens[i] * m.price_input_per_mtok + g.output_tokens[i] * m.price_output_per_mtok) / 1e6;
    });
}

std::vector<double> latency_per_query(const study& s, std::uint32_t budget) {
    return mean_per_model(s, budget, [&](std::size_t i) -> std::optional<double> { return s.generations.latency_ms[i]; });
}

} // namespace headroom
