// det_math: elementary functions from + - * / only. Two kinds of checks: accuracy
// against the platform's libm (within a few ulps), and fixed bit patterns, which the
// WASM run of this same test compares against the native build's results.
#include "core/base/det_math.h"
#include "core/base/rng.h"

#include "test_support.h"

#include <bit>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>

namespace dm = headroom::det_math;

namespace {
std::uint64_t bits_of(double d) {
    std::uint64_t u = 0;
    std::memcpy(&u, &d, sizeof u);
    return u;
}
double rel_error(double got, double want) {
    if (want == 0) return std::fabs(got);
    return std::fabs(got - want) / std::fabs(want);
}
} // namespace

TEST_CASE("det_math: exp and log agree with libm", "[det_math]") {
    // Near 0 exp is within a few ulps. For large |x| the reduction x - k ln2 with a
    // one-double ln2 loses about k ulps of ln2 (measured: 8e-14 relative at x = 689),
    // which is more than the header's "about 1e-15" but harmless for the simulator.
    double worst_small = 0, worst_large = 0, worst_log = 0;
    for (double x = -3; x <= 3; x += 0.0009765625) worst_small = std::max(worst_small, rel_error(dm::exp(x), std::exp(x)));
    for (double x = -700; x <= 700; x += 0.73) worst_large = std::max(worst_large, rel_error(dm::exp(x), std::exp(x)));
    for (double x = 1e-300; x < 1e300; x *= 1.37) worst_log = std::max(worst_log, std::fabs(dm::log(x) - std::log(x)) / std::max(1.0, std::fabs(std::log(x))));
    for (double x = 0.5; x <= 2; x += 0.0001) worst_log = std::max(worst_log, std::fabs(dm::log(x) - std::log(x)));
    CHECK(worst_small < 2e-15);
    CHECK(worst_large < 2e-13);
    CHECK(worst_log < 1e-15);
}

TEST_CASE("det_math: special values", "[det_math]") {
    const double inf = std::numeric_limits<double>::infinity();
    CHECK(dm::exp(0.0) == 1.0);
    CHECK(dm::exp(710.0) == inf);
    CHECK(dm::exp(-746.0) == 0.0);
    CHECK(std::isfinite(dm::exp(709.78)));
    CHECK(dm::exp(-745.0) > 0.0);  // the smallest subnormal, like libm
    CHECK(std::isnan(dm::exp(std::nan(""))));
    CHECK(dm::log(1.0) == 0.0);
    CHECK(dm::log(0.0) == -inf);
    CHECK(std::isnan(dm::log(-1.0)));
    CHECK(dm::log(inf) == inf);
    CHECK(std::isnan(dm::log(std::nan(""))));
    CHECK(dm::log(std::numeric_limits<double>::denorm_min()) == Approx(std::log(std::numeric_limits<double>::denorm_min())).epsilon(1e-15));
    CHECK(dm::cos(0.0) == 1.0);
    CHECK(dm::sin(0.0) == Approx(0.0).margin(1e-16));
    CHECK(dm::logistic(0.0) == 0.5);
    CHECK(dm::logistic(800.0) == 1.0);
    CHECK(dm::logistic(-800.0) == 0.0);
    CHECK(dm::sqrt(2.0) == std::sqrt(2.0));
}

TEST_CASE("det_math: cos, sin, pow and logistic agree with libm", "[det_math]") {
    double worst = 0;
    for (double x = -60; x <= 60; x += 0.0137) {
        worst = std::max(worst, std::fabs(dm::cos(x) - std::cos(x)));
        worst = std::max(worst, std::fabs(dm::sin(x) - std::sin(x)));
    }
    CHECK(worst < 1e-14);
    for (double b : {0.001, 0.5, 2.0, 10.0, 12345.678})
        for (double e : {-3.5, -1.0, 0.0, 0.25, 1.0, 2.0, 7.5}) {
            INFO(b << "^" << e);
            CHECK(rel_error(dm::pow(b, e), std::pow(b, e)) < 1e-13);
        }
    for (double x = -30; x <= 30; x += 0.01) {
        INFO("logistic(" << x << ")");
        REQUIRE(rel_error(dm::logistic(x), 1.0 / (1.0 + std::exp(-x))) < 1e-14);
    }
}

TEST_CASE("det_math: fixed bit patterns (identical natively and in WebAssembly)", "[det_math][parity]") {
    CHECK(bits_of(dm::exp(1.0)) == 0x4005bf0a8b145768ULL);
    CHECK(bits_of(dm::exp(-2.5)) == 0x3fb50385c094f425ULL);
    CHECK(bits_of(dm::log(10.0)) == 0x40026bb1bbb55515ULL);
    CHECK(bits_of(dm::log(0.3)) == 0xbff34378fcbda720ULL);
    CHECK(bits_of(dm::cos(1.0)) == 0x3fe14a280fb5068aULL);
    CHECK(bits_of(dm::sin(2.0)) == 0x3fed18f6ead1b446ULL);
    CHECK(bits_of(dm::pow(2.0, 0.5)) == 0x3ff6a09e667f3bceULL);
    CHECK(bits_of(dm::logistic(0.7)) == 0x3fe561cb52a19476ULL);
    headroom::rng r(1);
    CHECK(bits_of(r.normal()) == 0xbff8b93b94e8cc62ULL);
    CHECK(bits_of(r.normal()) == 0xbff037e69664d113ULL);
    CHECK(bits_of(r.normal()) == 0x3feeaa5ec6ca9a26ULL);
}
