#include "core/base/rng.h"

#include "core/base/det_math.h"

namespace headroom {
namespace {

std::uint64_t splitmix64(std::uint64_t& state) {
    std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

} // namespace

rng::rng(std::uint64_t seed) {
    std::uint64_t state = seed;
    for (auto& word : s_) word = splitmix64(state);
}

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
