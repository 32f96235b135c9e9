#include "core/base/det_math.h"

#include <cmath>
#include <limits>

namespace headroom::det_math {

double sqrt(double x) { return std::sqrt(x); }

double exp(double x) {
    if (std::isnan(x)) return x;
    if (x > 709.78) return std::numeric_limits<double>::infinity();
    if (x < -745.2) return 0.0;
    // x = k ln2 + r with |r| <= ln2/2, then a Taylor series for exp(r).
    const double k = std::nearbyint(x / ln2);
    const double r = x - k * ln2;
    double term = 1.0, sum = 1.0;
    for (int i = 1; i < 24; ++i) {
        term *= r / i;
        sum += term;
    }
    return std::ldexp(sum, static_cast<int>(k));
}

double log(double x) {
    if (std::isnan(x) || x < 0) return std::numeric_limits<double>::quiet_NaN();
    if (x == 0) return -std::numeric_limits<double>::infinity();
    if (std::isinf(x)) return x;
    // x = m 2^e with m in [sqrt(1/2), sqrt(2)); log m = 2 atanh((m-1)/(m+1)).
    int e = 0;
    double m = std::frexp(x, &e);
    if (m < 0.70710678118654752440) {
        m *= 2;
        --e;
    }
    const double s = (m - 1) / (m + 1);
    const double s2 = s * s;
    double term = s, sum = 0.0;
    for (int i = 1; i < 60; i += 2) {
        sum += term / i;
        term *= s2;
    }
    return 2 * sum + e * ln2;
}

namespace {
// Series on a reduced argument |r| <= pi/4.
double sin_series(double r) {
    double term = r, sum = r;
    for (int i = 1; i < 14; ++i) {
        term *= -r * r / ((2 * i) * (2 * i + 1));
        sum += term;
    }
    return sum;
}
double cos_series(double r) {
    double term = 1, sum = 1;
    for (int i = 1; i < 14; ++i) {
        term *= -r * r / ((2 * i - 1) * (2 * i));
        sum += term;
    }
    return sum;
}
} // namespace

double cos(double x) {
    const double q = std::nearbyint(x / (pi / 2));
    const double r = x - q * (pi / 2);
    switch (static_cast<long long>(std::fmod(q, 4.0) + 4) % 4) {
    case 0: return cos_series(r);
    case 1: return -sin_series(r);
    case 2: return -cos_series(r);
    default: return sin_series(r);
    }
}

double sin(double x) { return cos(x - pi / 2); }

double pow(double base, double exponent) { return exp(exponent * log(base)); }

double logistic(double x) { return 1.0 / (1.0 + exp(-x)); }

} // namespace headroom::det_math
