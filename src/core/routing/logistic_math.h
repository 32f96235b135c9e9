// The two transcendental steps of every logistic loss evaluation, fast: det_math's
// series divide at every term, which made them most of a router's training time.
// These use only multiplications and additions with fixed coefficients and an exact
// power-of-two scaling, so they too are bit-identical natively and in WebAssembly.
#pragma once
#include <cmath>
#include <cstdint>
#include <cstring>
#include <span>
#include <type_traits>

namespace headroom::logistic_math {

// 2^e for a normal double's exponent, -1022 <= e <= 1023, built from its bits.
inline double power_of_two(int e) {
    const std::uint64_t bits = static_cast<std::uint64_t>(e + 1023) << 52;
    double out;
    std::memcpy(&out, &bits, sizeof out);
    return out;
}

// The integer nearest to x >= 0 (ties to even), for x below 2^51: adding 1.5 * 2^52
// leaves no fraction bits, so the sum rounds x as nearbyint does in the default
// rounding mode, without its library call.
inline double round_nearest(double x) {
    constexpr double shift = 6755399441055744.0;  // 1.5 * 2^52
    return (x + shift) - shift;
}

// exp(-a[i]) into out[i] for a[i] >= 0, i < width, relative error about 1e-16. Each
// element takes the same operations whatever the width; a width above one interleaves
// the elements' polynomial chains, so they overlap instead of waiting on each other.
template <std::size_t width>
inline void exp_negative_each(const double* a, double* out) {
    constexpr double ln2 = 0.693147180559945309417232121458176568;
    // Taylor coefficients 1/n!, n = 0..13, by Horner's rule.
    constexpr double c[] = {1.0, 1.0, 1.0 / 2, 1.0 / 6, 1.0 / 24, 1.0 / 120, 1.0 / 720, 1.0 / 5040, 1.0 / 40320,
                            1.0 / 362880, 1.0 / 3628800, 1.0 / 39916800, 1.0 / 479001600, 1.0 / 6227020800.0};
    double k[width], r[width], sum[width];
    for (std::size_t w = 0; w < width; ++w) {
        k[w] = round_nearest(a[w] / ln2);  // meaningless for huge a[w], but only a[w] <= 745 is used
        r[w] = k[w] * ln2 - a[w];  // |r| <= ln2 / 2
        sum[w] = c[13];
    }
    for (int i = 12; i >= 0; --i)
        for (std::size_t w = 0; w < width; ++w) sum[w] = sum[w] * r[w] + c[i];
    for (std::size_t w = 0; w < width; ++w) {
        // Scaling by 2^-k is one exactly rounded multiplication, as ldexp's is, but
        // without the library call; ldexp remains for 2^-k below the normal range.
        const auto e = static_cast<int>(a[w] > 745 ? 0.0 : k[w]);
        out[w] = a[w] > 745 ? 0.0 : e <= 1022 ? sum[w] * power_of_two(-e) : std::ldexp(sum[w], -e);
    }
}

inline double exp_negative(double a) {
    double out;
    exp_negative_each<1>(&a, &out);
    return out;
}

// log(1 + e[i]) into out[i] for e[i] in [0, 1], i < width (interleaved as above):
// 2 atanh(s) with s = e / (2 + e) <= 1/3.
template <std::size_t width>
inline void log1p_unit_each(const double* e, double* out) {
    // 1 / (2n + 1), n = 0..16: the last term is below 1e-17 relative.
    constexpr double c[] = {1.0,      1.0 / 3,  1.0 / 5,  1.0 / 7,  1.0 / 9,  1.0 / 11, 1.0 / 13, 1.0 / 15, 1.0 / 17,
                            1.0 / 19, 1.0 / 21, 1.0 / 23, 1.0 / 25, 1.0 / 27, 1.0 / 29, 1.0 / 31, 1.0 / 33};
    double s[width], s2[width], sum[width];
    for (std::size_t w = 0; w < width; ++w) {
        s[w] = e[w] / (2 + e[w]);
        s2[w] = s[w] * s[w];
        sum[w] = c[16];
    }
    for (int i = 15; i >= 0; --i)
        for (std::size_t w = 0; w < width; ++w) sum[w] = sum[w] * s2[w] + c[i];
    for (std::size_t w = 0; w < width; ++w) out[w] = 2 * s[w] * sum[w];
}

inline double log1p_unit(double e) {
    double out;
    log1p_unit_each<1>(&e, &out);
    return out;
}

// log(x[i]) into out[i] for x[i] >= 1 below 2^1024, i < width (interleaved as above):
// x = 2^e * m with m in [1, 2) read off its bits, so log(x) = e ln 2 + log(1 + (m - 1)),
// and m - 1 is exact.
template <std::size_t width>
inline void log_at_least_one_each(const double* x, double* out) {
    constexpr double ln2 = 0.693147180559945309417232121458176568;
    double fraction[width], log_m[width];
    int e[width];
    for (std::size_t w = 0; w < width; ++w) {
        std::uint64_t bits;
        std::memcpy(&bits, &x[w], sizeof bits);
        e[w] = static_cast<int>(bits >> 52) - 1023;
        bits = (bits & ((std::uint64_t{1} << 52) - 1)) | (std::uint64_t{1023} << 52);
        double m;
        std::memcpy(&m, &bits, sizeof m);
        fraction[w] = m - 1;
    }
    log1p_unit_each<width>(fraction, log_m);
    for (std::size_t w = 0; w < width; ++w) out[w] = e[w] * ln2 + log_m[w];
}

inline double log_at_least_one(double x) {
    double out;
    log_at_least_one_each<1>(&x, &out);
    return out;
}

// each(i, width) over [0, size) in chunks of eight and a last chunk of the exact width
// left, so a chunk's elements overlap their polynomial chains. (Chunks of four and a
// scalar rest left a softmax over six models waiting on two lone chains per row.)
template <class Each>
inline void in_chunks(std::size_t size, Each each) {
    std::size_t i = 0;
    for (; i + 8 <= size; i += 8) each(i, std::integral_constant<std::size_t, 8>{});
    switch (size - i) {
    case 7: return each(i, std::integral_constant<std::size_t, 7>{});
    case 6: return each(i, std::integral_constant<std::size_t, 6>{});
    case 5: return each(i, std::integral_constant<std::size_t, 5>{});
    case 4: return each(i, std::integral_constant<std::size_t, 4>{});
    case 3: return each(i, std::integral_constant<std::size_t, 3>{});
    case 2: return each(i, std::integral_constant<std::size_t, 2>{});
    case 1: return each(i, std::integral_constant<std::size_t, 1>{});
    default: return;
    }
}

// exp_negative, log1p_unit and log_at_least_one over a span, into out (at least as long).
inline void exp_negative(std::span<const double> a, std::span<double> out) {
    in_chunks(a.size(), [&](std::size_t i, auto width) { exp_negative_each<width()>(&a[i], &out[i]); });
}
inline void log1p_unit(std::span<const double> e, std::span<double> out) {
    in_chunks(e.size(), [&](std::size_t i, auto width) { log1p_unit_each<width()>(&e[i], &out[i]); });
}
inline void log_at_least_one(std::span<const double> x, std::span<double> out) {
    in_chunks(x.size(), [&](std::size_t i, auto width) { log_at_least_one_each<width()>(&x[i], &out[i]); });
}

// logistic(z) from e = exp(-|z|).
inline double logistic_from(double z, double e) { return z >= 0 ? 1.0 / (1.0 + e) : e / (1.0 + e); }
inline double logistic(double z) { return logistic_from(z, exp_negative(std::abs(z))); }

} // namespace headroom::logistic_math
