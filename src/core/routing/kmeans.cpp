#include "core/routing/kmeans.h"

#include "core/base/rng.h"
#include "core/features/feature_cache.h"
#include "core/routing/baselines.h"

#include <algorithm>
#include <cmath>
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

// The row a draw of u in [0, sum of mass) lands on when row i takes up mass(i) (the
// last row if rounding runs past the end).
template <class Mass>
std::size_t row_at(double u, std::size_t rows, Mass mass) {
    for (std::size_t i = 0; i < rows; ++i) {
        const double m = mass(i);
        if (m <= 0) continue;
        u -= m;
        if (u < 0) return i;
    }
    return rows - 1;
}

// k-means++: each next centre is a row drawn with probability proportional to its
// weight times its squared distance to the nearest centre chosen so far (the first
// with probability proportional to its weight). The rows' dot products with a chosen
// row run over the rows sharing a column with it (by_col, x transposed), in column
// order: each is the sum row_dot would compute, without its zero terms.
centres seed_centres(const csr_matrix& x, const csr_matrix& by_col, const std::vector<double>& norm2,
                     std::span<const double> weight, std::size_t k, rng& draw) {
    const std::size_t n = x.rows;
    centres c;
    c.k = k;
    c.d = x.cols;
    c.t.assign(c.d * k, 0.0);
    std::vector<double> closest(n, std::numeric_limits<double>::infinity()), dot(n);
    std::size_t pick = 0;
    if (weight.empty()) {
        pick = static_cast<std::size_t>(draw.below(n));
    } else {
        double total = 0;
        for (double w : weight) total += w;
        pick = row_at(draw.uniform() * total, n, [&](std::size_t i) { return weight[i]; });
    }
    for (std::size_t j = 0; j < k; ++j) {
        std::fill(dot.begin(), dot.end(), 0.0);
        for (std::size_t e = x.row_start[pick]; e < x.row_start[pick + 1]; ++e) {
            const double v = x.value[e];
            const std::size_t col = x.col[e];
            c.t[col * k + j] = v;
            for (std::size_t p = by_col.row_start[col]; p < by_col.row_start[col + 1]; ++p) dot[by_col.col[p]] += by_col.value[p] * v;
        }
        double total = 0;
        for (std::size_t i = 0; i < n; ++i) {
            closest[i] = std::min(closest[i], std::max(0.0, norm2[i] + norm2[pick] - 2 * dot[i]));
            total += row_weight(weight, i) * closest[i];
        }
        if (j + 1 == k) break;
        if (total <= 0) {  // every row sits on a centre: any row will do
            pick = static_cast<std::size_t>(draw.below(n));
            continue;
        }
        pick = row_at(draw.uniform() * total, n, [&](std::size_t i) { return row_weight(weight, i) * closest[i]; });
    }
    c.update_norms();
    return c;
}

// Squared distance of row r to centre j, summed exactly as distances() sums it.
double distance_to(const csr_matrix& x, std::size_t r, double norm2, const centres& c, std::size_t j) {
    double dot = 0;
    for (std::size_t e = x.row_start[r]; e < x.row_start[r + 1]; ++e) dot += x.value[e] * c.t[static_cast<std::size_t>(x.col[e]) * c.k + j];
    return std::max(0.0, norm2 + c.norm2[j] - 2 * dot);
}

// Lloyd's assignment step with Elkan's (2003) bounds, without his centre-to-centre
// distances: per row an upper bound on the distance to its centre and a lower bound on
// the distance to each centre, carried from one step to the next by how far each
// centre moved (triangle inequality). A row measures only the centres its bounds do not
// rule out, so once the centres settle most rows measure none. A centre is ruled out
// only when it is farther than the row's own by a margin far above rounding, and the
// distances measured are summed exactly as the full step sums them, so every row gets
// the centre plain Lloyd gives it (the nearest, first on ties).
class bounded_assignment {
public:
    bounded_assignment(const csr_matrix& x, const std::vector<double>& norm2, std::size_t k)
        : x_(x), norm2_(norm2), k_(k), upper_(x.rows), lower_(x.rows * k), moved_(k, 0.0), dist_(k) {
        const double largest = x.rows == 0 ? 0.0 : *std::max_element(norm2.begin(), norm2.end());
        // Centres are means of rows, so no distance exceeds twice the longest row and
        // its rounding error is below 1e-14 of that: 1e-5 of it is a wide margin.
        margin_ = largest > 0 ? 1e-5 * std::sqrt(largest) : 1.0;
    }

    // Every row's nearest centre into label (which holds the previous step's).
    void assign(const centres& c, std::vector<std::uint32_t>& label) {
        for (std::size_t i = 0; i < x_.rows; ++i) {
            if (first_) measure_all(c, i, label);
            else measure_bounded(c, i, label);
        }
        first_ = false;
        std::fill(moved_.begin(), moved_.end(), 0.0);
    }
    // How far each centre moved since the last assign.
    void centres_moved(std::span<const double> distance) { std::copy(distance.begin(), distance.end(), moved_.begin()); }
    // Row i was given another centre from outside: its upper bound no longer holds.
    void forget(std::size_t i) { upper_[i] = std::numeric_limits<double>::infinity(); }
    // The squared distance of row i to centre j, as the full step computes it.
    double distance2(const centres& c, std::size_t i, std::size_t j) const { return distance_to(x_, i, norm2_[i], c, j); }

private:
    // Measuring every centre at once runs several times faster per centre than
    // measuring a few, so a row with more candidates than this share measures all.
    static constexpr std::size_t all_share = 4;

    void measure_all(const centres& c, std::size_t i, std::vector<std::uint32_t>& label) {
        distances(x_, i, norm2_[i], c, dist_);
        std::size_t best = 0;
        for (std::size_t j = 1; j < k_; ++j)
            if (dist_[j] < dist_[best]) best = j;
        label[i] = static_cast<std::uint32_t>(best);
        upper_[i] = std::sqrt(dist_[best]);
        for (std::size_t j = 0; j < k_; ++j) lower_[i * k_ + j] = std::sqrt(dist_[j]);
    }

    // Centres j != a whose lower bound does not clear `upper` by the margin.
    void collect_candidates(std::size_t i, std::size_t a, double upper) {
        const double* lower = &lower_[i * k_];
        candidates_.clear();
        for (std::size_t j = 0; j < k_; ++j)
            if (j != a && lower[j] < upper + margin_) candidates_.push_back(static_cast<std::uint32_t>(j));
    }

    // The lowest lower bound of the centres other than a, after the centres' moves.
    double move_bounds(std::size_t i, std::size_t a) {
        double* lower = &lower_[i * k_];
        upper_[i] += moved_[a];
        for (std::size_t j = 0; j < k_; ++j) lower[j] -= moved_[j];
        const double own = lower[a];
        lower[a] = std::numeric_limits<double>::infinity();
        const double nearest_other = *std::min_element(lower, lower + k_);
        lower[a] = own;
        return nearest_other;
    }

    void measure_bounded(const centres& c, std::size_t i, std::vector<std::uint32_t>& label) {
        const std::size_t a = label[i];
        if (move_bounds(i, a) >= upper_[i] + margin_) return;
        // Tighten the upper bound to the distance itself, then measure who is left.
        double* lower = &lower_[i * k_];
        const double da = distance2(c, i, a);
        upper_[i] = std::sqrt(da);
        lower[a] = upper_[i];
        collect_candidates(i, a, upper_[i]);
        if (candidates_.empty()) return;
        if (candidates_.size() * all_share > k_) {
            measure_all(c, i, label);
            return;
        }
        // The nearest, first on ties, as the full step picks it: the centres left out
        // are strictly farther than a.
        std::size_t best = a;
        double best_dist = da;
        for (std::uint32_t j : candidates_) {
            const double dj = distance2(c, i, j);
            lower[j] = std::sqrt(dj);
            if (dj < best_dist || (dj == best_dist && j < best)) {
                best = j;
                best_dist = dj;
            }
        }
        label[i] = static_cast<std::uint32_t>(best);
        upper_[i] = lower[best];
    }

    const csr_matrix& x_;
    const std::vector<double>& norm2_;
    std::size_t k_;
    double margin_ = 0;
    bool first_ = true;
    std::vector<double> upper_, lower_;  // lower_: rows x k
    std::vector<double> moved_, dist_;  // dist_: one row's squared distances to every centre
    std::vector<std::uint32_t> candidates_;
};

kmeans_result lloyd(const csr_matrix& x, const std::vector<double>& norm2, std::span<const double> weight, centres c,
                    const kmeans_options& options, double tolerance) {
    const std::size_t n = x.rows, k = c.k, d = c.d;
    std::vector<std::uint32_t> label(n);
    std::vector<double> best_dist(n), next(d * k), count(k), moved(k);
    bounded_assignment assignment(x, norm2, k);
    kmeans_result out;
    for (out.iterations = 1; out.iterations <= options.max_iterations; ++out.iterations) {
        assignment.assign(c, label);
        std::fill(next.begin(), next.end(), 0.0);
        std::fill(count.begin(), count.end(), 0.0);
        // Sums by centre (k x d), so one row's non-zeros land in one centre's span.
        for (std::size_t i = 0; i < n; ++i) {
            count[label[i]] += row_weight(weight, i);
            row_axpy(x, i, row_weight(weight, i), std::span<double>(&next[label[i] * d], d));
        }
        // An empty cluster takes the row farthest from its centre (farthest first, then
        // by row), as scikit-learn relocates them.
        std::vector<std::size_t> far;
        for (std::size_t j = 0; j < k; ++j)
            if (count[j] == 0) {
                if (far.empty()) {
                    for (std::size_t i = 0; i < n; ++i) best_dist[i] = assignment.distance2(c, i, label[i]);
                    far.resize(n);
                    for (std::size_t i = 0; i < n; ++i) far[i] = i;
                    std::stable_sort(far.begin(), far.end(), [&](std::size_t a, std::size_t b) { return best_dist[a] > best_dist[b]; });
                }
                const std::size_t row = far[std::min<std::size_t>(j, n - 1)];
                const std::uint32_t from = label[row];
                const double w = row_weight(weight, row);
                for (std::size_t e = x.row_start[row]; e < x.row_start[row + 1]; ++e) {
                    next[from * d + x.col[e]] -= w * x.value[e];
                    next[j * d + x.col[e]] += w * x.value[e];
                }
                count[from] -= w;
                count[j] = w;
                label[row] = static_cast<std::uint32_t>(j);
                assignment.forget(row);
            }
        double shift = 0;
        std::fill(moved.begin(), moved.end(), 0.0);
        for (std::size_t col = 0; col < d; ++col)
            for (std::size_t j = 0; j < k; ++j) {
                const double v = count[j] > 0 ? next[j * d + col] / count[j] : 0.0;
                const double delta = v - c.t[col * k + j];
                shift += delta * delta;
                moved[j] += delta * delta;
                c.t[col * k + j] = v;
            }
        for (double& m : moved) m = std::sqrt(m);
        assignment.centres_moved(moved);
        c.update_norms();
        if (shift <= tolerance) break;
    }
    out.iterations = std::min(out.iterations, options.max_iterations);
    out.assignment = label;
    assignment.assign(c, out.assignment);
    for (std::size_t i = 0; i < n; ++i) out.inertia += row_weight(weight, i) * assignment.distance2(c, i, out.assignment[i]);
    out.clusters = k;
    out.cols = d;
    out.centre_norm2 = c.norm2;
    out.centre.resize(k * d);
    for (std::size_t col = 0; col < d; ++col)
        for (std::size_t j = 0; j < k; ++j) out.centre[j * d + col] = c.t[col * k + j];
    return out;
}

// The clustering of the task's training rows (label-free, so the cache keeps it for
// every protocol's labels): training queries with identical features are clustered as
// one weighted row (the same clustering problem at the cost of the distinct rows), and
// each query gets its row's cluster.
constexpr std::uint64_t derived_tag = 0x6b6d65616e73;  // "kmeans"
struct training_clusters {
    kmeans_result fit;                       // of the distinct training rows
    std::vector<std::uint32_t> assignment;  // per training query
};
struct clustered_task {
    const training_clusters* clusters = nullptr;
    const csr_matrix* features = nullptr;
};

clustered_task cluster_training_rows(const routing_task& task, const router_options& options, feature_cache& cache) {
    clustered_task out;
    out.features = &cache.features(options.features, task.train, options, task.seed);
    kmeans_options k;
    k.clusters = static_cast<std::size_t>(std::max(options.clusters, 1));
    k.restarts = options.restarts;
    std::vector<std::uint64_t> key{derived_tag, k.clusters, static_cast<std::uint64_t>(k.restarts), task.seed};
    key.insert(key.end(), task.train.begin(), task.train.end());
    out.clusters = &cache.derived<training_clusters>(*out.features, std::move(key), [&] {
        const row_groups& groups = cache.identical_rows(*out.features, task.train);
        training_clusters c;
        c.fit = fit_kmeans(select_rows(*out.features, groups.first), k, task.seed, groups.size);
        for (std::uint32_t g : groups.group_of) c.assignment.push_back(c.fit.assignment[g]);
        return c;
    });
    return out;
}

std::size_t argmax(std::span<const double> v) {
    std::size_t best = 0;
    for (std::size_t i = 1; i < v.size(); ++i)
        if (v[i] > v[best]) best = i;
    return best;
}

} // namespace

kmeans_result fit_kmeans(const csr_matrix& x, const kmeans_options& options, std::uint64_t seed,
                         std::span<const double> weight) {
    const std::size_t n = x.rows;
    const std::size_t k = std::min(options.clusters, n);
    if (k == 0) {
        kmeans_result empty;
        empty.cols = x.cols;
        return empty;
    }
    std::vector<double> norm2(n), mean(x.cols, 0.0), mean2(x.cols, 0.0);
    double total = 0;
    for (std::size_t i = 0; i < n; ++i) {
        const double w = row_weight(weight, i);
        total += w;
        norm2[i] = row_norm2(x, i);
        for (std::size_t e = x.row_start[i]; e < x.row_start[i + 1]; ++e) {
            mean[x.col[e]] += w * x.value[e];
            mean2[x.col[e]] += w * (x.value[e] * x.value[e]);
        }
    }
    double variance = 0;
    for (std::size_t j = 0; j < x.cols; ++j) {
        const double m = mean[j] / total;
        variance += mean2[j] / total - m * m;
    }
    const double tolerance = x.cols == 0 ? 0.0 : options.tolerance * variance / static_cast<double>(x.cols);

    const csr_matrix by_col = transpose(x);
    kmeans_result best;
    for (int restart = 0; restart < std::max(options.restarts, 1); ++restart) {
        rng draw(derive_seed(seed, "kmeans", static_cast<std::uint64_t>(restart)));
        kmeans_result r = lloyd(x, norm2, weight, seed_centres(x, by_col, norm2, weight, k, draw), options, tolerance);
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
    const kmeans_result& fit = ct.clusters->fit;
    const std::size_t k = fit.clusters;

    std::vector<double> sum(k * models, 0.0), count(k, 0.0);
    for (std::size_t i = 0; i < task.train.size(); ++i) {
        const std::uint32_t c = ct.clusters->assignment[i];
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
        const std::uint32_t c = nearest_centre(fit, *ct.features, task.test[r]);
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
    const std::size_t k = ct.clusters->fit.clusters;
    std::vector<double> train_sum(k * models, 0.0), test_sum(k * models, 0.0), test_count(k, 0.0);
    for (std::size_t i = 0; i < task.train.size(); ++i)
        for (std::size_t m = 0; m < models; ++m)
            train_sum[ct.clusters->assignment[i] * models + m] += task.labels->at(task.train[i], m);
    for (std::uint32_t q : task.test) {
        const std::uint32_t c = nearest_centre(ct.clusters->fit, *ct.features, q);
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
