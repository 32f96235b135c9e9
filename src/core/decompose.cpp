#include "decompose.h"

#include "rng.h"

#include <algorithm>
#include <bit>
#include <cmath>

namespace headroom {

std::string_view to_string(artifact a) {
    switch (a) {
    case artifact::truncation: return "truncation";
    case artifact::format: return "format";
    case artifact::judge: return "judge";
    }
    return "?";
}

protocol combine(const protocol& naive, const protocol& corrected, unsigned fixed) {
    protocol p = naive;
    if (fixed & 1u) p.budget = corrected.budget;
    if (fixed & 2u) p.extractor = corrected.extractor;
    if (fixed & 4u) {
        p.judges = corrected.judges;
        p.grounding = corrected.grounding;
    }
    return p;
}

protocol_grid make_grid(const study& s, const study_index& index, const protocol& naive, const protocol& corrected) {
    protocol_grid grid{naive, corrected, corrected, {}};
    // A study with one judge cannot judge dually: grounding alone is then the judge fix.
    protocol fixed_judges = corrected;
    if (s.judgments.judges.size() < 2) fixed_judges.judges = judge_mode::single;
    grid.corrected_used = combine(naive, fixed_judges, 7);
    for (unsigned bits = 0; bits < 8; ++bits)
        grid.labels[bits] = compute_labels(s, index, combine(naive, fixed_judges, bits));
    return grid;
}

namespace {

// The eight statistics every resample recomputes, from the per-query solved values.
struct point {
    std::array<double, 8> u{};
};

// Shapley value of each artifact for the game v(S) = U(naive) - U(S fixed).
std::array<double, 3> shapley_of(const point& p) {
    std::array<double, 3> phi{};
    for (unsigned i = 0; i < 3; ++i) {
        for (unsigned set = 0; set < 8; ++set) {
            if (set & (1u << i)) continue;
            const int size = std::popcount(set);
            // |S|! (n - |S| - 1)! / n! for n = 3: sizes 0, 1, 2 weigh 1/3, 1/6, 1/3.
            const double weight = size == 1 ? 1.0 / 6.0 : 1.0 / 3.0;
            phi[i] += weight * (p.u[set] - p.u[set | (1u << i)]);
        }
    }
    return phi;
}

std::array<double, 3> sequential_of(const point& p, const std::array<artifact, 3>& order) {
    std::array<double, 3> out{};
    unsigned set = 0;
    for (artifact a : order) {
        const unsigned bit = 1u << static_cast<unsigned>(a);
        out[static_cast<std::size_t>(a)] = p.u[set] - p.u[set | bit];
        set |= bit;
    }
    return out;
}

// Every number the decomposition reports, as one flat vector: the bootstrap
// resamples them all together.
std::vector<double> statistics(const point& p, const std::array<artifact, 3>& order) {
    std::vector<double> out(p.u.begin(), p.u.end());
    const double drop = p.u[0] - p.u[7];
    out.push_back(drop);
    double alone_sum = 0;
    for (unsigned i = 0; i < 3; ++i) {
        const double alone = p.u[0] - p.u[1u << i];
        out.push_back(alone);
        alone_sum += alone;
    }
    out.push_back(drop - alone_sum);
    for (double v : sequential_of(p, order)) out.push_back(v);
    for (double v : shapley_of(p)) out.push_back(v);
    return out;  // 8 + 1 + 3 + 1 + 3 + 3 = 19
}

} // namespace

decomposition decompose(const protocol_grid& grid, const std::vector<std::uint32_t>& rows, std::string benchmark,
                        const decomposition_options& options) {
    decomposition d;
    d.benchmark = std::move(benchmark);
    d.queries = rows.size();
    const std::size_t n = rows.size();
    const std::size_t models = grid.labels[0].models;
    // solved[bits][i]: the oracle's value on query rows[i] under combination `bits`.
    std::array<std::vector<double>, 8> solved;
    for (unsigned bits = 0; bits < 8; ++bits) {
        solved[bits].resize(n);
        const auto& labels = grid.labels[bits];
        for (std::size_t i = 0; i < n; ++i) {
            double best = 0;
            for (std::size_t m = 0; m < models; ++m) best = std::max(best, labels.at(rows[i], m));
            solved[bits][i] = best;
        }
    }
    auto point_of = [&](const std::vector<std::uint32_t>* pick) {
        point p;
        for (unsigned bits = 0; bits < 8; ++bits) {
            double sum = 0;
            if (pick) for (std::uint32_t i : *pick) sum += solved[bits][i];
            else for (double v : solved[bits]) sum += v;
            p.u[bits] = n ? 1.0 - sum / static_cast<double>(n) : 0.0;
        }
        return p;
    };
    const std::vector<double> estimate = statistics(point_of(nullptr), options.order);

    std::vector<std::vector<double>> draws(estimate.size());
    if (n > 0) {
        rng r(derive_seed(options.seed, "bootstrap:" + d.benchmark));
        std::vector<std::uint32_t> pick(n);
        for (int b = 0; b < options.resamples; ++b) {
            for (auto& i : pick) i = static_cast<std::uint32_t>(r.below(n));
            const auto stats = statistics(point_of(&pick), options.order);
            for (std::size_t k = 0; k < stats.size(); ++k) draws[k].push_back(stats[k]);
        }
    }
    auto interval_of = [&](std::size_t k) {
        interval iv{estimate[k], estimate[k], estimate[k]};
        auto& v = draws[k];
        if (v.empty()) return iv;
        std::sort(v.begin(), v.end());
        const double tail = (1.0 - options.confidence) / 2.0;
        auto at = [&](double q) {
            const auto idx = static_cast<std::size_t>(std::floor(q * static_cast<double>(v.size() - 1) + 0.5));
            return v[std::min(idx, v.size() - 1)];
        };
        iv.low = at(tail);
        iv.high = at(1.0 - tail);
        return iv;
    };
    std::size_t k = 0;
    for (auto& u : d.unsolvable) u = interval_of(k++);
    d.drop = interval_of(k++);
    for (auto& a : d.alone) a = interval_of(k++);
    d.interactions = interval_of(k++);
    for (auto& s : d.sequential) s = interval_of(k++);
    for (auto& s : d.shapley) s = interval_of(k++);
    d.residual = d.unsolvable[7];
    return d;
}

} // namespace headroom
