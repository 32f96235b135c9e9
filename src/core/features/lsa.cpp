#include "core/features/lsa.h"

#include "core/base/det_math.h"
#include "core/base/rng.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace headroom {
namespace {

// Dense n x l blocks are column-major (column j at j * n) so Gram-Schmidt runs on
// contiguous memory; the sparse products below read them row by row through a stride.

// In the products below A is the given rows of x, each scaled by its entry of `scale`
// (when there are none, by one).

// y (rows x l, column-major) = A * w, w (cols x l row-major).
void times(const csr_matrix& x, std::span<const std::uint32_t> rows, std::span<const double> scale,
           const std::vector<double>& w, std::size_t l, std::vector<double>& y) {
    const std::size_t n = rows.size();
    y.assign(n * l, 0.0);
    std::vector<double> acc(l);
    for (std::size_t i = 0; i < n; ++i) {
        std::fill(acc.begin(), acc.end(), 0.0);
        for (std::size_t k = x.row_start[rows[i]]; k < x.row_start[rows[i] + 1]; ++k) {
            const double v = x.value[k];
            const double* wr = &w[static_cast<std::size_t>(x.col[k]) * l];
            for (std::size_t j = 0; j < l; ++j) acc[j] += v * wr[j];
        }
        if (!scale.empty())
            for (std::size_t j = 0; j < l; ++j) acc[j] *= scale[i];
        for (std::size_t j = 0; j < l; ++j) y[j * n + i] = acc[j];
    }
}

// z (cols x l, row-major) = A^T * q, q (rows x l, column-major).
void times_transposed(const csr_matrix& x, std::span<const std::uint32_t> rows, std::span<const double> scale,
                      const std::vector<double>& q, std::size_t l, std::vector<double>& z) {
    const std::size_t n = rows.size();
    z.assign(x.cols * l, 0.0);
    std::vector<double> qi(l);
    for (std::size_t i = 0; i < n; ++i) {
        for (std::size_t j = 0; j < l; ++j) qi[j] = q[j * n + i];
        if (!scale.empty())
            for (std::size_t j = 0; j < l; ++j) qi[j] *= scale[i];
        for (std::size_t k = x.row_start[rows[i]]; k < x.row_start[rows[i] + 1]; ++k) {
            const double v = x.value[k];
            double* zr = &z[static_cast<std::size_t>(x.col[k]) * l];
            for (std::size_t j = 0; j < l; ++j) zr[j] += v * qi[j];
        }
    }
}

// cj -= (cp . cj) cp for the columns j in [first, last), four at a time: their dot
// products are independent chains, interleaved so they overlap. Each is summed in
// index order, as std::inner_product sums it.
void project_out(std::vector<double>& y, std::size_t n, std::size_t p, std::size_t first, std::size_t last) {
    const double* cp = &y[p * n];
    std::size_t j = first;
    for (; j + 4 <= last; j += 4) {
        double* c[4] = {&y[j * n], &y[(j + 1) * n], &y[(j + 2) * n], &y[(j + 3) * n]};
        double d[4] = {0, 0, 0, 0};
        for (std::size_t i = 0; i < n; ++i)
            for (std::size_t b = 0; b < 4; ++b) d[b] += cp[i] * c[b][i];
        for (std::size_t b = 0; b < 4; ++b)
            for (std::size_t i = 0; i < n; ++i) c[b][i] -= d[b] * cp[i];
    }
    for (; j < last; ++j) {
        double* cj = &y[j * n];
        const double d = std::inner_product(cp, cp + n, cj, 0.0);
        for (std::size_t i = 0; i < n; ++i) cj[i] -= d * cp[i];
    }
}

// Modified Gram-Schmidt on the columns of y (n x l, column-major). A column that is
// (numerically) in the span of the earlier ones becomes zero. Each column is taken out
// of every later one as soon as it is final, which gives each column the very
// operations of column-by-column MGS, with the later columns' products side by side.
void orthonormalise(std::vector<double>& y, std::size_t n, std::size_t l) {
    std::vector<double> original(l);
    for (std::size_t j = 0; j < l; ++j) {
        const double* cj = &y[j * n];
        original[j] = std::sqrt(std::inner_product(cj, cj + n, cj, 0.0));
    }
    for (std::size_t j = 0; j < l; ++j) {
        double* cj = &y[j * n];
        const double norm = std::sqrt(std::inner_product(cj, cj + n, cj, 0.0));
        const double scale = norm > 1e-10 * original[j] && norm > 0 ? 1.0 / norm : 0.0;
        for (std::size_t i = 0; i < n; ++i) cj[i] *= scale;
        project_out(y, n, j, j + 1, l);
    }
}

} // namespace

void symmetric_eigen(std::vector<double> a, std::size_t n, std::vector<double>& values, std::vector<double>& vectors) {
    std::vector<double> v(n * n, 0.0);
    for (std::size_t i = 0; i < n; ++i) v[i * n + i] = 1.0;
    for (int sweep = 0; sweep < 100; ++sweep) {
        double off = 0, total = 0;
        for (std::size_t i = 0; i < n; ++i)
            for (std::size_t j = 0; j < n; ++j) (i == j ? total : off) += a[i * n + j] * a[i * n + j];
        if (off <= 1e-30 * (total + off) || off == 0) break;
        for (std::size_t p = 0; p + 1 < n; ++p)
            for (std::size_t q = p + 1; q < n; ++q) {
                const double apq = a[p * n + q];
                if (apq == 0) continue;
                const double theta = (a[q * n + q] - a[p * n + p]) / (2 * apq);
                const double t = (theta >= 0 ? 1.0 : -1.0) / (std::abs(theta) + std::sqrt(theta * theta + 1));
                const double c = 1 / std::sqrt(t * t + 1), s = t * c;
                for (std::size_t k = 0; k < n; ++k) {  // columns p, q
                    const double akp = a[k * n + p], akq = a[k * n + q];
                    a[k * n + p] = c * akp - s * akq;
                    a[k * n + q] = s * akp + c * akq;
                }
                for (std::size_t k = 0; k < n; ++k) {  // rows p, q
                    const double apk = a[p * n + k], aqk = a[q * n + k];
                    a[p * n + k] = c * apk - s * aqk;
                    a[q * n + k] = s * apk + c * aqk;
                }
                for (std::size_t k = 0; k < n; ++k) {
                    const double vkp = v[k * n + p], vkq = v[k * n + q];
                    v[k * n + p] = c * vkp - s * vkq;
                    v[k * n + q] = s * vkp + c * vkq;
                }
            }
    }
    std::vector<std::size_t> order(n);
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::stable_sort(order.begin(), order.end(), [&](std::size_t x, std::size_t y) { return a[x * n + x] > a[y * n + y]; });
    values.resize(n);
    vectors.assign(n * n, 0.0);
    for (std::size_t j = 0; j < n; ++j) {
        values[j] = a[order[j] * n + order[j]];
        // A canonical sign (largest entry positive), so equal inputs give equal output.
        std::size_t big = 0;
        for (std::size_t k = 1; k < n; ++k)
            if (std::abs(v[k * n + order[j]]) > std::abs(v[big * n + order[j]])) big = k;
        const double sign = v[big * n + order[j]] < 0 ? -1.0 : 1.0;
        for (std::size_t k = 0; k < n; ++k) vectors[k * n + j] = sign * v[k * n + order[j]];
    }
}

lsa_model fit_lsa(const csr_matrix& x, std::span<const std::uint32_t> train_rows, const lsa_options& options,
                  std::uint64_t seed, std::span<const double> weight) {
    lsa_model model;
    const std::size_t n = train_rows.size(), d = x.cols;
    // A row standing for c identical rows enters scaled by sqrt(c): A^T A, whose top
    // eigenvectors are the directions, is the same sum as over the rows repeated.
    std::vector<double> scale(weight.size());
    for (std::size_t i = 0; i < weight.size(); ++i) scale[i] = det_math::sqrt(weight[i]);
    const std::size_t k = std::min<std::size_t>({static_cast<std::size_t>(std::max(options.dimensions, 0)), n, d});
    if (k == 0) return model;
    const std::size_t l = std::min<std::size_t>(k + static_cast<std::size_t>(std::max(options.oversampling, 0)), std::min(n, d));

    // Random signs are as good a test matrix as Gaussians here and cost one bit each.
    std::vector<double> omega(d * l);
    rng signs(derive_seed(seed, "lsa"));
    for (std::size_t i = 0; i < omega.size(); i += 64) {
        std::uint64_t bits = signs.next_u64();
        for (std::size_t b = 0; b < 64 && i + b < omega.size(); ++b, bits >>= 1) omega[i + b] = (bits & 1) ? 1.0 : -1.0;
    }
    std::vector<double> q, z;
    times(x, train_rows, scale, omega, l, q);
    orthonormalise(q, n, l);
    for (int it = 0; it < options.power_iterations; ++it) {
        times_transposed(x, train_rows, scale, q, l, z);
        times(x, train_rows, scale, z, l, q);
        orthonormalise(q, n, l);
    }
    // B = Q^T A, kept as its transpose z = A^T Q (d x l). B B^T = z^T z, l x l: summed
    // over the d rows of z rather than as Q^T (A z) over the n training rows, which takes
    // one more sparse product and a sum over more rows (twice as many on p2-artifacts).
    times_transposed(x, train_rows, scale, q, l, z);
    std::vector<double> gram(l * l, 0.0);
    for (std::size_t row = 0; row < d; ++row) {
        const double* zr = &z[row * l];
        for (std::size_t a = 0; a < l; ++a) {
            const double za = zr[a];
            double* g = &gram[a * l];
            for (std::size_t b = a; b < l; ++b) g[b] += za * zr[b];
        }
    }
    for (std::size_t a = 0; a < l; ++a)
        for (std::size_t b = a + 1; b < l; ++b) gram[b * l + a] = gram[a * l + b];
    std::vector<double> lambda, u;
    symmetric_eigen(gram, l, lambda, u);

    // V = B^T U S^-1 = z U S^-1, for the components with a non-zero singular value.
    std::size_t kept = 0;
    while (kept < k && lambda[kept] > 1e-12 * std::max(lambda[0], 1e-300)) ++kept;
    model.dimensions = kept;
    model.singular_value.resize(kept);
    model.component.assign(d * kept, 0.0);
    for (std::size_t c = 0; c < kept; ++c) model.singular_value[c] = det_math::sqrt(lambda[c]);
    for (std::size_t row = 0; row < d; ++row)
        for (std::size_t c = 0; c < kept; ++c) {
            double sum = 0;
            for (std::size_t j = 0; j < l; ++j) sum += z[row * l + j] * u[j * l + c];
            model.component[row * kept + c] = sum / model.singular_value[c];
        }
    return model;
}

csr_matrix transform_lsa(const lsa_model& model, const csr_matrix& x) {
    const std::size_t k = model.dimensions;
    std::vector<double> dense(x.rows * k, 0.0);
    for (std::size_t r = 0; r < x.rows; ++r) {
        double* out = &dense[r * k];
        double in_norm2 = 0;
        for (std::size_t e = x.row_start[r]; e < x.row_start[r + 1]; ++e) {
            const double v = x.value[e];
            in_norm2 += v * v;
            const double* comp = &model.component[static_cast<std::size_t>(x.col[e]) * k];
            for (std::size_t c = 0; c < k; ++c) out[c] += v * comp[c];
        }
        // A row orthogonal to every kept direction projects to rounding noise, which
        // normalising would blow up into a confident-looking unit vector: zero it.
        double out_norm2 = 0;
        for (std::size_t c = 0; c < k; ++c) out_norm2 += out[c] * out[c];
        if (out_norm2 <= 1e-20 * in_norm2) std::fill(out, out + k, 0.0);
    }
    csr_matrix out = from_dense(dense, x.rows, k);
    normalize_rows(out);
    return out;
}

} // namespace headroom
