#include "core/routing/logistic.h"

#include "core/base/det_math.h"
#include "core/routing/logistic_math.h"

#include <algorithm>
#include <cmath>

namespace headroom {

double logistic_model::probability(const csr_matrix& x, std::size_t row) const {
    return logistic_math::logistic(row_dot(x, row, weight) + intercept);
}

namespace {

// Row i's loss is pos * y_i * log(1 + e^-z) + neg * (1 - y_i) * log(1 + e^z).
struct class_weights {
    double pos = 1, neg = 1;
    // The optimum with no features: the log-odds of the weighted base rate (0 when
    // one class is absent, where the optimum lies at infinity).
    double base_log_odds = 0;
};

// How many rows the rows of a fit stand for together.
double total_weight(std::span<const double> weight, std::size_t rows) {
    if (weight.empty()) return static_cast<double>(rows);
    double n = 0;
    for (double w : weight) n += w;
    return n;
}

class_weights weights_of(std::span<const double> y, std::span<const double> weight, std::size_t models, std::size_t m,
                         const logistic_options& options) {
    const std::size_t rows = y.size() / models;
    const double n = total_weight(weight, rows);
    double positives = 0;
    for (std::size_t i = 0; i < rows; ++i) positives += row_weight(weight, i) * y[i * models + m];
    const double negatives = n - positives;
    class_weights w;
    if (positives > 0 && negatives > 0) {
        if (options.class_weights) {
            w.pos = n / (2 * positives);
            w.neg = n / (2 * negatives);
        }
        w.base_log_odds = det_math::log((w.pos * positives) / (w.neg * negatives));
    }
    return w;
}

// The mean log loss plus l2 / (2 n) |w|^2 of every model still being fitted, at its
// solver's point, in one pass over x. Their weights are gathered column by column
// (cols x models), so a row's non-zeros read all models' weights side by side. Each
// model's sums run in the same order as a lone model's would. A row of weight c counts
// as c rows (n is the total weight); a weight of one multiplies exactly.
class joint_logistic_objective {
public:
    joint_logistic_objective(const csr_matrix& x, std::span<const double> y, std::span<const double> row_weights,
                             std::vector<class_weights> weights, const logistic_options& options)
        : x_(x), y_(y), row_weights_(row_weights), models_(weights.size()),
          inv_n_(1.0 / total_weight(row_weights, x.rows)), l2_(options.l2 * inv_n_), weights_(std::move(weights)),
          gradient_(x.cols + 1) {}

    void evaluate(std::span<lbfgs_solver> solvers, std::span<const std::size_t> active) {
        gather(solvers, active);
        for (std::size_t first = 0; first < x_.rows; first += block) add_rows(first, std::min(block, x_.rows - first), active);
        report(solvers, active);
    }

private:
    void gather(std::span<const lbfgs_solver> solvers, std::span<const std::size_t> active) {
        const std::size_t d = x_.cols, k = active.size();
        w_.resize(d * k);
        b_.resize(k);
        for (std::size_t a = 0; a < k; ++a) {
            const std::span<const double> p = solvers[active[a]].point();
            for (std::size_t j = 0; j < d; ++j) w_[j * k + a] = p[j];
            b_[a] = p[d];
        }
        g_.assign(d * k, 0.0);
        f_.assign(k, 0.0);
        grad_b_.assign(k, 0.0);
        for (auto* v : {&z_, &abs_z_, &e_, &log_term_}) v->resize(block * k);
        scale_.resize(k);
    }

    // The losses of rows [first, first + rows) and their shares of the gradients. The
    // rows' exponentials and logarithms are taken together, so that their polynomial
    // chains overlap; each row's sums still run in row order.
    void add_rows(std::size_t first, std::size_t rows, std::span<const std::size_t> active) {
        const std::size_t k = active.size();
        std::fill(z_.begin(), z_.begin() + static_cast<std::ptrdiff_t>(rows * k), 0.0);
        for (std::size_t r = 0; r < rows; ++r) {
            row_times_add(x_, first + r, w_, std::span(z_).subspan(r * k, k));
            for (std::size_t a = 0; a < k; ++a) {
                z_[r * k + a] += b_[a];
                abs_z_[r * k + a] = std::abs(z_[r * k + a]);
            }
        }
        logistic_math::exp_negative(std::span(abs_z_).first(rows * k), e_);
        logistic_math::log1p_unit(std::span(e_).first(rows * k), log_term_);
        for (std::size_t r = 0; r < rows; ++r) {
            const std::size_t i = first + r;
            const double c = row_weight(row_weights_, i);
            for (std::size_t a = 0; a < k; ++a) {
                const std::size_t m = active[a];
                const double z = z_[r * k + a], y = y_[i * models_ + m], e = e_[r * k + a], log_term = log_term_[r * k + a];
                const double pos = c * (weights_[m].pos * y), neg = c * (weights_[m].neg * (1 - y));
                // log(1 + e^z) = max(z, 0) + log(1 + e^-|z|), which never overflows.
                f_[a] += pos * (std::max(-z, 0.0) + log_term) + neg * (std::max(z, 0.0) + log_term);
                const double residual = (pos + neg) * logistic_math::logistic_from(z, e) - pos;  // d loss / dz
                grad_b_[a] += residual;
                scale_[a] = residual * inv_n_;
            }
            row_outer_add(x_, i, 1.0, scale_, g_);
        }
    }

    // Adds the penalty and hands each solver its objective and gradient.
    void report(std::span<lbfgs_solver> solvers, std::span<const std::size_t> active) {
        const std::size_t d = x_.cols, k = active.size();
        for (std::size_t a = 0; a < k; ++a) {
            lbfgs_solver& solver = solvers[active[a]];
            const std::span<const double> w = solver.point();
            double squares = 0;
            for (std::size_t j = 0; j < d; ++j) {
                squares += w[j] * w[j];
                gradient_[j] = g_[j * k + a] + l2_ * w[j];
            }
            gradient_[d] = grad_b_[a] * inv_n_;
            solver.evaluated(f_[a] * inv_n_ + 0.5 * l2_ * squares, gradient_);
        }
    }

    const csr_matrix& x_;
    std::span<const double> y_, row_weights_;
    std::size_t models_;
    double inv_n_, l2_;
    std::vector<class_weights> weights_;
    std::vector<double> w_, b_, g_, f_, grad_b_, gradient_;
    static constexpr std::size_t block = 4;  // rows whose exponentials are taken together
    std::vector<double> z_, abs_z_, e_, log_term_;  // per row of a block, per model
    std::vector<double> scale_;                     // per model, of one row
};

} // namespace

logistic_model fit_logistic(const csr_matrix& x, std::span<const double> y, const logistic_options& options,
                            std::span<const double> weight) {
    return std::move(fit_logistic_models(x, y, 1, options, weight).front());
}

std::vector<logistic_model> fit_logistic_models(const csr_matrix& x, std::span<const double> y, std::size_t models,
                                                const logistic_options& options, std::span<const double> weight) {
    const std::size_t d = x.cols;
    std::vector<logistic_model> out(models);
    for (auto& model : out) model.weight.assign(d, 0.0);
    if (x.rows == 0 || models == 0) return out;

    std::vector<class_weights> weights;
    std::vector<lbfgs_solver> solvers;
    for (std::size_t m = 0; m < models; ++m) {
        weights.push_back(weights_of(y, weight, models, m, options));
        // From the best the intercept alone can do, which the text then corrects: on
        // p2-artifacts a third fewer steps than from zero, on p1-routing a tenth. (With
        // class weights the weighted base rate is a half, and the start zero as before.)
        std::vector<double> start(d + 1, 0.0);
        start[d] = weights.back().base_log_odds;
        solvers.emplace_back(std::move(start), options.solver);
    }
    joint_logistic_objective objective(x, y, weight, std::move(weights), options);
    std::vector<std::size_t> active;
    for (;;) {
        active.clear();
        for (std::size_t m = 0; m < models; ++m)
            if (!solvers[m].done()) active.push_back(m);
        if (active.empty()) break;
        objective.evaluate(solvers, active);
    }
    for (std::size_t m = 0; m < models; ++m) {
        const std::vector<double>& params = solvers[m].solution();
        out[m].weight.assign(params.begin(), params.end() - 1);
        out[m].intercept = params[d];
        out[m].fit = solvers[m].result();
    }
    return out;
}

void softmax_model::probabilities(const csr_matrix& x, std::size_t row, std::span<double> out) const {
    std::copy(intercept.begin(), intercept.end(), out.begin());
    row_times_add(x, row, weight, out.first(classes));
    double top = out[0];
    for (std::size_t c = 1; c < classes; ++c) top = std::max(top, out[c]);
    double sum = 0;
    for (std::size_t c = 0; c < classes; ++c) sum += (out[c] = logistic_math::exp_negative(top - out[c]));
    for (std::size_t c = 0; c < classes; ++c) out[c] /= sum;
}

softmax_model fit_softmax(const csr_matrix& x, std::span<const double> target, std::size_t classes,
                          const logistic_options& options, std::span<const double> weight) {
    const std::size_t n = x.rows, d = x.cols, k = classes;
    softmax_model model;
    model.classes = k;
    model.weight.assign(d * k, 0.0);
    model.intercept.assign(k, 0.0);
    if (n == 0 || k == 0) return model;

    // A row of weight c counts as c rows; a weight of one multiplies exactly.
    const double inv_n = 1.0 / total_weight(weight, n);
    const double l2 = options.l2 * inv_n;
    // Rows are taken four at a time, so that their exponentials and logarithms
    // (polynomial chains waiting on their own latency) overlap: a tenth off each
    // evaluation on p2-artifacts. Each row's sums and its share of the gradient still run
    // in row order, so the fit is the same to the bit.
    constexpr std::size_t block = 4;
    std::vector<double> z(block * k), gap(block * k), share(block * k), top(block), sum(block), log_sum(block), residual(k);
    auto objective = [&](std::span<const double> params, std::span<double> grad) {
        const std::span<const double> w = params.first(d * k);
        const std::span<const double> b = params.subspan(d * k);
        double f = 0;
        std::fill(grad.begin(), grad.end(), 0.0);
        for (std::size_t first = 0; first < n; first += block) {
            const std::size_t rows = std::min(block, n - first);
            for (std::size_t r = 0; r < rows; ++r) {
                const std::span<double> zr = std::span(z).subspan(r * k, k);
                std::copy(b.begin(), b.end(), zr.begin());
                row_times_add(x, first + r, w, zr);
                top[r] = zr[0];
                for (std::size_t c = 1; c < k; ++c) top[r] = std::max(top[r], zr[c]);
                for (std::size_t c = 0; c < k; ++c) gap[r * k + c] = top[r] - zr[c];
            }
            logistic_math::exp_negative(std::span(gap).first(rows * k), share);
            for (std::size_t r = 0; r < rows; ++r) {
                sum[r] = 0;
                for (std::size_t c = 0; c < k; ++c) sum[r] += share[r * k + c];
            }
            logistic_math::log_at_least_one(std::span(sum).first(rows), log_sum);  // sum >= 1: the top's share is 1
            for (std::size_t r = 0; r < rows; ++r) {
                const std::size_t i = first + r;
                const double row_log_sum = top[r] + log_sum[r], times = row_weight(weight, i);
                for (std::size_t c = 0; c < k; ++c) {
                    const double t = target[i * k + c];
                    f += times * (t * (row_log_sum - z[r * k + c]));
                    // With targets summing to one, d/dz_c = p_c - t_c.
                    residual[c] = times * (share[r * k + c] / sum[r] - t);
                }
                row_outer_add(x, i, inv_n, residual, grad.first(d * k));
                for (std::size_t c = 0; c < k; ++c) grad[d * k + c] += residual[c] * inv_n;
            }
        }
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
