#include "core/features/embeddings.h"

#include <numeric>
#include <stdexcept>
#include <vector>

namespace headroom {

csr_matrix embedding_features(const study& s) {
    const embedding_table& e = s.embeddings;
    if (e.empty())
        throw std::invalid_argument("the study '" + s.info.name +
                                    "' has no query embeddings (embeddings.jsonl, e.g. from `headroom embed`)");
    csr_matrix x;
    x.cols = e.dimensions;
    std::vector<std::uint32_t> cols(e.dimensions);
    std::iota(cols.begin(), cols.end(), std::uint32_t{0});
    std::vector<double> row(e.dimensions);
    for (std::size_t q = 0; q < s.queries.size(); ++q) {
        const auto v = e.of(q);
        row.assign(v.begin(), v.end());
        x.push_row(cols, row);
    }
    normalize_rows(x);
    return x;
}

} // namespace headroom
