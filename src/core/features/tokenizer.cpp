#include "core/features/tokenizer.h"

#include <array>

namespace headroom {
namespace {

// Each byte as it appears in a token: ASCII letters lowercased, digits and bytes >= 0x80
// as they are; 0 for a byte that separates tokens.
constexpr std::array<char, 256> folded = [] {
    std::array<char, 256> table{};
    for (int c = 0; c < 256; ++c) {
        if (c >= 'A' && c <= 'Z') table[static_cast<std::size_t>(c)] = static_cast<char>(c + ('a' - 'A'));
        else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c >= 0x80)
            table[static_cast<std::size_t>(c)] = static_cast<char>(c);
    }
    return table;
}();

template <class Emit>
void for_each_token(std::string_view text, std::string& scratch, Emit emit) {
    const auto* bytes = reinterpret_cast<const unsigned char*>(text.data());
    const std::size_t n = text.size();
    for (std::size_t i = 0; i < n;) {
        if (!folded[bytes[i]]) {
            ++i;
            continue;
        }
        const std::size_t start = i;
        while (i < n && folded[bytes[i]]) ++i;
        if (i - start < 2) continue;
        scratch.resize(i - start);
        for (std::size_t k = 0; k < scratch.size(); ++k) scratch[k] = folded[bytes[start + k]];
        emit(std::string_view(scratch));
    }
}

// Token text -> id in one flat table (linear probing, at most half full): slots hold
// ids into the corpus's token texts with their text's hash beside them, so a probe
// compares text only on a full hash match. Ids come from first appearance, never from
// the hash.
class token_ids {
public:
    explicit token_ids(std::vector<std::string>& texts) : texts_(texts), slots_(1024) {}

    std::uint32_t id(std::string_view token) {
        if (2 * (texts_.size() + 1) > slots_.size()) grow();
        const std::uint64_t h = hash(token);
        const std::size_t mask = slots_.size() - 1;
        for (std::size_t i = h & mask;; i = (i + 1) & mask) {
            slot& s = slots_[i];
            if (s.id == no_token) {
                s = {h, static_cast<std::uint32_t>(texts_.size())};
                texts_.emplace_back(token);
                return s.id;
            }
            if (s.hash == h && texts_[s.id] == token) return s.id;
        }
    }

private:
    struct slot {
        std::uint64_t hash = 0;
        std::uint32_t id = no_token;
    };

    // FNV-1a over the bytes, then SplitMix64's finaliser, whose low bits pick the slot.
    static std::uint64_t hash(std::string_view text) {
        std::uint64_t h = 0xcbf29ce484222325ULL;
        for (unsigned char c : text) h = (h ^ c) * 0x100000001b3ULL;
        h = (h ^ (h >> 30)) * 0xbf58476d1ce4e5b9ULL;
        h = (h ^ (h >> 27)) * 0x94d049bb133111ebULL;
        return h ^ (h >> 31);
    }
    void grow() {
        std::vector<slot> old(2 * slots_.size());
        old.swap(slots_);
        const std::size_t mask = slots_.size() - 1;
        for (const slot& s : old)
            if (s.id != no_token) {
                std::size_t i = s.hash & mask;
                while (slots_[i].id != no_token) i = (i + 1) & mask;
                slots_[i] = s;
            }
    }

    std::vector<std::string>& texts_;
    std::vector<slot> slots_;
};

} // namespace

std::vector<std::string> tokenize(std::string_view text) {
    std::vector<std::string> out;
    std::string scratch;
    for_each_token(text, scratch, [&](std::string_view token) { out.emplace_back(token); });
    return out;
}

tokenized_corpus tokenize_corpus(std::span<const std::string> documents) {
    tokenized_corpus corpus;
    corpus.docs.resize(documents.size());
    token_ids ids(corpus.token_text);
    std::string scratch;
    for (std::size_t d = 0; d < documents.size(); ++d) {
        auto& doc = corpus.docs[d];
        for_each_token(documents[d], scratch, [&](std::string_view token) { doc.push_back(ids.id(token)); });
    }
    return corpus;
}

std::string term_text(const tokenized_corpus& corpus, std::uint64_t key) {
    const auto first = static_cast<std::uint32_t>(key >> 32);
    const auto second = static_cast<std::uint32_t>(key & 0xffffffffu);
    if (second == no_token) return corpus.token_text[first];
    return corpus.token_text[first] + " " + corpus.token_text[second];
}

} // namespace headroom
