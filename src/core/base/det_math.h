// Elementary functions computed with + - * / only, so that results are bit-identical
// natively and in WebAssembly (libm's exp/log/cos may differ in the last place between
// glibc and the musl-derived libc Emscripten ships). Accuracy is about 1e-15 relative,
// ample for a simulator and for statistics; speed is secondary.
#pragma once

namespace headroom::det_math {

inline constexpr double pi = 3.141592653589793238462643383279502884;
inline constexpr double ln2 = 0.693147180559945309417232121458176568;

double exp(double x);
double log(double x);    // x > 0; returns -inf for 0 and NaN for negatives
double sqrt(double x);   // IEEE sqrt is correctly rounded everywhere: std::sqrt
double cos(double x);
double sin(double x);
double pow(double base, double exponent);  // base > 0
double logistic(double x);                  // 1 / (1 + exp(-x))

} // namespace headroom::det_math
