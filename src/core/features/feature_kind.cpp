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
constexpr std::array<feature_kind, feature_names.size()> kinds = [] {
    std::array<feature_kind, feature_names.size()> out{};
    for (std::size_t i = 0; i < feature_names.size(); ++i) out[i] = feature_names[i].kind;
    return out;
}();
} // namespace

std::string_view to_string(feature_kind f) {
    for (const auto& n : feature_names)
        if (n.kind == f) return n.name;
    return "?";
}

feature_kind parse_feature_kind(std::string_view text) {
    for (const auto& n : feature_names)
        if (n.name == text) return n.kind;
    std::string known;
    for (const auto& n : feature_names) known += (known.empty() ? "" : ", ") + std::string(n.name);
    throw std::invalid_argument("unknown features '" + std::string(text) + "' (known: " + known + ")");
}

std::span<const feature_kind> all_feature_kinds() { return kinds; }

} // namespace headroom
