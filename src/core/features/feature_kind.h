// Which text features a router reads, and the widths that pick one matrix of a kind:
// declared here, below the routers, so the feature cache needs nothing of routing.
#pragma once
#include <cstdint>
#include <span>
#include <string_view>

namespace headroom {

// embeddings: the study's own query vectors (embedding_table), where it has them.
enum class feature_kind : std::uint8_t { tfidf, hashing, lsa, embeddings };
std::string_view to_string(feature_kind f);
feature_kind parse_feature_kind(std::string_view text);  // throws std::invalid_argument
std::span<const feature_kind> all_feature_kinds();  // in the order the app offers them

struct feature_options {
    int dimensions = 64;  // lsa (also the query side of matrix factorisation)
    int hash_bits = 16;   // hashing features: 2^bits buckets
};

} // namespace headroom
