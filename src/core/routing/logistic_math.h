// The two transcendental steps of every logistic loss evaluation, fast: det_math's
// series divide at every term, which made them most of a router's training time.
// These use only multiplications and additions with fixed coefficients and an exact
// power-of-two scaling, so they too are bit-identical natively and in WebAssembly.
#pragma once
#include <cmath>
#include <cstdint>
#include <cstring>

namespace headroom::logistic_math {

// 2^e for a normal double's exponent, -1022 <= e <= 1023, built from its bits.
inline double power_of_two(int e) {
    const std::uint64_t bits = static_cast<std::uint64_t>(e + 1023) << 52;
    double out;
    std::memcpy(&out, &bits, sizeof out);
    return out;
}

// exp(-a) for a >= 0, relative error about 1e-16.
inline double exp_negative(double a) {
    if (a > 745) return 0.0;
    constexpr double ln2 = 0.693147180559945309417232121458176568;
    const double k = std::nearbyint(a / ln2);
    const double r = k * ln2 - a;  // |r| <= ln2 / 2
    // Taylor coefficients 1/n!, n = 0..13, by Horner's rule.
    constexpr double c[] = {1.0, 1.0, 1.0 / 2, 1.0 / 6, 1.0 / 24, 1.0 / 120, 1.0 / 720, 1.0 / 5040, 1.0 / 40320,
                            1.0 / 362880, 1.0 / 3628800, 1.0 / 39916800, 1.0 / 479001600, 1.0 / 6227020800.0};
    double sum = c[13];
    for (int i = 12; i >= 0; --i) sum = sum * r + c[i];
    // Scaling by 2^-k is one exactly rounded multiplication, as ldexp's is, but without
    // the library call; ldexp remains for 2^-k below the normal range.
    return k <= 1022 ? sum * power_of_two(-static_cast<int>(k)) : std::ldexp(sum, -static_cast<int>(k));
}

// log(1 + e) for e in [0, 1]: 2 atanh(s) with s = e / (2 + e) <= 1/3.
inline double log1p_unit(double e) {
    const double s = e / (2 + e), s2 = s * s;
    // 1 / (2n + 1), n = 0..16: the last term is below 1e-17 relative.
    constexpr double c[] = {1.0,      1.0 / 3,  1.0 / 5,  1.0 / 7,  1.0 / 9,  1.0 / 11, 1.0 / 13, 1.0 / 15, 1.0 / 17,
                            1.0 / 19, 1.0 / 21, 1.0 / 23, 1.0 / 25, 1.0 / 27, 1.0 / 29, 1.0 / 31, 1.0 / 33};
    double sum = c[16];
    for (int i = 15; i >= 0; --i) sum = sum * s2 + c[i];
    return 2 * s * sum;
}

// logistic(z) from e = exp(-|z|).
inline double logistic_from(double z, double e) { return z >= 0 ? 1.0 / (1.0 + e) : e / (1.0 + e); }
inline double logistic(double z) { return logistic_from(z, exp_negative(std::abs(z))); }

} // namespace headroom::logistic_math
