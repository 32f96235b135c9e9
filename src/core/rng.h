// Seeded random numbers that give the same stream on every platform.
// std::*_distribution is implementation-defined, so the study never uses it:
// every draw goes through these functions, natively and in WebAssembly alike.
#pragma once
#include <cstdint>
#include <span>
#include <string_view>

namespace headroom {

// xoshiro256** seeded through splitmix64 (Blackman & Vigna).
class rng {
public:
    explicit rng(std::uint64_t seed);

    std::uint64_t next_u64();
    // Uniform integer in [0, n), unbiased (Lemire's multiply-and-reject); n > 0.
    std::uint64_t below(std::uint64_t n);
    // Uniform double in [0, 1) with 53 random bits.
    double uniform();
    double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }
    bool bernoulli(double p) { return uniform() < p; }
    // Standard normal by Box-Muller over det_math, so it is bit-identical everywhere.
    double normal();
    double normal(double mean, double sd) { return mean + sd * normal(); }

    // Fisher-Yates with below(), identical everywhere.
    template <class T>
    void shuffle(std::span<T> items) {
        for (std::size_t i = items.size(); i > 1; --i) {
            std::size_t j = static_cast<std::size_t>(below(i));
            T tmp = items[i - 1];
            items[i - 1] = items[j];
            items[j] = tmp;
        }
    }

private:
    std::uint64_t s_[4];
};

// A child seed for a named stream, so that adding draws to one part of the
// simulator does not shift the numbers of another part.
std::uint64_t derive_seed(std::uint64_t seed, std::string_view stream, std::uint64_t index = 0);

} // namespace headroom
