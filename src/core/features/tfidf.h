// TF-IDF over word unigrams and bigrams, fitted on the training documents only and
// applied to every document, as scikit-learn's TfidfVectorizer computes it with its
// defaults (raw counts, smooth idf = ln((1 + n) / (1 + df)) + 1, l2-normalised rows).
#pragma once
#include "core/features/sparse.h"
#include "core/features/tokenizer.h"

#include <span>
#include <string>
#include <vector>

namespace headroom {

struct tfidf_options {
    bool bigrams = true;
    // Terms in fewer than min_df training documents, or in more than max_df of them
    // (a share), are dropped: rare terms cannot generalise, near-universal ones carry
    // no signal (P1 prunes its TF-IDF vocabulary the same two ways).
    std::size_t min_df = 2;
    double max_df = 0.95;
};

struct tfidf_model {
    std::vector<std::string> vocabulary;  // column -> term, sorted by text
    std::vector<double> idf;              // per column
    std::vector<std::uint64_t> keys;      // per column, the term's key in the fitted corpus
};

tfidf_model fit_tfidf(const tokenized_corpus& corpus, std::span<const std::uint32_t> train_docs,
                      const tfidf_options& options = {});
// One row per document of the corpus the model was fitted on.
csr_matrix transform_tfidf(const tfidf_model& model, const tokenized_corpus& corpus, const tfidf_options& options = {});

} // namespace headroom
