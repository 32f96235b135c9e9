#include "lbfgs.h"

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

} // namespace

lbfgs_result lbfgs_minimise(std::vector<double>& x, const objective_fn& objective, const lbfgs_options& options) {
    const std::size_t n = x.size();
    const auto memory = static_cast<std::size_t>(std::max(options.memory, 1));
    std::vector<std::vector<double>> s_hist, y_hist;  // oldest first
    std::vector<double> rho_hist;
    std::vector<double> g(n), direction(n), x_new(n), g_new(n), alpha(memory);

    lbfgs_result result;
    double f = objective(x, g);
    for (result.iterations = 0; result.iterations < options.max_iterations; ++result.iterations) {
        if (max_abs(g) <= options.gradient_tolerance) {
            result.converged = true;
            break;
        }
        // Two-loop recursion: direction = -H g.
        for (std::size_t i = 0; i < n; ++i) direction[i] = -g[i];
        for (std::size_t k = s_hist.size(); k-- > 0;) {
            alpha[k] = rho_hist[k] * dot(s_hist[k], direction);
            for (std::size_t i = 0; i < n; ++i) direction[i] -= alpha[k] * y_hist[k][i];
        }
        double step = 1.0;
        if (!s_hist.empty()) {
            const double gamma = dot(s_hist.back(), y_hist.back()) / dot(y_hist.back(), y_hist.back());
            for (auto& d : direction) d *= gamma;
        } else {
            step = 1.0 / std::max(1.0, std::sqrt(dot(g, g)));  // a first step of unit length at most
        }
        for (std::size_t k = 0; k < s_hist.size(); ++k) {
            const double beta = rho_hist[k] * dot(y_hist[k], direction);
            for (std::size_t i = 0; i < n; ++i) direction[i] += (alpha[k] - beta) * s_hist[k][i];
        }
        double slope = dot(g, direction);
        if (slope >= 0) {  // not a descent direction (numerical trouble): restart from steepest descent
            s_hist.clear();
            y_hist.clear();
            rho_hist.clear();
            for (std::size_t i = 0; i < n; ++i) direction[i] = -g[i];
            slope = -dot(g, g);
            step = 1.0 / std::max(1.0, std::sqrt(-slope));
        }
        double f_new = f;
        bool accepted = false;
        for (int tries = 0; tries < 40; ++tries, step *= 0.5) {
            for (std::size_t i = 0; i < n; ++i) x_new[i] = x[i] + step * direction[i];
            f_new = objective(x_new, g_new);
            if (f_new <= f + 1e-4 * step * slope) {
                accepted = true;
                break;
            }
        }
        if (!accepted) break;  // no decrease left at machine precision: as good as it gets
        std::vector<double> s(n), y(n);
        for (std::size_t i = 0; i < n; ++i) {
            s[i] = x_new[i] - x[i];
            y[i] = g_new[i] - g[i];
        }
        const double sy = dot(s, y);
        if (sy > 1e-12 * std::sqrt(dot(s, s) * dot(y, y))) {  // keep the update positive definite
            if (s_hist.size() == memory) {
                s_hist.erase(s_hist.begin());
                y_hist.erase(y_hist.begin());
                rho_hist.erase(rho_hist.begin());
            }
            s_hist.push_back(std::move(s));
            y_hist.push_back(std::move(y));
            rho_hist.push_back(1.0 / sy);
        }
        const bool stalled = f - f_new <= 1e-15 * std::max({std::abs(f), std::abs(f_new), 1.0});
        x.swap(x_new);
        g.swap(g_new);
        f = f_new;
        if (stalled) {
            result.converged = max_abs(g) <= options.gradient_tolerance;
            ++result.iterations;
            break;
        }
    }
    result.value = f;
    return result;
}

} // namespace headroom
