#include "core/base/det_math.h"
#include "core/base/rng.h"
#include "core/features/feature_cache.h"
#include "core/routing/baselines.h"
#include "core/routing/learned.h"
#include "core/routing/logistic_math.h"

#include <algorithm>

namespace headroom {
namespace {

// Plain SGD over queries in a seeded order each epoch, all models of a query in one
// step, with a step size decaying as 1 / (1 + epoch).
constexpr int epochs = 12;
constexpr double first_step = 0.5;

constexpr std::size_t lookahead = 2;
void prefetch_row(const double* row, std::size_t d) {
    constexpr std::size_t line = 64 / sizeof(double);
    for (std::size_t c = 0; c < d; c += line) __builtin_prefetch(row + c);
}

} // namespace

confidence_matrix route_matrix_factorisation(const routing_task& task, const router_options& options,
                                             feature_cache& features) {
    const std::size_t models = task.labels->models;
    // The query side starts from a dense embedding: the study's own (an embedding
    // model's) when those are the chosen features, else LSA. A learned projection of the
    // raw TF-IDF (tens of thousands of columns) would cost more than every other router
    // together, and LSA is itself a linear projection of it, fitted without labels.
    router_options query_side = options;
    if (query_side.features != feature_kind::embeddings) query_side.features = feature_kind::lsa;
    const csr_matrix& e = features.features(query_side.features, task.train, query_side, task.seed);
    const std::size_t d = e.cols;
    const auto rank = static_cast<std::size_t>(std::max(options.factors, 1));
    const std::vector<double> overall = training_accuracy(task);

    rng init(derive_seed(task.seed, "router:matrix-factorisation"));
    // A (rank x d) is stored transposed, a[c * rank + j] = A[j][c], so projecting and
    // updating run along contiguous memory, all rank sums side by side.
    std::vector<double> a(rank * d), v(models * rank), bias(models);
    const double init_scale = 1.0 / det_math::sqrt(static_cast<double>(std::max<std::size_t>(d, 1)));
    for (std::size_t j = 0; j < rank; ++j)
        for (std::size_t c = 0; c < d; ++c) a[c * rank + j] = init.normal() * init_scale;
    for (auto& w : v) w = init.normal() * 0.1;
    for (std::size_t m = 0; m < models; ++m) {
        const double p = std::clamp(overall[m], 1e-3, 1 - 1e-3);
        bias[m] = det_math::log(p / (1 - p));  // start from best-single's calibrated guess
    }

    const std::vector<double> dense = to_dense(e);
    const double l2 = options.l2 / static_cast<double>(task.train.size());
    std::vector<std::uint32_t> order(task.train.begin(), task.train.end());
    // A's weight decay shrinks all of it at every step: kept as one factor, A = a_scale
    // * a, so a step touches A only along the query's own gradient.
    double a_scale = 1.0;
    std::vector<double> h(rank), grad_h(rank), residual(models), move(rank);
    auto project = [&](std::uint32_t q, std::vector<double>& out) {
        const double* x = &dense[static_cast<std::size_t>(q) * d];
        std::fill(out.begin(), out.end(), 0.0);
        for (std::size_t c = 0; c < d; ++c)
            for (std::size_t j = 0; j < rank; ++j) out[j] += a[c * rank + j] * x[c];
        for (std::size_t j = 0; j < rank; ++j) out[j] *= a_scale;
    };
    for (int epoch = 0; epoch < epochs; ++epoch) {
        rng shuffle(derive_seed(task.seed, "router:matrix-factorisation:order", static_cast<std::uint64_t>(epoch)));
        shuffle.shuffle(std::span<std::uint32_t>(order));
        const double step = first_step / (1.0 + epoch);
        for (std::size_t i = 0; i < order.size(); ++i) {
            const std::uint32_t q = order[i];
            // The rows come in shuffled order from a matrix far larger than the cache,
            // and each step waited on its row's load (two thirds of the fit's time):
            // the row after next is fetched while this one is worked on.
            if (i + lookahead < order.size()) prefetch_row(&dense[static_cast<std::size_t>(order[i + lookahead]) * d], d);
            project(q, h);
            std::fill(grad_h.begin(), grad_h.end(), 0.0);
            for (std::size_t m = 0; m < models; ++m) {
                double z = bias[m];
                for (std::size_t j = 0; j < rank; ++j) z += v[m * rank + j] * h[j];
                residual[m] = logistic_math::logistic(z) - task.labels->at(q, m);  // d log loss / dz
                for (std::size_t j = 0; j < rank; ++j) grad_h[j] += residual[m] * v[m * rank + j];
            }
            for (std::size_t m = 0; m < models; ++m) {
                bias[m] -= step * residual[m];
                for (std::size_t j = 0; j < rank; ++j)
                    v[m * rank + j] -= step * (residual[m] * h[j] + l2 * v[m * rank + j]);
            }
            // A -= step (grad_h x^T + l2 A), as a_scale' = a_scale (1 - step l2) and
            // a -= step grad_h x^T / a_scale'.
            a_scale *= 1 - step * l2;
            for (std::size_t j = 0; j < rank; ++j) move[j] = step * grad_h[j] / a_scale;
            const double* x = &dense[static_cast<std::size_t>(q) * d];
            for (std::size_t c = 0; c < d; ++c)
                for (std::size_t j = 0; j < rank; ++j) a[c * rank + j] -= move[j] * x[c];
        }
    }

    confidence_matrix out;
    out.rows = task.test.size();
    out.models = models;
    out.value.resize(out.rows * models);
    for (std::size_t r = 0; r < out.rows; ++r) {
        project(task.test[r], h);
        for (std::size_t m = 0; m < models; ++m) {
            double z = bias[m];
            for (std::size_t j = 0; j < rank; ++j) z += v[m * rank + j] * h[j];
            out.value[r * models + m] = logistic_math::logistic(z);
        }
    }
    return out;
}

} // namespace headroom
