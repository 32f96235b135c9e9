// Scoring routing decisions against test labels: accuracy, cost, latency, shares and
// collapse, gaps to the oracle and the best single model, P1's classifier upper bound;
// RouteLLM's strong-weak sweep (APGR, calls for 50% and 80% of the gap); RouterBench's
// cost-quality view (Pareto points, the non-decreasing convex hull and its area, AIQ).
// Every function here reads only what it is given, so the same numbers come out of
// the CLI, the browser and the tests.
#pragma once
#include "core/routing/policy.h"

#include <cstdint>
#include <span>
#include <vector>

namespace headroom {

struct routing_metrics {
    std::size_t queries = 0;
    double accuracy = 0;            // mean label of the chosen model
    double accuracy_as_scored = 0;  // as P1's published code scores it (policy.h)
    double cost = 0;                // mean dollars per query of the chosen models
    double latency_ms = 0;          // mean latency of the chosen models
    std::vector<double> share;      // share of queries sent to each model
    double top_share = 0;           // collapse: the most-chosen model's share
    std::uint16_t top_model = 0;    // first model with that share
    double oracle = 0;              // mean over queries of the best label
    double best_single = 0;         // test accuracy of the training split's best single model
    double gap_to_oracle = 0;       // oracle - accuracy
    double gap_to_best_single = 0;  // best_single - accuracy (negative: routing wins)
};

// Scores decision row i against labels.at(rows[i], .). best_single[i] is the model the
// training split of row i names (the test labels must not choose it; under k-fold
// cross-validation each fold names its own). model_cost and model_latency_ms hold one
// number per model.
routing_metrics score_decision(const label_matrix& labels, std::span<const std::uint32_t> rows,
                               const routing_decision& decision, std::span<const std::uint16_t> best_single,
                               std::span<const double> model_cost, std::span<const double> model_latency_ms);

// P1's classifier upper bound: the share of rows that some model predicted capable
// (confidence >= 0.5) actually solves (label >= 0.5).
double classifier_upper_bound(const label_matrix& labels, std::span<const std::uint32_t> rows,
                              const confidence_matrix& confidence);

// RouteLLM's strong-weak sweep. A router ranks the queries by how much it prefers the
// strong model (score, higher = sooner to strong); sending the top k of n queries to
// the strong model for k = 0..n gives quality q(k) and the performance gap recovered
// PGR(k) = (q(k) - q(0)) / (q(n) - q(0)). APGR is the area under PGR over the call
// share k/n in [0, 1] (trapezoids over every k, so exact for the sweep); cpt50/cpt80
// the smallest call share whose PGR reaches 0.5/0.8. Ties in score go to the earlier
// row first. When the strong model is no better than the weak one on these rows the
// gap is undefined and apgr, cpt50 and cpt80 are NaN.
struct strong_weak_sweep {
    std::uint16_t weak = 0, strong = 0;
    double weak_accuracy = 0, strong_accuracy = 0;
    double apgr = 0, cpt50 = 0, cpt80 = 0;
    std::vector<double> call_share, pgr;  // the curve, thinned to at most 101 points
};
strong_weak_sweep sweep_strong_weak(const label_matrix& labels, std::span<const std::uint32_t> rows,
                                    std::span<const double> score, std::uint16_t weak, std::uint16_t strong);

struct cost_quality_point {
    double cost = 0, quality = 0;
    bool operator==(const cost_quality_point&) const = default;
};
// Points no other point dominates (as cheap or cheaper and as good or better, one of
// them strictly), by ascending cost; exact duplicates kept once.
std::vector<cost_quality_point> pareto_points(std::span<const cost_quality_point> points);
// RouterBench's non-decreasing convex hull: the upper convex hull of the Pareto points
// from the cheapest to the best one, by ascending cost. Mixing two routers' choices at
// random reaches any point on a segment, so the hull is what a router family achieves.
std::vector<cost_quality_point> upper_hull(std::span<const cost_quality_point> points);
// AIQ: the area under the hull over [cost_min, cost_max], divided by that width. Below
// the cheapest hull point no quality is reached (0); beyond the dearest the best quality
// holds. cost_max <= cost_min gives the quality of the best point within reach.
double aiq(std::span<const cost_quality_point> points, double cost_min, double cost_max);

} // namespace headroom
