#include "core/study/split.h"

#include "core/base/rng.h"

#include <algorithm>
#include <cmath>

namespace headroom {

bool has_published_split(const study& s, std::uint32_t b) {
    bool any = false;
    for (const query& q : s.queries) {
        if (q.benchmark != b) continue;
        if (q.split == split_side::none) return false;
        any = true;
    }
    return any;
}

query_split split_queries(const study& s, double test_fraction, std::uint64_t seed) {
    query_split out;
    for (std::uint32_t b = 0; b < s.benchmarks.size(); ++b) {
        std::vector<std::uint32_t> rows;
        for (std::uint32_t q = 0; q < s.queries.size(); ++q)
            if (s.queries[q].benchmark == b) rows.push_back(q);
        if (has_published_split(s, b)) {
            for (std::uint32_t q : rows) (s.queries[q].split == split_side::test ? out.test : out.train).push_back(q);
            continue;
        }
        rng r(derive_seed(seed, "split", b));
        r.shuffle(std::span<std::uint32_t>(rows));
        const auto n_test = static_cast<std::size_t>(std::llround(test_fraction * static_cast<double>(rows.size())));
        out.test.insert(out.test.end(), rows.begin(), rows.begin() + static_cast<std::ptrdiff_t>(n_test));
        out.train.insert(out.train.end(), rows.begin() + static_cast<std::ptrdiff_t>(n_test), rows.end());
    }
    std::sort(out.train.begin(), out.train.end());
    std::sort(out.test.begin(), out.test.end());
    return out;
}

std::string describe_split(const study& s, double test_fraction, std::uint64_t seed) {
    std::vector<std::string> published;
    for (std::uint32_t b = 0; b < s.benchmarks.size(); ++b)
        if (has_published_split(s, b)) published.push_back(s.benchmarks[b].id);
    const std::string seeded = std::to_string(static_cast<long long>(std::llround(100 * test_fraction))) + "% of ";
    const std::string seed_text = " (seed " + std::to_string(seed) + ")";
    if (published.empty()) return seeded + "each benchmark's queries" + seed_text;
    if (published.size() == s.benchmarks.size()) return "each benchmark's published test set";
    std::string names;
    for (const auto& id : published) names += (names.empty() ? "" : ", ") + id;
    return "the published test sets of " + names + ", " + seeded + "the other benchmarks' queries" + seed_text;
}

} // namespace headroom
