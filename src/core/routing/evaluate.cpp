#include "core/routing/evaluate.h"

#include "core/base/rng.h"
#include "core/labels/cost.h"
#include "core/labels/summary.h"

#include <algorithm>
#include <numeric>
#include <stdexcept>

namespace headroom {

std::vector<query_split> fold_splits(const study& s, int folds, std::uint64_t seed) {
    if (folds < 2) throw std::invalid_argument("k-fold cross-validation needs at least 2 folds, not " + std::to_string(folds));
    const auto k = static_cast<std::size_t>(folds);
    std::vector<std::vector<std::uint32_t>> fold(k);
    for (std::uint32_t b = 0; b < s.benchmarks.size(); ++b) {
        std::vector<std::uint32_t> rows;
        for (std::uint32_t q = 0; q < s.queries.size(); ++q)
            if (s.queries[q].benchmark == b) rows.push_back(q);
        rng r(derive_seed(seed, "folds", b));
        r.shuffle(std::span<std::uint32_t>(rows));
        for (std::size_t i = 0; i < rows.size(); ++i) fold[i % k].push_back(rows[i]);
    }
    std::vector<query_split> out(k);
    for (std::size_t f = 0; f < k; ++f) {
        out[f].test = fold[f];
        for (std::size_t g = 0; g < k; ++g)
            if (g != f) out[f].train.insert(out[f].train.end(), fold[g].begin(), fold[g].end());
        std::sort(out[f].train.begin(), out[f].train.end());
        std::sort(out[f].test.begin(), out[f].test.end());
    }
    return out;
}

std::string split_words(const study& s, const evaluation_options& options) {
    if (options.folds >= 2)
        return std::to_string(options.folds) + "-fold cross-validation (seed " + std::to_string(options.seed) + ")";
    return describe_split(s, options.test_fraction, options.seed);
}

std::vector<query_split> evaluation_splits(const study& s, const evaluation_options& options) {
    if (options.folds >= 2) return fold_splits(s, options.folds, options.seed);
    return {split_queries(s, options.test_fraction, options.seed)};
}

evaluation_data prepare_evaluation(const study& s, const label_matrix& train_labels, const label_matrix& test_labels,
                                   const std::vector<double>& model_cost, const std::vector<double>& model_latency_ms,
                                   const evaluation_options& options) {
    const std::size_t models = s.models.size();
    for (const label_matrix* l : {&train_labels, &test_labels})
        if (l->queries != s.queries.size() || l->models != models)
            throw std::invalid_argument("evaluation: labels of " + std::to_string(l->queries) + " queries x " +
                                        std::to_string(l->models) + " models do not fit the study (" +
                                        std::to_string(s.queries.size()) + " x " + std::to_string(models) + ")");
    if (model_cost.size() != models || model_latency_ms.size() != models)
        throw std::invalid_argument("evaluation: cost and latency need one number per model");
    evaluation_data d;
    d.s = &s;
    d.train_labels = &train_labels;
    d.test_labels = &test_labels;
    d.splits = evaluation_splits(s, options);
    d.model_cost = model_cost;
    d.model_latency_ms = model_latency_ms;
    if (models > 0) {
        // The pair is part of the evaluation, not of the router: it comes from the
        // evaluation protocol's labels, at training rows only.
        d.strong = static_cast<std::uint16_t>(summarize(test_labels, d.splits.front().train).best_model);
        d.weak = d.strong;
        for (std::uint16_t m = 0; m < models; ++m)
            if (m != d.strong && (d.weak == d.strong || model_cost[m] < model_cost[d.weak])) d.weak = m;
    }
    return d;
}

namespace {

// Decisions of one policy over all splits' test rows, in pooled row order.
struct pooled_decision {
    routing_decision d;
    void append(const routing_decision& more) {
        d.chosen.insert(d.chosen.end(), more.chosen.begin(), more.chosen.end());
        d.scored.insert(d.scored.end(), more.scored.begin(), more.scored.end());
        d.scored_as_wrong.insert(d.scored_as_wrong.end(), more.scored_as_wrong.begin(), more.scored_as_wrong.end());
    }
};

// Training rows from the training protocol, every other row from the test protocol, so
// a router reads training labels and the oracle the labels it is scored on.
label_matrix merged_labels(const label_matrix& train, const label_matrix& test, std::span<const std::uint32_t> rows) {
    label_matrix out = test;
    if (&train == &test) return out;
    for (auto q : rows)
        for (std::size_t m = 0; m < out.models; ++m) out.value[q * out.models + m] = train.at(q, m);
    return out;
}

// P1's Sorted Pred re-indexes by how often each model is right on the test rows.
std::vector<std::uint16_t> ascending_label_counts(const label_matrix& labels, std::span<const std::uint32_t> rows) {
    std::vector<double> count(labels.models, 0.0);
    for (auto q : rows)
        for (std::size_t m = 0; m < labels.models; ++m) count[m] += labels.at(q, m) >= 0.5;
    std::vector<std::uint16_t> order(labels.models);
    std::iota(order.begin(), order.end(), std::uint16_t{0});
    std::stable_sort(order.begin(), order.end(), [&](std::uint16_t a, std::uint16_t b) { return count[a] < count[b]; });
    return order;
}

routing_metrics score_subset(const evaluation_data& data, const std::vector<std::uint32_t>& rows,
                             const routing_decision& d, const std::vector<std::uint16_t>& best_single,
                             const std::vector<std::size_t>& keep) {
    std::vector<std::uint32_t> sub_rows;
    std::vector<std::uint16_t> sub_best;
    routing_decision sub;
    for (auto i : keep) {
        sub_rows.push_back(rows[i]);
        sub_best.push_back(best_single[i]);
        sub.chosen.push_back(d.chosen[i]);
        sub.scored.push_back(d.scored[i]);
        sub.scored_as_wrong.push_back(d.scored_as_wrong[i]);
    }
    return score_decision(*data.test_labels, sub_rows, sub, sub_best, data.model_cost, data.model_latency_ms);
}

} // namespace

std::vector<confidence_matrix> train_router(router_kind r, const evaluation_data& data, const evaluation_options& options,
                                            feature_cache& features) {
    const std::size_t models = data.test_labels->models;
    std::vector<confidence_matrix> out(data.splits.size());
    for (std::size_t f = 0; f < data.splits.size(); ++f) {
        const query_split& split = data.splits[f];
        if (split.test.empty()) continue;
        const label_matrix labels = merged_labels(*data.train_labels, *data.test_labels, split.train);
        routing_task task;
        task.s = data.s;
        task.labels = &labels;
        task.train = split.train;
        task.test = split.test;
        task.model_cost = data.model_cost;
        task.seed = derive_seed(options.seed, "router", f);
        out[f] = run_router(r, task, options.router, features);
        if (out[f].rows != split.test.size() || out[f].models != models)
            throw std::logic_error("router " + std::string(to_string(r)) + " returned a " + std::to_string(out[f].rows) +
                                   " x " + std::to_string(out[f].models) + " confidence matrix for " +
                                   std::to_string(split.test.size()) + " test rows");
    }
    return out;
}

router_evaluation score_router(router_kind r, const evaluation_data& data, const evaluation_options& options,
                               std::span<const confidence_matrix> confidences, bool with_sweeps) {
    if (confidences.size() != data.splits.size())
        throw std::invalid_argument("evaluation: " + std::to_string(confidences.size()) + " confidence matrices for " +
                                    std::to_string(data.splits.size()) + " splits");
    const study& s = *data.s;
    const std::size_t models = data.test_labels->models;
    std::vector<policy> sweep_policies;
    if (with_sweeps) {
        for (double lambda : options.lambdas) sweep_policies.push_back({policy_kind::cost_aware, policy_variant::described, lambda});
        for (double tau : options.taus) sweep_policies.push_back({policy_kind::cheapest_capable, policy_variant::described, tau});
    }
    std::vector<pooled_decision> pooled(options.policies.size()), swept(sweep_policies.size());
    std::vector<std::uint32_t> rows;
    std::vector<std::uint16_t> best_single;
    std::vector<double> strong_score;
    double capable_solved = 0;

    for (std::size_t f = 0; f < data.splits.size(); ++f) {
        const query_split& split = data.splits[f];
        if (split.test.empty()) continue;
        const confidence_matrix& c = confidences[f];
        if (c.rows != split.test.size() || c.models != models || c.value.size() != c.rows * c.models)
            throw std::invalid_argument("evaluation: a " + std::to_string(c.rows) + " x " + std::to_string(c.models) +
                                        " confidence matrix for split " + std::to_string(f) + " of " +
                                        std::to_string(split.test.size()) + " test rows x " + std::to_string(models) +
                                        " models");

        const headroom_summary trained = summarize(*data.train_labels, split.train);
        policy_context ctx;
        ctx.prior = trained.model_accuracy;
        ctx.cost = data.model_cost;
        ctx.best_single = static_cast<std::uint16_t>(trained.best_model);
        ctx.p1_code_label_order = ascending_label_counts(*data.test_labels, split.test);
        ctx.seed = derive_seed(options.seed, "policy", f);
        for (std::size_t p = 0; p < options.policies.size(); ++p) pooled[p].append(apply_policy(options.policies[p], c, ctx));
        for (std::size_t p = 0; p < sweep_policies.size(); ++p) swept[p].append(apply_policy(sweep_policies[p], c, ctx));

        rows.insert(rows.end(), split.test.begin(), split.test.end());
        best_single.insert(best_single.end(), split.test.size(), ctx.best_single);
        for (std::size_t i = 0; i < c.rows; ++i) strong_score.push_back(c.at(i, data.strong) - c.at(i, data.weak));
        capable_solved += classifier_upper_bound(*data.test_labels, split.test, c) * static_cast<double>(c.rows);
    }

    router_evaluation out;
    out.router = r;
    out.test_queries = rows.size();
    out.classifier_upper_bound = rows.empty() ? 0.0 : capable_solved / static_cast<double>(rows.size());
    std::vector<std::size_t> everything(rows.size());
    std::iota(everything.begin(), everything.end(), std::size_t{0});
    std::vector<std::vector<std::size_t>> by_benchmark(s.benchmarks.size());
    for (std::size_t i = 0; i < rows.size(); ++i) by_benchmark[s.queries[rows[i]].benchmark].push_back(i);
    for (std::size_t p = 0; p < options.policies.size(); ++p) {
        policy_result pr;
        pr.policy = options.policies[p];
        pr.overall = score_subset(data, rows, pooled[p].d, best_single, everything);
        for (const auto& keep : by_benchmark) pr.per_benchmark.push_back(score_subset(data, rows, pooled[p].d, best_single, keep));
        out.policies.push_back(std::move(pr));
    }
    if (!with_sweeps || models == 0) return out;

    out.strong_weak = sweep_strong_weak(*data.test_labels, rows, strong_score, data.weak, data.strong);
    std::vector<cost_quality_point> points;
    for (std::size_t p = 0; p < sweep_policies.size(); ++p) {
        const auto m = score_subset(data, rows, swept[p].d, best_single, everything);
        out.sweep.push_back({sweep_policies[p], m.cost, m.accuracy, m.top_share});
        points.push_back({m.cost, m.accuracy});
    }
    out.hull = upper_hull(points);
    const auto [lo, hi] = std::minmax_element(data.model_cost.begin(), data.model_cost.end());
    out.aiq = aiq(points, *lo, *hi);
    return out;
}

router_evaluation evaluate_router(router_kind r, const evaluation_data& data, const evaluation_options& options,
                                  feature_cache& features, bool with_sweeps) {
    return score_router(r, data, options, train_router(r, data, options, features), with_sweeps);
}

routers_table evaluate_routers(const study& s, const study_index& index, const protocol& naive,
                               const protocol& corrected, const evaluation_options& options, feature_cache& features,
                               const job_runner& run) {
    routers_table t;
    t.study = s.info.name;
    t.split = split_words(s, options);
    for (const auto& m : s.models) t.models.push_back(m.id);
    for (const auto& b : s.benchmarks) t.benchmarks.push_back(b.id);
    t.naive = naive;
    t.corrected = corrected;
    t.options = options;
    const label_matrix naive_labels = compute_labels(s, index, naive);
    const label_matrix corrected_labels = compute_labels(s, index, corrected);
    const auto cost = cost_per_query(s, corrected.budget);
    const auto latency = latency_per_query(s, corrected.budget);
    const evaluation_data on_corrected = prepare_evaluation(s, corrected_labels, corrected_labels, cost, latency, options);
    const evaluation_data on_naive = prepare_evaluation(s, naive_labels, corrected_labels, cost, latency, options);
    t.strong = on_corrected.strong;
    t.weak = on_corrected.weak;
    const auto routers = all_router_kinds();
    t.corrected_trained.resize(routers.size());
    t.naive_trained.resize(routers.size());
    const std::vector<routers_job> jobs = routers_jobs();
    run(jobs.size(), [&](std::size_t job) {
        const router_kind r = jobs[job].router;
        const std::size_t at = router_position(r);
        if (jobs[job].on_corrected) t.corrected_trained[at] = evaluate_router(r, on_corrected, options, features, true);
        else t.naive_trained[at] = evaluate_router(r, on_naive, options, features, false);
    });
    return t;
}

std::vector<routers_job> routers_jobs() {
    // Longest first, as measured on p2-artifacts, so that the last jobs to finish are
    // short ones: on two cores the table once waited a quarter of a second on one long
    // job while the other core stood idle. The learned routers on corrected labels lead,
    // those that build label-free features first (LSA, the clusterings, the neighbour
    // lists), so that their naive runs, handed out after every corrected learned run
    // has started, find them built instead of waiting. Naive runs of the fitted routers
    // then take their full time again; kmeans and knn only score their clusters and
    // neighbours. The baselines, a few milliseconds each, fill the gaps at the end.
    using enum router_kind;
    std::vector<routers_job> jobs;
    for (router_kind r : {matrix_factorisation, kmeans, softmax, knn, random_features, shuffled_labels, logistic})
        jobs.push_back({r, true});
    for (router_kind r : {softmax, matrix_factorisation, shuffled_labels, logistic, random_features, kmeans, knn})
        jobs.push_back({r, false});
    for (bool corrected : {true, false})
        for (router_kind r : {random, best_single, cheapest, oracle}) jobs.push_back({r, corrected});
    return jobs;
}

void run_in_turn(std::size_t count, const std::function<void(std::size_t)>& job) {
    for (std::size_t i = 0; i < count; ++i) job(i);
}

namespace {

// What both halves of a route evaluation read: the two protocols' labels and what
// prepare_evaluation makes of them (it points into the labels, so they live here too).
struct route_labels {
    label_matrix test, train;
    evaluation_data data;
    route_labels(const study& s, const study_index& index, const protocol& train_protocol, const protocol& test_protocol,
                 const evaluation_options& options)
        : test(compute_labels(s, index, test_protocol)),
          train(train_protocol == test_protocol ? test : compute_labels(s, index, train_protocol)),
          data(prepare_evaluation(s, train, test, cost_per_query(s, test_protocol.budget),
                                  latency_per_query(s, test_protocol.budget), options)) {}
    route_labels(const study& s, const protocol& test_protocol, const evaluation_options& options,
                 label_matrix train_labels, label_matrix test_labels)
        : test(std::move(test_labels)), train(std::move(train_labels)),
          data(prepare_evaluation(s, train, test, cost_per_query(s, test_protocol.budget),
                                  latency_per_query(s, test_protocol.budget), options)) {}
    route_labels(const route_labels&) = delete;
};

route_report scored_route(const study& s, router_kind r, const protocol& train, const protocol& test,
                          const evaluation_options& options, const route_labels& labels,
                          std::span<const confidence_matrix> confidences) {
    route_report out;
    out.study = s.info.name;
    out.split = split_words(s, options);
    for (const auto& m : s.models) out.models.push_back(m.id);
    for (const auto& b : s.benchmarks) out.benchmarks.push_back(b.id);
    out.train = train;
    out.test = test;
    out.options = options;
    out.strong = labels.data.strong;
    out.weak = labels.data.weak;
    out.evaluation = score_router(r, labels.data, options, confidences, true);
    return out;
}

} // namespace

std::vector<confidence_matrix> train_route(const study& s, const study_index& index, router_kind r, const protocol& train,
                                           const protocol& test, const evaluation_options& options,
                                           feature_cache& features) {
    const route_labels labels(s, index, train, test, options);
    return train_router(r, labels.data, options, features);
}

route_report score_route(const study& s, const study_index& index, router_kind r, const protocol& train,
                         const protocol& test, const evaluation_options& options,
                         std::span<const confidence_matrix> confidences) {
    const route_labels labels(s, index, train, test, options);
    return scored_route(s, r, train, test, options, labels, confidences);
}

route_report score_route(const study& s, router_kind r, const protocol& train, const protocol& test,
                         const evaluation_options& options, const label_matrix& train_labels,
                         const label_matrix& test_labels, std::span<const confidence_matrix> confidences) {
    const route_labels labels(s, test, options, train_labels, test_labels);
    return scored_route(s, r, train, test, options, labels, confidences);
}

route_report evaluate_route(const study& s, const study_index& index, router_kind r, const protocol& train,
                            const protocol& test, const evaluation_options& options, feature_cache& features) {
    const route_labels labels(s, index, train, test, options);
    return scored_route(s, r, train, test, options, labels, train_router(r, labels.data, options, features));
}

} // namespace headroom
