// k-means over l2-normalised sparse rows (TF-IDF or LSA): k-means++ seeding (Arthur and
// Vassilvitskii, 2007), Lloyd iterations, several seeded restarts keeping the lowest
// inertia. Then the router of P1: each cluster scores the models by their training
// accuracy in it.
#pragma once
#include "core/features/sparse.h"
#include "core/routing/router.h"

#include <cstdint>
#include <span>
#include <vector>

namespace headroom {

struct kmeans_options {
    std::size_t clusters = 50;
    int restarts = 3;
    int max_iterations = 300;
    // Stop when the centres' total squared shift falls to tolerance times the mean
    // per-column variance of the rows (scikit-learn's rule, so the two stop alike).
    double tolerance = 1e-4;
};

struct kmeans_result {
    std::size_t clusters = 0, cols = 0;
    std::vector<double> centre;           // clusters x cols, row-major
    std::vector<double> centre_norm2;     // per centre, its squared length
    std::vector<std::uint32_t> assignment;  // per row of the fitted matrix
    double inertia = 0;                   // sum of squared distances to the assigned centre
    int iterations = 0;                   // of the kept restart
};

// Clusters the rows of x (min(clusters, rows) of them). Deterministic for a seed.
// weight, when given, per row of x: the row counts as that many identical rows in the
// seeding draws, the centres' means, the stopping rule and the inertia.
kmeans_result fit_kmeans(const csr_matrix& x, const kmeans_options& options, std::uint64_t seed,
                         std::span<const double> weight = {});
// The nearest centre of row r of x (first on ties).
std::uint32_t nearest_centre(const kmeans_result& k, const csr_matrix& x, std::size_t r);

// The kmeans router's confidences: per cluster, each model's training accuracy in it,
// shrunk toward the model's overall training accuracy by one pseudo-query (so a
// cluster of one query does not claim certainty). With options.cluster_margin > 0 it
// is P1's threshold variant: a cluster whose best model does not beat the overall best
// model (in that cluster) by the margin keeps the overall training accuracies, so a
// policy sends it to the best single model.
confidence_matrix route_kmeans(const routing_task& task, const router_options& options, feature_cache& features);

// Is the best model per cluster the same on train and test labels? The share of test
// queries whose cluster's best model by training labels is also its best by test labels.
struct cluster_stability {
    std::size_t clusters = 0;         // clusters with at least one test query
    std::size_t agreeing_clusters = 0;
    double stability = 0;             // share of test queries in agreeing clusters
};
cluster_stability measure_cluster_stability(const routing_task& task, const router_options& options,
                                            feature_cache& features);

} // namespace headroom
