#include "core/analysis/decomposition.h"

#include "core/base/rng.h"

#include <algorithm>
#include <bit>

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
    if (fixed & 2u) {
        // A log's two extractions (strict-match -> flexible-extract) are the format fix too.
        p.extractor = corrected.extractor;
        p.source = corrected.source;
    }
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

// How many of the picked queries (all when `pick` is null) have each of the eight
// bits set. Two words of four 16-bit lanes count four bits each: a table spreads a
// byte's bits over the lanes, and the lanes are emptied before they can overflow.
std::array<std::uint64_t, 8> count_sets(const std::vector<std::uint8_t>& sets, const std::vector<std::uint32_t>* pick) {
    static const auto spread = [] {
        std::array<std::array<std::uint64_t, 2>, 256> table{};
        for (unsigned byte = 0; byte < 256; ++byte)
            for (unsigned bit = 0; bit < 8; ++bit)
                if (byte & (1u << bit)) table[byte][bit / 4] |= std::uint64_t{1} << (16 * (bit % 4));
        return table;
    }();
    std::array<std::uint64_t, 8> counts{};
    std::uint64_t low = 0, high = 0;
    std::size_t in_lanes = 0;
    auto empty_lanes = [&] {
        for (unsigned bit = 0; bit < 4; ++bit) {
            counts[bit] += (low >> (16 * bit)) & 0xffff;
            counts[bit + 4] += (high >> (16 * bit)) & 0xffff;
        }
        low = high = 0;
        in_lanes = 0;
    };
    auto add = [&](std::uint8_t set) {
        low += spread[set][0];
        high += spread[set][1];
        if (++in_lanes == 0xffff) empty_lanes();
    };
    if (pick) for (std::uint32_t i : *pick) add(sets[i]);
    else for (std::uint8_t set : sets) add(set);
    empty_lanes();
    return counts;
}

} // namespace

decomposition decompose(const protocol_grid& grid, const std::vector<std::uint32_t>& rows, std::string benchmark,
                        const decomposition_options& options) {
    decomposition d;
    d.benchmark = std::move(benchmark);
    d.queries = rows.size();
    const std::size_t n = rows.size();
    const std::size_t models = grid.labels[0].models;
    // solved[i * 8 + bits]: the oracle's value on query rows[i] under combination
    // `bits`. The eight values of a query sit together, as each resampled query reads them.
    std::vector<double> solved(n * 8);
    for (unsigned bits = 0; bits < 8; ++bits) {
        const auto& labels = grid.labels[bits];
        for (std::size_t i = 0; i < n; ++i) {
            double best = 0;
            for (std::size_t m = 0; m < models; ++m) best = std::max(best, labels.at(rows[i], m));
            solved[i * 8 + bits] = best;
        }
    }
    // Oracle values of 0 or 1 (every aggregation but pass@k and mean) make each sum a
    // count, which a double holds exactly whatever the order of additions: one byte per
    // query then carries its eight values, and a resample counts bytes.
    const bool binary = std::all_of(solved.begin(), solved.end(), [](double v) { return v == 0.0 || v == 1.0; });
    std::vector<std::uint8_t> solved_set(binary ? n : 0);
    for (std::size_t i = 0; i < solved_set.size(); ++i)
        for (unsigned bits = 0; bits < 8; ++bits)
            solved_set[i] |= static_cast<std::uint8_t>(solved[i * 8 + bits] == 1.0 ? 1u << bits : 0u);
    auto point_of = [&](const std::vector<std::uint32_t>* pick) {
        std::array<double, 8> sum{};
        if (binary) {
            const auto counts = count_sets(solved_set, pick);
            for (unsigned bits = 0; bits < 8; ++bits) sum[bits] = static_cast<double>(counts[bits]);
        } else {
            // Each combination's sum adds the queries in pick order.
            auto add = [&](std::size_t i) {
                const double* v = solved.data() + i * 8;
                for (unsigned bits = 0; bits < 8; ++bits) sum[bits] += v[bits];
            };
            if (pick) for (std::uint32_t i : *pick) add(i);
            else for (std::size_t i = 0; i < n; ++i) add(i);
        }
        point p;
        for (unsigned bits = 0; bits < 8; ++bits) p.u[bits] = n ? 1.0 - sum[bits] / static_cast<double>(n) : 0.0;
        return p;
    };
    const std::vector<double> estimate = statistics(point_of(nullptr), options.order);

    std::vector<std::vector<double>> draws(estimate.size());
    for (auto& column : draws) column.reserve(static_cast<std::size_t>(std::max(options.resamples, 0)));
    if (n > 0) {
        rng r(derive_seed(options.seed, "bootstrap:" + d.benchmark));
        std::vector<std::uint32_t> pick(n);
        for (int b = 0; b < options.resamples; ++b) {
            for (auto& i : pick) i = static_cast<std::uint32_t>(r.below(n));
            const auto stats = statistics(point_of(&pick), options.order);
            for (std::size_t k = 0; k < stats.size(); ++k) draws[k].push_back(stats[k]);
        }
    }
    auto interval_of = [&](std::size_t k) { return percentile_interval(estimate[k], draws[k], options.confidence); };
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
