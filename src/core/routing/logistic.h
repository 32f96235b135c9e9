// L2-regularised logistic regression on sparse rows, fitted by L-BFGS: the binary
// model behind the logistic router (one per model) and its controls, the multinomial
// one behind the softmax router, and Platt scaling for calibrating any score.
// Objectives are means over rows plus l2 / (2 n) |w|^2 with the intercept free, which
// is scikit-learn's LogisticRegression with C = 1 / l2.
#pragma once
#include "core/features/sparse.h"
#include "core/routing/lbfgs.h"

#include <span>
#include <vector>

namespace headroom {

struct logistic_options {
    double l2 = 1.0;
    // Weight positives by n / (2 n_pos) and negatives by n / (2 n_neg) (scikit-learn's
    // "balanced"): better recall of a rare class, at the price of calibration.
    bool class_weights = false;
    lbfgs_options solver{10, 100, 1e-4};  // scikit-learn's lbfgs defaults: 100 iterations, tol 1e-4
};

struct logistic_model {
    std::vector<double> weight;
    double intercept = 0;
    lbfgs_result fit;
    double probability(const csr_matrix& x, std::size_t row) const;
};

// y in [0, 1] per row of x (fractional labels count as soft targets). weight, when
// given, per row of x: the row counts as that many rows (identical rows merged into
// one, with their mean label, give the fit the very objective they would).
logistic_model fit_logistic(const csr_matrix& x, std::span<const double> y, const logistic_options& options = {},
                            std::span<const double> weight = {});
// One model per column of y (x.rows x models, row-major), each the very model
// fit_logistic fits on its column, but fitted side by side: every objective evaluation
// of the models still being fitted shares one pass over x.
std::vector<logistic_model> fit_logistic_models(const csr_matrix& x, std::span<const double> y, std::size_t models,
                                                const logistic_options& options = {}, std::span<const double> weight = {});

struct softmax_model {
    std::size_t classes = 0;
    std::vector<double> weight;     // cols x classes, row-major
    std::vector<double> intercept;  // per class
    lbfgs_result fit;
    // Class probabilities of one row, written to out (size classes).
    void probabilities(const csr_matrix& x, std::size_t row, std::span<double> out) const;
};

// target: rows x classes, each row a distribution over classes; weight as above.
softmax_model fit_softmax(const csr_matrix& x, std::span<const double> target, std::size_t classes,
                          const logistic_options& options = {}, std::span<const double> weight = {});

// P(y = 1 | score) = logistic(slope * score + offset), fitted by Newton's method with
// Platt's (1999) smoothed targets, so perfectly separated scores keep finite weights.
struct platt_scaling {
    double slope = 1, offset = 0;
    double operator()(double score) const;
};
platt_scaling fit_platt(std::span<const double> score, std::span<const double> y);

} // namespace headroom
