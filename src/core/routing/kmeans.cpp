#include "kmeans.h"

#include "../features/feature_cache.h"
#include "../rng.h"
#include "baselines.h"

#include <algorithm>
#include <limits>

namespace headroom {
namespace {

// Centres are kept transposed (cols x clusters) while fitting, so a sparse row's dot
// products with all centres read contiguous memory per non-zero.
struct centres {
    std::size_t k = 0, d = 0;
    std::vector<double> t;      // d x k
    std::vector<double> norm2;  // per centre

    void update_norms() {
        norm2.assign(k, 0.0);
        for (std::size_t j = 0; j < d; ++j)
            for (std::size_t c = 0; c < k; ++c) norm2[c] += t[j * k + c] * t[j * k + c];
    }
};

double row_norm2(const csr_matrix& x, std::size_t r) {
    double s = 0;
    for (double v : x.row_values(r)) s += v * v;
    return s;
}

// Squared distances of row r to every centre, into dist (size k).
void distances(const csr_matrix& x, std::size_t r, double norm2, const centres& c, std::vector<double>& dist) {
    std::fill(dist.begin(), dist.end(), 0.0);
    for (std::size_t e = x.row_start[r]; e < x.row_start[r + 1]; ++e) {
        const double v = x.value[e];
        const double* col = &c.t[static_cast<std::size_t>(x.col[e]) * c.k];
        for (std::size_t j = 0; j < c.k; ++j) dist[j] += v * col[j];
    }
    for (std::size_t j = 0; j < c.k; ++j) dist[j] = std::max(0.0, norm2 + c.norm2[j] - 2 * dist[j]);
}

double distance_to_dense(const csr_matrix& x, std::size_t r, double norm2, const std::vector<double>& dense, double dense_norm2) {
    return std::max(0.0, norm2 + dense_norm2 - 2 * row_dot(x, r, dense));
}

// k-means++: each next centre is a row drawn with probability proportional to its
// squared distance to the nearest centre chosen so far.
centres seed_centres(const csr_matrix& x, const std::vector<double>& norm2, std::size_t k, rng& draw) {
    const std::size_t n = x.rows;
    centres c;
    c.k = k;
    c.d = x.cols;
    c.t.assign(c.d * k, 0.0);
    std::vector<double> closest(n, std::numeric_limits<double>::infinity()), dense(x.cols, 0.0);
    std::size_t pick = static_cast<std::size_t>(draw.below(n));
    for (std::size_t j = 0; j < k; ++j) {
        std::fill(dense.begin(), dense.end(), 0.0);
        row_axpy(x, pick, 1.0, dense);
        for (std::size_t e = x.row_start[pick]; e < x.row_start[pick + 1]; ++e) c.t[static_cast<std::size_t>(x.col[e]) * k + j] = x.value[e];
        double total = 0;
        for (std::size_t i = 0; i < n; ++i) {
            closest[i] = std::min(closest[i], distance_to_dense(x, i, norm2[i], dense, norm2[pick]));
            total += closest[i];
        }
        if (j + 1 == k) break;
        if (total <= 0) {  // every row sits on a centre: any row will do
            pick = static_cast<std::size_t>(draw.below(n));
            continue;
        }
        double target = draw.uniform() * total;
        pick = n - 1;
        for (std::size_t i = 0; i < n; ++i) {
            if (closest[i] <= 0) continue;
            target -= closest[i];
            if (target < 0) {
                pick = i;
                break;
            }
        }
    }
    c.update_norms();
    return c;
}

double assign(const csr_matrix& x, const std::vector<double>& norm2, const centres& c, std::vector<std::uint32_t>& label,
              std::vector<double>& best_dist) {
    std::vector<double> dist(c.k);
    double inertia = 0;
    for (std::size_t i = 0; i < x.rows; ++i) {
        distances(x, i, norm2[i], c, dist);
        std::size_t best = 0;
        for (std::size_t j = 1; j < c.k; ++j)
            if (dist[j] < dist[best]) best = j;
        label[i] = static_cast<std::uint32_t>(best);
        best_dist[i] = dist[best];
        inertia += dist[best];
    }
    return inertia;
}

kmeans_result lloyd(const csr_matrix& x, const std::vector<double>& norm2, centres c, const kmeans_options& options,
                    double tolerance) {
    const std::size_t n = x.rows, k = c.k, d = c.d;
    std::vector<std::uint32_t> label(n);
    std::vector<double> best_dist(n), next(d * k), count(k);
    kmeans_result out;
    for (out.iterations = 1; out.iterations <= options.max_iterations; ++out.iterations) {
        assign(x, norm2, c, label, best_dist);
        std::fill(next.begin(), next.end(), 0.0);
        std::fill(count.begin(), count.end(), 0.0);
        for (std::size_t i = 0; i < n; ++i) {
            count[label[i]] += 1;
            for (std::size_t e = x.row_start[i]; e < x.row_start[i + 1]; ++e)
                next[static_cast<std::size_t>(x.col[e]) * k + label[i]] += x.value[e];
        }
        // An empty cluster takes the row farthest from its centre (farthest first, then
        // by row), as scikit-learn relocates them.
        std::vector<std::size_t> far;
        for (std::size_t j = 0; j < k; ++j)
            if (count[j] == 0) {
                if (far.empty()) {
                    far.resize(n);
                    for (std::size_t i = 0; i < n; ++i) far[i] = i;
                    std::stable_sort(far.begin(), far.end(), [&](std::size_t a, std::size_t b) { return best_dist[a] > best_dist[b]; });
                }
                const std::size_t row = far[std::min<std::size_t>(j, n - 1)];
                const std::uint32_t from = label[row];
                for (std::size_t e = x.row_start[row]; e < x.row_start[row + 1]; ++e) {
                    const std::size_t col = static_cast<std::size_t>(x.col[e]) * k;
                    next[col + from] -= x.value[e];
                    next[col + j] += x.value[e];
                }
                count[from] -= 1;
                count[j] = 1;
                label[row] = static_cast<std::uint32_t>(j);
            }
        double shift = 0;
        for (std::size_t col = 0; col < d; ++col)
            for (std::size_t j = 0; j < k; ++j) {
                const double v = count[j] > 0 ? next[col * k + j] / count[j] : 0.0;
                const double delta = v - c.t[col * k + j];
                shift += delta * delta;
                c.t[col * k + j] = v;
            }
        c.update_norms();
        if (shift <= tolerance) break;
    }
    out.iterations = std::min(out.iterations, options.max_iterations);
    out.assignment.resize(n);
    out.inertia = assign(x, norm2, c, out.assignment, best_dist);
    out.clusters = k;
    out.cols = d;
    out.centre_norm2 = c.norm2;
    out.centre.resize(k * d);
    for (std::size_t col = 0; col < d; ++col)
        for (std::size_t j = 0; j < k; ++j) out.centre[j * d + col] = c.t[col * k + j];
    return out;
}

// The fitted clustering of the task's training rows and its routing statistics.
struct clustered_task {
    kmeans_result fit;
    const csr_matrix* features = nullptr;
};

clustered_task cluster_training_rows(const routing_task& task, const router_options& options, feature_cache& cache) {
    clustered_task out;
    out.features = &cache.features(options.features, task.train, options, task.seed);
    kmeans_options k;
    k.clusters = static_cast<std::size_t>(std::max(options.clusters, 1));
    k.restarts = options.restarts;
    out.fit = fit_kmeans(select_rows(*out.features, task.train), k, task.seed);
    return out;
}

std::size_t argmax(std::span<const double> v) {
    std::size_t best = 0;
    for (std::size_t i = 1; i < v.size(); ++i)
        if (v[i] > v[best]) best = i;
    return best;
}

} // namespace

kmeans_result fit_kmeans(const csr_matrix& x, const kmeans_options& options, std::uint64_t seed) {
    const std::size_t n = x.rows;
    const std::size_t k = std::min(options.clusters, n);
    if (k == 0) {
        kmeans_result empty;
        empty.cols = x.cols;
        return empty;
    }
    std::vector<double> norm2(n), mean(x.cols, 0.0), mean2(x.cols, 0.0);
    for (std::size_t i = 0; i < n; ++i) {
        norm2[i] = row_norm2(x, i);
        for (std::size_t e = x.row_start[i]; e < x.row_start[i + 1]; ++e) {
            mean[x.col[e]] += x.value[e];
            mean2[x.col[e]] += x.value[e] * x.value[e];
        }
    }
    double variance = 0;
    for (std::size_t j = 0; j < x.cols; ++j) {
        const double m = mean[j] / static_cast<double>(n);
        variance += mean2[j] / static_cast<double>(n) - m * m;
    }
    const double tolerance = x.cols == 0 ? 0.0 : options.tolerance * variance / static_cast<double>(x.cols);

    kmeans_result best;
    for (int restart = 0; restart < std::max(options.restarts, 1); ++restart) {
        rng draw(derive_seed(seed, "kmeans", static_cast<std::uint64_t>(restart)));
        kmeans_result r = lloyd(x, norm2, seed_centres(x, norm2, k, draw), options, tolerance);
        if (restart == 0 || r.inertia < best.inertia) best = std::move(r);
    }
    return best;
}

std::uint32_t nearest_centre(const kmeans_result& k, const csr_matrix& x, std::size_t r) {
    const double norm2 = row_norm2(x, r);
    std::uint32_t best = 0;
    double best_dist = std::numeric_limits<double>::infinity();
    for (std::size_t j = 0; j < k.clusters; ++j) {
        const std::span<const double> centre(&k.centre[j * k.cols], k.cols);
        const double dist = norm2 + k.centre_norm2[j] - 2 * row_dot(x, r, centre);
        if (dist < best_dist) {
            best_dist = dist;
            best = static_cast<std::uint32_t>(j);
        }
    }
    return best;
}

confidence_matrix route_kmeans(const routing_task& task, const router_options& options, feature_cache& features) {
    const std::size_t models = task.labels->models;
    const std::vector<double> overall = training_accuracy(task);
    if (task.train.empty() || models == 0) return route_best_single(task);
    const clustered_task ct = cluster_training_rows(task, options, features);
    const std::size_t k = ct.fit.clusters;

    std::vector<double> sum(k * models, 0.0), count(k, 0.0);
    for (std::size_t i = 0; i < task.train.size(); ++i) {
        const std::uint32_t c = ct.fit.assignment[i];
        count[c] += 1;
        for (std::size_t m = 0; m < models; ++m) sum[c * models + m] += task.labels->at(task.train[i], m);
    }
    const std::size_t best_single = argmax(overall);
    std::vector<double> score(k * models);
    for (std::size_t c = 0; c < k; ++c) {
        const std::span<double> row(&score[c * models], models);
        for (std::size_t m = 0; m < models; ++m) row[m] = (sum[c * models + m] + overall[m]) / (count[c] + 1);
        if (options.cluster_margin > 0 && row[argmax(row)] - row[best_single] < options.cluster_margin)
            std::copy(overall.begin(), overall.end(), row.begin());
    }

    confidence_matrix out;
    out.rows = task.test.size();
    out.models = models;
    out.value.resize(out.rows * models);
    for (std::size_t r = 0; r < out.rows; ++r) {
        const std::uint32_t c = nearest_centre(ct.fit, *ct.features, task.test[r]);
        std::copy_n(&score[c * models], models, &out.value[r * models]);
    }
    return out;
}

cluster_stability measure_cluster_stability(const routing_task& task, const router_options& options,
                                            feature_cache& features) {
    cluster_stability out;
    const std::size_t models = task.labels->models;
    if (task.train.empty() || task.test.empty() || models == 0) return out;
    const clustered_task ct = cluster_training_rows(task, options, features);
    const std::size_t k = ct.fit.clusters;
    std::vector<double> train_sum(k * models, 0.0), test_sum(k * models, 0.0), test_count(k, 0.0);
    for (std::size_t i = 0; i < task.train.size(); ++i)
        for (std::size_t m = 0; m < models; ++m)
            train_sum[ct.fit.assignment[i] * models + m] += task.labels->at(task.train[i], m);
    for (std::uint32_t q : task.test) {
        const std::uint32_t c = nearest_centre(ct.fit, *ct.features, q);
        test_count[c] += 1;
        for (std::size_t m = 0; m < models; ++m) test_sum[c * models + m] += task.labels->at(q, m);
    }
    double agreeing_queries = 0;
    for (std::size_t c = 0; c < k; ++c) {
        if (test_count[c] == 0) continue;
        ++out.clusters;
        if (argmax({&train_sum[c * models], models}) == argmax({&test_sum[c * models], models})) {
            ++out.agreeing_clusters;
            agreeing_queries += test_count[c];
        }
    }
    out.stability = agreeing_queries / static_cast<double>(task.test.size());
    return out;
}

} // namespace headroom
