// The hashing vectorizer: each unigram and bigram goes to bucket hash(term) mod 2^bits
// with a sign from another bit of the hash (so collisions cancel on average instead of
// piling up), l2-normalised rows. Nothing is fitted: a new query needs no vocabulary.
#pragma once
#include "core/features/sparse.h"
#include "core/features/tokenizer.h"

#include <string_view>

namespace headroom {

// FNV-1a over the term's text ("first second" for a bigram) then a 64-bit finaliser,
// so the bucket depends on the words alone, not on the corpus.
std::uint64_t term_hash(std::string_view first, std::string_view second = {});

csr_matrix hashing_features(const tokenized_corpus& corpus, int bits, bool bigrams = true);

} // namespace headroom
