// A hash table from 64-bit keys to 32-bit values, flat (linear probing in one array
// of power-of-two size, kept at most half full): TF-IDF counts and looks up millions
// of unigram and bigram keys per build, where std::unordered_map spends a node per
// entry and a division per lookup. Callers never depend on the slot order.
#pragma once
#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

namespace headroom {

class key_table {
public:
    static constexpr std::uint64_t no_key = ~std::uint64_t{0};  // reserved: never a key

    explicit key_table(std::size_t expected = 0) { rehash(capacity_for(expected)); }

    // The value of `key`, first set to `value` when the key is new; and whether it was.
    // The reference lasts until the next insertion.
    std::pair<std::uint32_t&, bool> try_emplace(std::uint64_t key, std::uint32_t value) {
        if (2 * (size_ + 1) > slots_.size()) rehash(2 * slots_.size());
        slot& s = slots_[probe(key)];
        if (s.key == key) return {s.value, false};
        s = {key, value};
        ++size_;
        return {s.value, true};
    }
    const std::uint32_t* find(std::uint64_t key) const {
        const slot& s = slots_[probe(key)];
        return s.key == key ? &s.value : nullptr;
    }
    std::size_t size() const { return size_; }

private:
    struct slot {
        std::uint64_t key = no_key;
        std::uint32_t value = 0;
    };

    static std::size_t capacity_for(std::size_t entries) {
        std::size_t n = 16;
        while (n < 2 * entries) n *= 2;
        return n;
    }
    // The slot holding `key`, or the empty one where it would go. Keys are packed token
    // ids, small and regular, so they are mixed (SplitMix64's finaliser) first.
    std::size_t probe(std::uint64_t key) const {
        std::uint64_t z = (key ^ (key >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        const std::size_t mask = slots_.size() - 1;
        std::size_t i = static_cast<std::size_t>(z ^ (z >> 31)) & mask;
        while (slots_[i].key != key && slots_[i].key != no_key) i = (i + 1) & mask;
        return i;
    }
    void rehash(std::size_t capacity) {
        std::vector<slot> old(capacity);
        old.swap(slots_);
        for (const slot& s : old)
            if (s.key != no_key) slots_[probe(s.key)] = s;
    }

    std::vector<slot> slots_;
    std::size_t size_ = 0;
};

} // namespace headroom
