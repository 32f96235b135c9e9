#include "core/features/tfidf.h"

#include "core/base/det_math.h"
#include "core/features/key_table.h"

#include <algorithm>
#include <bit>
#include <numeric>

namespace headroom {

tfidf_model fit_tfidf(const tokenized_corpus& corpus, std::span<const std::uint32_t> train_docs,
                      const tfidf_options& options) {
    // Document frequencies: a term counts once per document, when a document other than
    // the last one that counted it meets it (no per-document sort). Terms are listed in
    // order of first appearance; the vocabulary is sorted by text below.
    struct term_count {
        std::uint64_t key;
        std::uint32_t df = 0;
        std::size_t last_doc = ~std::size_t{0};
    };
    key_table position;  // term key -> its place in counts
    std::vector<term_count> counts;
    for (std::size_t i = 0; i < train_docs.size(); ++i)
        for_each_term(corpus.docs[train_docs[i]], options.bigrams, [&](std::uint64_t key) {
            const auto [at, added] = position.try_emplace(key, static_cast<std::uint32_t>(counts.size()));
            if (added) counts.push_back({key});
            term_count& c = counts[at];
            if (c.last_doc != i) {
                c.last_doc = i;
                ++c.df;
            }
        });
    const double n = static_cast<double>(train_docs.size());
    const double max_count = options.max_df * n;
    std::vector<std::uint64_t> kept;
    std::vector<std::uint32_t> kept_df;
    for (const term_count& c : counts)
        if (c.df >= options.min_df && static_cast<double>(c.df) <= max_count) {
            kept.push_back(c.key);
            kept_df.push_back(c.df);
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
    key_table column(model.keys.size());
    for (std::size_t c = 0; c < model.keys.size(); ++c) column.try_emplace(model.keys[c], static_cast<std::uint32_t>(c));

    csr_matrix x;
    x.cols = model.vocabulary.size();
    x.row_start.reserve(corpus.docs.size() + 1);
    // At most one non-zero per unigram and bigram: reserved (not touched) up front, so
    // the matrix never grows by copying.
    std::size_t terms_bound = 0;
    for (const auto& doc : corpus.docs) terms_bound += 2 * doc.size();
    x.col.reserve(terms_bound);
    x.value.reserve(terms_bound);
    // A document's term counts by column, and the columns it touched, in ascending order
    // either read off a bitmap of them (when the bitmap's words are few next to the
    // touched columns) or sorted.
    const std::size_t words = (x.cols + 63) / 64;
    std::vector<std::uint32_t> count(x.cols, 0), touched;
    std::vector<std::uint64_t> seen(words, 0);
    std::vector<double> row_values;
    for (const auto& doc : corpus.docs) {
        touched.clear();
        for_each_term(doc, options.bigrams, [&](std::uint64_t key) {
            if (const std::uint32_t* c = column.find(key); c && count[*c]++ == 0) touched.push_back(*c);
        });
        if (words <= 4 * touched.size()) {
            for (std::uint32_t c : touched) seen[c / 64] |= std::uint64_t{1} << (c % 64);
            touched.clear();
            for (std::size_t w = 0; w < words; ++w) {
                for (std::uint64_t bits = seen[w]; bits != 0; bits &= bits - 1)
                    touched.push_back(static_cast<std::uint32_t>(w * 64 + static_cast<std::size_t>(std::countr_zero(bits))));
                seen[w] = 0;
            }
        } else {
            std::sort(touched.begin(), touched.end());
        }
        row_values.clear();
        for (std::uint32_t c : touched) {
            row_values.push_back(static_cast<double>(count[c]) * model.idf[c]);
            count[c] = 0;
        }
        x.push_row(touched, row_values);
    }
    normalize_rows(x);
    return x;
}

} // namespace headroom
