#include "core/features/feature_kind.h"

#include <array>
#include <stdexcept>
#include <string>

namespace headroom {

namespace {
struct feature_name {
    feature_kind kind;
    std::string_view name;
};
constexpr std::array<feature_name, 4> feature_names{{
    {feature_kind::tfidf, "tfidf"},
    {feature_kind::hashing, "hashing"},
    {feature_kind::lsa, "lsa"},
    {feature_kind::embeddings, "embeddings"},
}};
} // namespace

std::string_view to_string(feature_kind f) {
    for (const auto& n : feature_names)
        if (n.kind == f) return n.name;
    return "?";
}

feature_kind parse_feature_kind(std::string_view text) {
    for (const auto& n : feature_names)
        if (n.name == text) return n.kind;
    throw std::invalid_argument("unknown features '" + std::string(text) + "' (known: tfidf, hashing, lsa, embeddings)");
}

} // namespace headroom
