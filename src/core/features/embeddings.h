// The study's own query vectors (embedding_table) as a feature matrix, so every
// learned router can read an embedding model's view of a query instead of its words.
#pragma once
#include "core/features/sparse.h"
#include "core/study/study.h"

namespace headroom {

// One l2-normalised row per query, every dimension stored. Throws std::invalid_argument
// when the study has no embeddings.
csr_matrix embedding_features(const study& s);

} // namespace headroom
