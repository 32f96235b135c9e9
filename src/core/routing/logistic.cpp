#include "logistic.h"

#include "../det_math.h"
#include "logistic_math.h"

#include <algorithm>
#include <cmath>

namespace headroom {

double logistic_model::probability(const csr_matrix& x, std::size_t row) const {
    return logistic_math::logistic(row_dot(x, row, weight) + intercept);
}

logistic_model fit_logistic(const csr_matrix& x, std::span<const double> y, const logistic_options& options) {
    const std::size_t n = x.rows, d = x.cols;
    logistic_model model;
    model.weight.assign(d, 0.0);
    if (n == 0) return model;

    // Row i's loss is pos_i * log(1 + e^-z) + neg_i * log(1 + e^z).
    double positives = 0;
    for (double v : y) positives += v;
    const double negatives = static_cast<double>(n) - positives;
    double w_pos = 1, w_neg = 1;
    if (options.class_weights && positives > 0 && negatives > 0) {
        w_pos = static_cast<double>(n) / (2 * positives);
        w_neg = static_cast<double>(n) / (2 * negatives);
    }
    std::vector<double> residual(n);
    const double inv_n = 1.0 / static_cast<double>(n);
    const double l2 = options.l2 * inv_n;
    auto objective = [&](std::span<const double> params, std::span<double> grad) {
        const std::span<const double> w = params.first(d);
        const double b = params[d];
        double f = 0, grad_b = 0;
        for (std::size_t i = 0; i < n; ++i) {
            const double z = row_dot(x, i, w) + b;
            const double pos = w_pos * y[i], neg = w_neg * (1 - y[i]);
            const double e = logistic_math::exp_negative(std::abs(z));
            const double log_term = logistic_math::log1p_unit(e);
            // log(1 + e^z) = max(z, 0) + log(1 + e^-|z|), which never overflows.
            f += pos * (std::max(-z, 0.0) + log_term) + neg * (std::max(z, 0.0) + log_term);
            const double p = logistic_math::logistic_from(z, e);
            residual[i] = (pos + neg) * p - pos;  // d loss / dz
            grad_b += residual[i];
        }
        std::fill(grad.begin(), grad.end(), 0.0);
        for (std::size_t i = 0; i < n; ++i) row_axpy(x, i, residual[i] * inv_n, grad.first(d));
        double squares = 0;
        for (std::size_t j = 0; j < d; ++j) {
            squares += w[j] * w[j];
            grad[j] += l2 * w[j];
        }
        grad[d] = grad_b * inv_n;
        return f * inv_n + 0.5 * l2 * squares;
    };
    std::vector<double> params(d + 1, 0.0);
    model.fit = lbfgs_minimise(params, objective, options.solver);
    model.intercept = params[d];
    params.pop_back();
    model.weight = std::move(params);
    return model;
}

void softmax_model::probabilities(const csr_matrix& x, std::size_t row, std::span<double> out) const {
    for (std::size_t c = 0; c < classes; ++c) out[c] = intercept[c];
    for (std::size_t k = x.row_start[row]; k < x.row_start[row + 1]; ++k) {
        const double v = x.value[k];
        const double* w = &weight[static_cast<std::size_t>(x.col[k]) * classes];
        for (std::size_t c = 0; c < classes; ++c) out[c] += v * w[c];
    }
    double top = out[0];
    for (std::size_t c = 1; c < classes; ++c) top = std::max(top, out[c]);
    double sum = 0;
    for (std::size_t c = 0; c < classes; ++c) sum += (out[c] = logistic_math::exp_negative(top - out[c]));
    for (std::size_t c = 0; c < classes; ++c) out[c] /= sum;
}

softmax_model fit_softmax(const csr_matrix& x, std::span<const double> target, std::size_t classes,
                          const logistic_options& options) {
    const std::size_t n = x.rows, d = x.cols, k = classes;
    softmax_model model;
    model.classes = k;
    model.weight.assign(d * k, 0.0);
    model.intercept.assign(k, 0.0);
    if (n == 0 || k == 0) return model;

    const double inv_n = 1.0 / static_cast<double>(n);
    const double l2 = options.l2 * inv_n;
    std::vector<double> z(k), share(k), residual(n * k);
    auto objective = [&](std::span<const double> params, std::span<double> grad) {
        const std::span<const double> w = params.first(d * k);
        const std::span<const double> b = params.subspan(d * k);
        double f = 0;
        for (std::size_t i = 0; i < n; ++i) {
            for (std::size_t c = 0; c < k; ++c) z[c] = b[c];
            for (std::size_t e = x.row_start[i]; e < x.row_start[i + 1]; ++e) {
                const double v = x.value[e];
                const double* wr = &w[static_cast<std::size_t>(x.col[e]) * k];
                for (std::size_t c = 0; c < k; ++c) z[c] += v * wr[c];
            }
            double top = z[0];
            for (std::size_t c = 1; c < k; ++c) top = std::max(top, z[c]);
            double sum = 0;
            for (std::size_t c = 0; c < k; ++c) sum += (share[c] = logistic_math::exp_negative(top - z[c]));
            const double log_sum = top + det_math::log(sum);
            for (std::size_t c = 0; c < k; ++c) {
                const double t = target[i * k + c];
                f += t * (log_sum - z[c]);
                // With targets summing to one, d/dz_c = p_c - t_c.
                residual[i * k + c] = share[c] / sum - t;
            }
        }
        std::fill(grad.begin(), grad.end(), 0.0);
        for (std::size_t i = 0; i < n; ++i)
            for (std::size_t e = x.row_start[i]; e < x.row_start[i + 1]; ++e) {
                const double v = x.value[e] * inv_n;
                double* gr = &grad[static_cast<std::size_t>(x.col[e]) * k];
                for (std::size_t c = 0; c < k; ++c) gr[c] += v * residual[i * k + c];
            }
        for (std::size_t i = 0; i < n; ++i)
            for (std::size_t c = 0; c < k; ++c) grad[d * k + c] += residual[i * k + c] * inv_n;
        double squares = 0;
        for (std::size_t j = 0; j < d * k; ++j) {
            squares += w[j] * w[j];
            grad[j] += l2 * w[j];
        }
        return f * inv_n + 0.5 * l2 * squares;
    };
    std::vector<double> params(d * k + k, 0.0);
    model.fit = lbfgs_minimise(params, objective, options.solver);
    model.intercept.assign(params.begin() + static_cast<std::ptrdiff_t>(d * k), params.end());
    params.resize(d * k);
    model.weight = std::move(params);
    return model;
}

double platt_scaling::operator()(double score) const { return logistic_math::logistic(slope * score + offset); }

platt_scaling fit_platt(std::span<const double> score, std::span<const double> y) {
    platt_scaling p;
    const std::size_t n = score.size();
    double positives = 0;
    for (double v : y) positives += v;
    const double negatives = static_cast<double>(n) - positives;
    // Targets pulled off 0 and 1 by a prior of one pseudo-observation each way.
    const double hi = (positives + 1) / (positives + 2), lo = 1 / (negatives + 2);
    p.slope = 0;
    p.offset = det_math::log((positives + 1) / (negatives + 1));
    for (int it = 0; it < 100; ++it) {
        // Newton on (slope, offset) with a small ridge for flat scores.
        double g0 = 0, g1 = 0, h00 = 1e-9, h01 = 0, h11 = 1e-9;
        for (std::size_t i = 0; i < n; ++i) {
            const double t = lo + (hi - lo) * y[i];
            const double q = p(score[i]);
            const double r = q - t, w = q * (1 - q);
            g0 += r * score[i];
            g1 += r;
            h00 += w * score[i] * score[i];
            h01 += w * score[i];
            h11 += w;
        }
        const double det = h00 * h11 - h01 * h01;
        if (det <= 0) break;
        const double d0 = (h11 * g0 - h01 * g1) / det, d1 = (h00 * g1 - h01 * g0) / det;
        p.slope -= d0;
        p.offset -= d1;
        if (std::abs(d0) + std::abs(d1) < 1e-10) break;
    }
    return p;
}

} // namespace headroom
