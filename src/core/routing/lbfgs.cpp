#include "core/routing/lbfgs.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace headroom {
namespace {

double dot(std::span<const double> a, std::span<const double> b) { return std::inner_product(a.begin(), a.end(), b.begin(), 0.0); }
double max_abs(std::span<const double> a) {
    double m = 0;
    for (double v : a) m = std::max(m, std::abs(v));
    return m;
}

// Backtracking halves the step at most this many times before giving up.
constexpr int max_tries = 40;

} // namespace

lbfgs_solver::lbfgs_solver(std::vector<double> start, const lbfgs_options& options)
    : options_(options), memory_(static_cast<std::size_t>(std::max(options.memory, 1))), x_(std::move(start)) {
    const std::size_t n = x_.size();
    g_.resize(n);
    direction_.resize(n);
    x_new_.resize(n);
    g_new_.resize(n);
    s_new_.resize(n);
    y_new_.resize(n);
    alpha_.resize(memory_);
}

void lbfgs_solver::evaluated(double f, std::span<const double> gradient) {
    if (!searching_) {  // the starting point
        f_ = f;
        std::copy(gradient.begin(), gradient.end(), g_.begin());
        begin_iteration();
        return;
    }
    std::copy(gradient.begin(), gradient.end(), g_new_.begin());
    if (f <= f_ + 1e-4 * step_ * slope_) {
        accept_step(f);
        return;
    }
    step_ *= 0.5;
    if (++tries_ == max_tries) {  // no decrease left at machine precision: as good as it gets
        finish();
        return;
    }
    try_step();
}

void lbfgs_solver::begin_iteration() {
    if (result_.iterations >= options_.max_iterations) {
        finish();
        return;
    }
    if (max_abs(g_) <= options_.gradient_tolerance) {
        result_.converged = true;
        finish();
        return;
    }
    two_loop_direction();
    if (slope_ >= 0) {  // not a descent direction (numerical trouble): restart from steepest descent
        s_hist_.clear();
        y_hist_.clear();
        rho_hist_.clear();
        for (std::size_t i = 0; i < direction_.size(); ++i) direction_[i] = -g_[i];
        slope_ = -dot(g_, g_);
        step_ = 1.0 / std::max(1.0, std::sqrt(-slope_));
    }
    tries_ = 0;
    searching_ = true;
    try_step();
}

// direction = -H g by the two-loop recursion. Each pass that updates the direction also
// takes the dot product the next step needs, summed in the same order as a pass of its
// own would sum it, so the direction is the same to the bit in half the passes (the
// history is several megabytes on a softmax over thousands of columns).
void lbfgs_solver::two_loop_direction() {
    const std::size_t n = x_.size(), m = s_hist_.size();
    step_ = 1.0;
    if (m == 0) {
        for (std::size_t i = 0; i < n; ++i) direction_[i] = -g_[i];
        step_ = 1.0 / std::max(1.0, std::sqrt(dot(g_, g_)));  // a first step of unit length at most
        slope_ = dot(g_, direction_);
        return;
    }
    const double gamma = dot(s_hist_.back(), y_hist_.back()) / dot(y_hist_.back(), y_hist_.back());
    double next = 0;  // s_{m-1} . direction
    for (std::size_t i = 0; i < n; ++i) {
        direction_[i] = -g_[i];
        next += s_hist_[m - 1][i] * direction_[i];
    }
    for (std::size_t k = m; k-- > 0;) {
        alpha_[k] = rho_hist_[k] * next;
        const double* y = y_hist_[k].data();
        next = 0;
        if (k > 0) {  // then s_{k-1} . direction
            const double* s_before = s_hist_[k - 1].data();
            for (std::size_t i = 0; i < n; ++i) {
                direction_[i] -= alpha_[k] * y[i];
                next += s_before[i] * direction_[i];
            }
        } else {  // then scaled by gamma, and y_0 . direction
            const double* y_first = y_hist_[0].data();
            for (std::size_t i = 0; i < n; ++i) {
                direction_[i] -= alpha_[k] * y[i];
                direction_[i] *= gamma;
                next += y_first[i] * direction_[i];
            }
        }
    }
    for (std::size_t k = 0; k < m; ++k) {
        const double step_along = alpha_[k] - rho_hist_[k] * next;
        const double* s_k = s_hist_[k].data();
        // then y_{k+1} . direction, or after the last pair g . direction (the slope)
        const double* dot_with = k + 1 < m ? y_hist_[k + 1].data() : g_.data();
        next = 0;
        for (std::size_t i = 0; i < n; ++i) {
            direction_[i] += step_along * s_k[i];
            next += dot_with[i] * direction_[i];
        }
    }
    slope_ = next;
}

void lbfgs_solver::try_step() {
    for (std::size_t i = 0; i < x_.size(); ++i) x_new_[i] = x_[i] + step_ * direction_[i];
}

void lbfgs_solver::accept_step(double f_new) {
    const std::size_t n = x_.size();
    for (std::size_t i = 0; i < n; ++i) {
        s_new_[i] = x_new_[i] - x_[i];
        y_new_[i] = g_new_[i] - g_[i];
    }
    const double sy = dot(s_new_, y_new_);
    if (sy > 1e-12 * std::sqrt(dot(s_new_, s_new_) * dot(y_new_, y_new_))) {  // keep the update positive definite
        if (s_hist_.size() == memory_) {
            // Drop the oldest pair and reuse its buffers for the next step's.
            std::rotate(s_hist_.begin(), s_hist_.begin() + 1, s_hist_.end());
            std::rotate(y_hist_.begin(), y_hist_.begin() + 1, y_hist_.end());
            std::rotate(rho_hist_.begin(), rho_hist_.begin() + 1, rho_hist_.end());
            s_hist_.back().swap(s_new_);
            y_hist_.back().swap(y_new_);
            rho_hist_.back() = 1.0 / sy;
        } else {
            s_hist_.push_back(s_new_);
            y_hist_.push_back(y_new_);
            rho_hist_.push_back(1.0 / sy);
        }
    }
    const bool stalled = f_ - f_new <= 1e-15 * std::max({std::abs(f_), std::abs(f_new), 1.0});
    x_.swap(x_new_);
    g_.swap(g_new_);
    f_ = f_new;
    ++result_.iterations;
    if (stalled) {
        result_.converged = max_abs(g_) <= options_.gradient_tolerance;
        finish();
        return;
    }
    begin_iteration();
}

void lbfgs_solver::finish() {
    searching_ = false;
    done_ = true;
    result_.value = f_;
}

lbfgs_result lbfgs_minimise(std::vector<double>& x, const objective_fn& objective, const lbfgs_options& options) {
    lbfgs_solver solver(std::move(x), options);
    std::vector<double> gradient(solver.solution().size());
    while (!solver.done()) {
        const double f = objective(solver.point(), gradient);
        solver.evaluated(f, gradient);
    }
    x = solver.solution();
    return solver.result();
}

} // namespace headroom
