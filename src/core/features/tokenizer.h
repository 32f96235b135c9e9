// Word tokens for text features: maximal runs of ASCII letters and digits, lowercased,
// with every byte >= 0x80 counted as a letter so UTF-8 words stay whole. Tokens of one
// character are dropped (as scikit-learn's default token pattern does): single letters
// are mostly option labels and articles, noise for routing.
#pragma once
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace headroom {

std::vector<std::string> tokenize(std::string_view text);

// Documents as token ids. Ids are given in order of first appearance over the
// documents, so they depend only on the texts and their order, never on hashing.
struct tokenized_corpus {
    std::vector<std::string> token_text;            // id -> token
    std::vector<std::vector<std::uint32_t>> docs;   // per document, its tokens in order
};
tokenized_corpus tokenize_corpus(std::span<const std::string> documents);

// A term is a unigram or a bigram of token ids, packed for counting.
inline constexpr std::uint32_t no_token = 0xffffffffu;
inline std::uint64_t term_key(std::uint32_t first, std::uint32_t second = no_token) {
    return (static_cast<std::uint64_t>(first) << 32) | second;
}
// f(key) for the unigrams then the bigrams of one document, with repeats.
template <class F>
void for_each_term(std::span<const std::uint32_t> tokens, bool bigrams, F&& f) {
    for (std::uint32_t t : tokens) f(term_key(t));
    if (bigrams)
        for (std::size_t i = 1; i < tokens.size(); ++i) f(term_key(tokens[i - 1], tokens[i]));
}
// "token" or "first second".
std::string term_text(const tokenized_corpus& corpus, std::uint64_t key);

} // namespace headroom
