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

    // Inline: the bootstrap and the noise null draw hundreds of millions of numbers.
    std::uint64_t next_u64() {
        const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
        const std::uint64_t t = s_[1] << 17;
        s_[2] ^= s_[0];
        s_[3] ^= s_[1];
        s_[1] ^= s_[2];
        s_[0] ^= s_[3];
        s_[2] ^= t;
        s_[3] = rotl(s_[3], 45);
        return result;
    }
    // Uniform integer in [0, n), unbiased (Lemire's multiply-and-reject); n > 0.
    std::uint64_t below(std::uint64_t n) {
        // The high word of x * n is uniform once the low word clears the threshold.
        std::uint64_t low = 0;
        std::uint64_t high = mul_wide(next_u64(), n, low);
        if (low < n) {
            const std::uint64_t threshold = (0 - n) % n;
            while (low < threshold) high = mul_wide(next_u64(), n, low);
        }
        return high;
    }
    // Uniform double in [0, 1) with 53 random bits.
    double uniform() { return static_cast<double>(next_u64() >> 11) * 0x1.0p-53; }
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
    static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
    // The 128-bit product of a and b as (high, low), in portable 32-bit halves.
    static std::uint64_t mul_wide(std::uint64_t a, std::uint64_t b, std::uint64_t& low) {
        const std::uint64_t a_lo = a & 0xffffffffu, a_hi = a >> 32, b_lo = b & 0xffffffffu, b_hi = b >> 32;
        const std::uint64_t lo_lo = a_lo * b_lo, hi_lo = a_hi * b_lo, lo_hi = a_lo * b_hi, hi_hi = a_hi * b_hi;
        const std::uint64_t cross = (lo_lo >> 32) + (hi_lo & 0xffffffffu) + lo_hi;
        low = (cross << 32) | (lo_lo & 0xffffffffu);
        return hi_hi + (hi_lo >> 32) + (cross >> 32);
    }

    std::uint64_t s_[4];
};

// A child seed for a named stream, so that adding draws to one part of the
// simulator does not shift the numbers of another part.
std::uint64_t derive_seed(std::uint64_t seed, std::string_view stream, std::uint64_t index = 0);

} // namespace headroom
