#include "rng.h"

#include "det_math.h"

namespace headroom {
namespace {

std::uint64_t splitmix64(std::uint64_t& state) {
    std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

// The 128-bit product of a and b as (high, low), in portable 32-bit halves.
std::uint64_t mul_wide(std::uint64_t a, std::uint64_t b, std::uint64_t& low) {
    const std::uint64_t a_lo = a & 0xffffffffu, a_hi = a >> 32, b_lo = b & 0xffffffffu, b_hi = b >> 32;
    const std::uint64_t lo_lo = a_lo * b_lo, hi_lo = a_hi * b_lo, lo_hi = a_lo * b_hi, hi_hi = a_hi * b_hi;
    const std::uint64_t cross = (lo_lo >> 32) + (hi_lo & 0xffffffffu) + lo_hi;
    low = (cross << 32) | (lo_lo & 0xffffffffu);
    return hi_hi + (hi_lo >> 32) + (cross >> 32);
}

} // namespace

rng::rng(std::uint64_t seed) {
    std::uint64_t state = seed;
    for (auto& word : s_) word = splitmix64(state);
}

std::uint64_t rng::next_u64() {
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

std::uint64_t rng::below(std::uint64_t n) {
    // Lemire: the high word of x * n is uniform once the low word clears the threshold.
    std::uint64_t low = 0;
    std::uint64_t high = mul_wide(next_u64(), n, low);
    if (low < n) {
        const std::uint64_t threshold = (0 - n) % n;
        while (low < threshold) high = mul_wide(next_u64(), n, low);
    }
    return high;
}

double rng::uniform() { return static_cast<double>(next_u64() >> 11) * 0x1.0p-53; }

double rng::normal() {
    // 1 - uniform() lies in (0, 1], so the logarithm is finite.
    const double u1 = 1.0 - uniform();
    const double u2 = uniform();
    return det_math::sqrt(-2.0 * det_math::log(u1)) * det_math::cos(2.0 * det_math::pi * u2);
}

std::uint64_t derive_seed(std::uint64_t seed, std::string_view stream, std::uint64_t index) {
    // FNV-1a over the stream name, mixed with the seed and index through splitmix64.
    std::uint64_t h = 0xcbf29ce484222325ULL;
    for (char c : stream) {
        h ^= static_cast<unsigned char>(c);
        h *= 0x100000001b3ULL;
    }
    std::uint64_t state = seed ^ h;
    std::uint64_t a = splitmix64(state);
    state ^= index * 0xd1b54a32d192ed03ULL;
    return a ^ splitmix64(state);
}

} // namespace headroom
