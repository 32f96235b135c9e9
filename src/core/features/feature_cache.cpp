#include "core/features/feature_cache.h"

#include "core/features/embeddings.h"
#include "core/features/hashing.h"
#include "core/features/lsa.h"

#include <algorithm>

namespace headroom {

std::string query_document(const query& q) {
    std::string doc = q.text;
    for (const auto& option : q.options) {
        doc += '\n';
        doc += option;
    }
    return doc;
}

const tokenized_corpus& feature_cache::corpus() {
    once(tokenized_, tokenize_error_, [&] {
        std::vector<std::string> documents;
        documents.reserve(s_.queries.size());
        for (const auto& q : s_.queries) documents.push_back(query_document(q));
        corpus_ = tokenize_corpus(documents);
    });
    return corpus_;
}

const csr_matrix& feature_cache::features(feature_kind kind, std::span<const std::uint32_t> train,
                                          const feature_options& options, std::uint64_t seed) {
    const int width = kind == feature_kind::hashing ? options.hash_bits
                      : kind == feature_kind::lsa   ? options.dimensions
                                                    : 0;
    // Hashing and the study's embeddings fit nothing, so one matrix serves every split.
    const bool split_free = kind == feature_kind::hashing || kind == feature_kind::embeddings;
    const std::uint64_t key_seed = kind == feature_kind::lsa ? seed : 0;
    entry* e = nullptr;
    {
        const std::lock_guard lock(lookup_);
        for (const auto& known : entries_)
            if (known->kind == kind && known->width == width && known->seed == key_seed &&
                (split_free || std::equal(known->train.begin(), known->train.end(), train.begin(), train.end()))) {
                e = known.get();
                break;
            }
        if (!e) {
            e = entries_.emplace_back(std::make_unique<entry>()).get();
            e->kind = kind;
            e->width = width;
            e->seed = key_seed;
            if (!split_free) e->train.assign(train.begin(), train.end());
        }
    }
    once(e->built, e->error, [&] {
        switch (kind) {
        case feature_kind::tfidf: e->x = transform_tfidf(fit_tfidf(corpus(), train), corpus()); break;
        case feature_kind::hashing: e->x = hashing_features(corpus(), width); break;
        case feature_kind::embeddings: e->x = embedding_features(s_); break;
        case feature_kind::lsa: {
            // Fitted on the distinct training rows, each weighted by its copies.
            const csr_matrix& tf = tfidf(train);
            const row_groups& distinct = identical_rows(tf, train);
            lsa_options o;
            o.dimensions = width;
            e->x = transform_lsa(fit_lsa(tf, distinct.first, o, seed, distinct.size), tf);
            break;
        }
        }
        ++builds_;
    });
    return e->x;
}

feature_cache::derived_entry& feature_cache::find_or_add_derived(const csr_matrix& x, std::vector<std::uint64_t> key) {
    const std::lock_guard lock(lookup_);
    for (const auto& d : derived_)
        if (d->x == &x && d->key == key) return *d;
    auto& d = *derived_.emplace_back(std::make_unique<derived_entry>());
    d.x = &x;
    d.key = std::move(key);
    return d;
}

const row_groups& feature_cache::identical_rows(const csr_matrix& x, std::span<const std::uint32_t> rows) {
    constexpr std::uint64_t tag = 0x73616d65;  // "same"
    std::vector<std::uint64_t> key{tag};
    key.insert(key.end(), rows.begin(), rows.end());
    return derived<row_groups>(x, std::move(key), [&] { return group_identical_rows(x, rows); });
}

const csr_matrix& feature_cache::tfidf(std::span<const std::uint32_t> train) {
    return features(feature_kind::tfidf, train, feature_options{}, 0);
}

} // namespace headroom
