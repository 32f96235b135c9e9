#include "tokenizer.h"

#include <unordered_map>

namespace headroom {
namespace {

bool word_byte(unsigned char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c >= 0x80; }
char lower(unsigned char c) { return static_cast<char>(c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c); }

template <class Emit>
void for_each_token(std::string_view text, std::string& scratch, Emit emit) {
    std::size_t i = 0;
    while (i < text.size()) {
        if (!word_byte(static_cast<unsigned char>(text[i]))) {
            ++i;
            continue;
        }
        scratch.clear();
        while (i < text.size() && word_byte(static_cast<unsigned char>(text[i])))
            scratch.push_back(lower(static_cast<unsigned char>(text[i++])));
        if (scratch.size() >= 2) emit(scratch);
    }
}

} // namespace

std::vector<std::string> tokenize(std::string_view text) {
    std::vector<std::string> out;
    std::string scratch;
    for_each_token(text, scratch, [&](const std::string& token) { out.push_back(token); });
    return out;
}

tokenized_corpus tokenize_corpus(std::span<const std::string> documents) {
    tokenized_corpus corpus;
    corpus.docs.resize(documents.size());
    std::unordered_map<std::string, std::uint32_t> ids;  // lookups only; ids come from first appearance
    std::string scratch;
    for (std::size_t d = 0; d < documents.size(); ++d) {
        auto& doc = corpus.docs[d];
        for_each_token(documents[d], scratch, [&](const std::string& token) {
            auto [it, added] = ids.try_emplace(token, static_cast<std::uint32_t>(corpus.token_text.size()));
            if (added) corpus.token_text.push_back(token);
            doc.push_back(it->second);
        });
    }
    return corpus;
}

void document_terms(std::span<const std::uint32_t> tokens, bool bigrams, std::vector<std::uint64_t>& out) {
    out.clear();
    for (std::uint32_t t : tokens) out.push_back(term_key(t));
    if (bigrams)
        for (std::size_t i = 1; i < tokens.size(); ++i) out.push_back(term_key(tokens[i - 1], tokens[i]));
}

std::string term_text(const tokenized_corpus& corpus, std::uint64_t key) {
    const auto first = static_cast<std::uint32_t>(key >> 32);
    const auto second = static_cast<std::uint32_t>(key & 0xffffffffu);
    if (second == no_token) return corpus.token_text[first];
    return corpus.token_text[first] + " " + corpus.token_text[second];
}

} // namespace headroom
