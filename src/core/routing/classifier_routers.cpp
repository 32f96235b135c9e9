#include "core/base/rng.h"
#include "core/features/feature_cache.h"
#include "core/routing/learned.h"
#include "core/routing/logistic.h"
#include "core/routing/logistic_math.h"

#include <algorithm>

namespace headroom {
namespace {

// Shares below 1e-12 all read as 1e-12: beyond that the softmax says "never" alike.
double log_share(double p) { return -logistic_math::log_at_least_one(1 / std::max(p, 1e-12)); }

constexpr std::uint64_t random_features_tag = 0x72616e64;  // "rand"

logistic_options logistic_settings(const router_options& options) {
    logistic_options o;
    o.l2 = options.l2;
    o.class_weights = options.class_weights;
    return o;
}

// Per group and model (groups x models), the mean of value(i, m) over the group's
// members i: the label or target of a group's one weighted row.
template <class Value>
std::vector<double> group_means(const row_groups& groups, std::size_t models, Value value) {
    std::vector<double> mean(groups.first.size() * models, 0.0);
    for (std::size_t i = 0; i < groups.group_of.size(); ++i)
        for (std::size_t m = 0; m < models; ++m) mean[groups.group_of[i] * models + m] += value(i, m);
    for (std::size_t g = 0; g < groups.first.size(); ++g)
        for (std::size_t m = 0; m < models; ++m) mean[g * models + m] /= groups.size[g];
    return mean;
}

// One binary model per model on the given training label rows (label_rows[i] is the
// label row of the i-th training query). Training queries whose features are the same
// to the bit are one weighted row of the fit, with their mean label: the same
// objective, at the cost of the distinct rows (p2-artifacts' open-ended benchmarks
// repeat their texts: 12,372 distinct rows among 24,121 training queries; p1-routing
// 12,023 among 13,593).
confidence_matrix one_vs_rest(const routing_task& task, const router_options& options, const csr_matrix& x,
                              std::span<const std::uint32_t> label_rows, feature_cache& features) {
    const std::size_t models = task.labels->models;
    const row_groups& groups = features.identical_rows(x, task.train);
    const csr_matrix train = select_rows(x, groups.first);
    confidence_matrix out;
    out.rows = task.test.size();
    out.models = models;
    out.value.resize(out.rows * models);
    const std::vector<double> y =
        group_means(groups, models, [&](std::size_t i, std::size_t m) { return task.labels->at(label_rows[i], m); });
    const std::vector<logistic_model> fits = fit_logistic_models(train, y, models, logistic_settings(options), groups.size);
    for (std::size_t r = 0; r < out.rows; ++r)
        for (std::size_t m = 0; m < models; ++m) out.value[r * models + m] = fits[m].probability(x, task.test[r]);
    return out;
}

} // namespace

confidence_matrix route_logistic(const routing_task& task, const router_options& options, feature_cache& features) {
    return one_vs_rest(task, options, features.features(options.features, task.train, options, task.seed), task.train,
                       features);
}

confidence_matrix route_shuffled_labels(const routing_task& task, const router_options& options, feature_cache& features) {
    std::vector<std::uint32_t> shuffled(task.train.begin(), task.train.end());
    rng draw(derive_seed(task.seed, "router:shuffled-labels"));
    draw.shuffle(std::span<std::uint32_t>(shuffled));
    return one_vs_rest(task, options, features.features(options.features, task.train, options, task.seed), shuffled,
                       features);
}

confidence_matrix route_random_features(const routing_task& task, const router_options& options, feature_cache& features) {
    // Same width and the same number of non-zeros per query as the real features, so
    // the control differs from the logistic router only in what the features mean.
    // They do not depend on the labels: one draw serves every protocol's training.
    const csr_matrix& real = features.features(options.features, task.train, options, task.seed);
    const csr_matrix& fake = features.derived<csr_matrix>(real, {random_features_tag, task.seed}, [&] {
        csr_matrix out;
        out.cols = real.cols;
        std::vector<std::uint32_t> cols;
        std::vector<double> values;
        for (std::size_t q = 0; q < real.rows; ++q) {
            rng draw(derive_seed(task.seed, "router:random-features", q));
            cols.clear();
            for (std::size_t e = 0; e < real.row_cols(q).size(); ++e)
                cols.push_back(static_cast<std::uint32_t>(draw.below(real.cols)));
            std::sort(cols.begin(), cols.end());
            cols.erase(std::unique(cols.begin(), cols.end()), cols.end());
            values.resize(cols.size());
            for (auto& v : values) v = draw.normal();
            out.push_row(cols, values);
        }
        normalize_rows(out);
        return out;
    });
    return one_vs_rest(task, options, fake, task.train, features);
}

confidence_matrix route_softmax(const routing_task& task, const router_options& options, feature_cache& features) {
    const std::size_t models = task.labels->models;
    const csr_matrix& x = features.features(options.features, task.train, options, task.seed);
    // Trained on "which models solve it": each query's solvers share its unit of mass.
    // Queries nobody solves say nothing about which model to pick and are left out.
    // Solved queries with the same features are one row, of their mean target.
    std::vector<std::uint32_t> solved;
    for (std::uint32_t q : task.train) {
        double total = 0;
        for (std::size_t m = 0; m < models; ++m) total += task.labels->at(q, m);
        if (total > 0) solved.push_back(q);
    }
    std::vector<double> solvers(solved.size(), 0.0);
    for (std::size_t i = 0; i < solved.size(); ++i)
        for (std::size_t m = 0; m < models; ++m) solvers[i] += task.labels->at(solved[i], m);
    const row_groups groups = group_identical_rows(x, solved);
    const std::vector<double> target = group_means(
        groups, models, [&](std::size_t i, std::size_t m) { return task.labels->at(solved[i], m) / solvers[i]; });
    const softmax_model fit =
        fit_softmax(select_rows(x, groups.first), target, models, logistic_settings(options), groups.size);

    // A softmax share is not P(model solves q): Platt scaling on log-share over every
    // training query (unsolved ones included) maps it to one, per model.
    auto log_shares = [&](std::span<const std::uint32_t> rows) {
        std::vector<double> out(rows.size() * models), p(models);
        for (std::size_t i = 0; i < rows.size(); ++i) {
            fit.probabilities(x, rows[i], p);
            for (std::size_t m = 0; m < models; ++m) out[i * models + m] = log_share(p[m]);
        }
        return out;
    };
    const std::vector<double> train_scores = log_shares(task.train), test_scores = log_shares(task.test);
    confidence_matrix out;
    out.rows = task.test.size();
    out.models = models;
    out.value.resize(out.rows * models);
    std::vector<double> score(task.train.size()), y(task.train.size());
    for (std::size_t m = 0; m < models; ++m) {
        for (std::size_t i = 0; i < task.train.size(); ++i) {
            score[i] = train_scores[i * models + m];
            y[i] = task.labels->at(task.train[i], m);
        }
        const platt_scaling calibrate = fit_platt(score, y);
        for (std::size_t r = 0; r < out.rows; ++r) out.value[r * models + m] = calibrate(test_scores[r * models + m]);
    }
    return out;
}

} // namespace headroom
