#include "core/features/hashing.h"

#include <algorithm>
#include <stdexcept>
#include <string>

namespace headroom {
namespace {

std::uint64_t fnv1a(std::uint64_t h, std::string_view bytes) {
    for (unsigned char c : bytes) h = (h ^ c) * 0x100000001b3ULL;
    return h;
}

std::uint64_t finalise(std::uint64_t z) {
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

} // namespace

std::uint64_t term_hash(std::string_view first, std::string_view second) {
    std::uint64_t h = fnv1a(0xcbf29ce484222325ULL, first);
    if (!second.empty()) h = fnv1a(fnv1a(h, " "), second);
    return finalise(h);
}

csr_matrix hashing_features(const tokenized_corpus& corpus, int bits, bool bigrams) {
    if (bits < 1 || bits > 30) throw std::invalid_argument("hashing features: bits must be in 1..30, got " + std::to_string(bits));
    const std::uint64_t mask = (std::uint64_t{1} << bits) - 1;
    std::vector<std::uint64_t> unigram_hash(corpus.token_text.size());
    for (std::size_t t = 0; t < unigram_hash.size(); ++t) unigram_hash[t] = term_hash(corpus.token_text[t]);

    csr_matrix x;
    x.cols = std::size_t{1} << bits;
    x.row_start.reserve(corpus.docs.size() + 1);
    std::vector<std::pair<std::uint32_t, double>> entries;
    std::vector<std::uint32_t> row_cols;
    std::vector<double> row_values;
    for (const auto& doc : corpus.docs) {
        entries.clear();
        auto add = [&](std::uint64_t h) {
            entries.emplace_back(static_cast<std::uint32_t>(h & mask), (h >> 63) ? -1.0 : 1.0);
        };
        for (std::uint32_t t : doc) add(unigram_hash[t]);
        if (bigrams)
            for (std::size_t i = 1; i < doc.size(); ++i) add(term_hash(corpus.token_text[doc[i - 1]], corpus.token_text[doc[i]]));
        std::sort(entries.begin(), entries.end());
        row_cols.clear();
        row_values.clear();
        for (const auto& [c, v] : entries) {
            if (!row_cols.empty() && row_cols.back() == c) row_values.back() += v;
            else {
                row_cols.push_back(c);
                row_values.push_back(v);
            }
        }
        // Cancelled buckets are dropped so the row stays strictly sparse.
        std::size_t kept = 0;
        for (std::size_t i = 0; i < row_cols.size(); ++i)
            if (row_values[i] != 0) {
                row_cols[kept] = row_cols[i];
                row_values[kept++] = row_values[i];
            }
        row_cols.resize(kept);
        row_values.resize(kept);
        x.push_row(row_cols, row_values);
    }
    normalize_rows(x);
    return x;
}

} // namespace headroom
