#include "split.h"

#include "rng.h"

#include <algorithm>
#include <cmath>

namespace headroom {

query_split split_queries(const study& s, double test_fraction, std::uint64_t seed) {
    query_split out;
    for (std::uint32_t b = 0; b < s.benchmarks.size(); ++b) {
        std::vector<std::uint32_t> rows;
        for (std::uint32_t q = 0; q < s.queries.size(); ++q)
            if (s.queries[q].benchmark == b) rows.push_back(q);
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

} // namespace headroom
