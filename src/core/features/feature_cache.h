// Text features of a study's queries, built once and shared by every router of a run:
// the tokens once per study, each feature matrix once per (training rows, feature
// kind, width, seed). Every matrix has one l2-normalised row per query of the study,
// fitted on the training rows only and applied to all.
#pragma once
#include "../routing/router.h"
#include "sparse.h"
#include "tfidf.h"
#include "tokenizer.h"

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

namespace headroom {

// What a router reads of a query: its text and, for multiple choice, the options,
// since the model sees them too.
std::string query_document(const query& q);

class feature_cache {
public:
    // Keeps a reference to s; nothing is computed until features are asked for.
    explicit feature_cache(const study& s) : s_(s) {}

    const csr_matrix& features(feature_kind kind, std::span<const std::uint32_t> train, const router_options& options,
                               std::uint64_t seed);
    const tokenized_corpus& corpus();
    // How many feature matrices were built (not found in the cache): for tests.
    std::size_t builds() const { return builds_; }

private:
    struct entry {
        feature_kind kind;
        std::vector<std::uint32_t> train;
        int width;            // hashing bits, LSA dimensions; 0 for TF-IDF
        std::uint64_t seed;   // LSA only; 0 otherwise
        csr_matrix x;
    };
    const csr_matrix& tfidf(std::span<const std::uint32_t> train);

    const study& s_;
    bool tokenized_ = false;
    tokenized_corpus corpus_;
    std::vector<std::unique_ptr<entry>> entries_;  // few: one per split and kind
    std::size_t builds_ = 0;
};

} // namespace headroom
