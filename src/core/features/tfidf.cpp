#include "tfidf.h"

#include "../det_math.h"

#include <algorithm>
#include <numeric>
#include <unordered_map>

namespace headroom {

tfidf_model fit_tfidf(const tokenized_corpus& corpus, std::span<const std::uint32_t> train_docs,
                      const tfidf_options& options) {
    // Document frequencies. The map is only looked up, never iterated for results:
    // the vocabulary is sorted by text below.
    std::unordered_map<std::uint64_t, std::uint32_t> df;
    std::vector<std::uint64_t> terms;
    for (std::uint32_t d : train_docs) {
        document_terms(corpus.docs[d], options.bigrams, terms);
        std::sort(terms.begin(), terms.end());
        terms.erase(std::unique(terms.begin(), terms.end()), terms.end());
        for (std::uint64_t t : terms) ++df[t];
    }
    const double n = static_cast<double>(train_docs.size());
    const double max_count = options.max_df * n;
    std::vector<std::uint64_t> kept;
    std::vector<std::uint32_t> kept_df;
    for (const auto& [key, count] : df)
        if (count >= options.min_df && static_cast<double>(count) <= max_count) {
            kept.push_back(key);
            kept_df.push_back(count);
        }
    std::vector<std::string> text(kept.size());
    for (std::size_t i = 0; i < kept.size(); ++i) text[i] = term_text(corpus, kept[i]);
    std::vector<std::size_t> order(kept.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return text[a] < text[b]; });

    tfidf_model model;
    model.vocabulary.reserve(kept.size());
    for (std::size_t i : order) {
        model.vocabulary.push_back(std::move(text[i]));
        model.keys.push_back(kept[i]);
        model.idf.push_back(det_math::log((1.0 + n) / (1.0 + kept_df[i])) + 1.0);
    }
    return model;
}

csr_matrix transform_tfidf(const tfidf_model& model, const tokenized_corpus& corpus, const tfidf_options& options) {
    std::unordered_map<std::uint64_t, std::uint32_t> column;
    column.reserve(model.keys.size());
    for (std::size_t c = 0; c < model.keys.size(); ++c) column.emplace(model.keys[c], static_cast<std::uint32_t>(c));

    csr_matrix x;
    x.cols = model.vocabulary.size();
    x.row_start.reserve(corpus.docs.size() + 1);
    // At most one non-zero per unigram and bigram: reserved (not touched) up front, so
    // the matrix never grows by copying.
    std::size_t terms_bound = 0;
    for (const auto& doc : corpus.docs) terms_bound += 2 * doc.size();
    x.col.reserve(terms_bound);
    x.value.reserve(terms_bound);
    std::vector<std::uint64_t> terms;
    std::vector<std::uint32_t> cols, row_cols;
    std::vector<double> row_values;
    for (const auto& doc : corpus.docs) {
        document_terms(doc, options.bigrams, terms);
        cols.clear();
        for (std::uint64_t t : terms)
            if (auto it = column.find(t); it != column.end()) cols.push_back(it->second);
        std::sort(cols.begin(), cols.end());
        row_cols.clear();
        row_values.clear();
        for (std::size_t i = 0; i < cols.size();) {
            std::size_t j = i;
            while (j < cols.size() && cols[j] == cols[i]) ++j;
            row_cols.push_back(cols[i]);
            row_values.push_back(static_cast<double>(j - i) * model.idf[cols[i]]);
            i = j;
        }
        x.push_row(row_cols, row_values);
    }
    normalize_rows(x);
    return x;
}

} // namespace headroom
