// The nearest training queries of each test query by cosine similarity: the search
// behind the knn router, in the two kinds its features come in. Term features (TF-IDF,
// hashed terms) are sparse, and searched through an inverted index; dense vectors
// (LSA, an embedding model's) have every column in every row, and are searched exactly
// among clusters of training rows, most of which a bound rules out.
#pragma once
#include "core/features/sparse.h"

#include <cstdint>
#include <span>
#include <vector>

namespace headroom {

// Per test row (in the order of `test`), its nearest training rows as indices into
// `train`, most similar first: at most k, all with a positive similarity. Neighbours
// are in a total order (more similar first, then the earlier training row), so the k
// nearest are one set in one order, however they are found. Rows of x are l2-normalised.
struct neighbour_lists {
    std::vector<std::size_t> start{0};  // test rows + 1
    std::vector<std::uint32_t> row;
};

// Over the terms in at most 5% of the training rows (all of them on small studies).
neighbour_lists nearest_by_terms(const csr_matrix& x, std::span<const std::uint32_t> train,
                                 std::span<const std::uint32_t> test, std::size_t k);
// Exact, over every column.
neighbour_lists nearest_by_vectors(const csr_matrix& x, std::span<const std::uint32_t> train,
                                   std::span<const std::uint32_t> test, std::size_t k);

} // namespace headroom
