#include "core/routing/metrics.h"

#include "core/chart/hull.h"
#include "core/routing/choice.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <stdexcept>

namespace headroom {

routing_metrics score_decision(const label_matrix& labels, std::span<const std::uint32_t> rows,
                               const routing_decision& decision, std::span<const std::uint16_t> best_single,
                               std::span<const double> model_cost, std::span<const double> model_latency_ms) {
    const std::size_t n = rows.size(), models = labels.models;
    if (decision.chosen.size() != n || decision.scored.size() != n || decision.scored_as_wrong.size() != n)
        throw std::invalid_argument("score_decision: " + std::to_string(n) + " rows but decisions for " +
                                    std::to_string(decision.chosen.size()));
    if (best_single.size() != n)
        throw std::invalid_argument("score_decision: one best single model per row is needed");
    if (model_cost.size() != models || model_latency_ms.size() != models)
        throw std::invalid_argument("score_decision: cost and latency need one number per model");
    routing_metrics out;
    out.queries = n;
    out.share.assign(models, 0.0);
    if (n == 0 || models == 0) return out;
    const routing_evaluation chosen = evaluate_routing(labels, rows, decision.chosen);
    double as_scored = 0, cost = 0, latency = 0, oracle = 0, single = 0;
    for (std::size_t i = 0; i < n; ++i) {
        const std::uint32_t q = rows[i];
        const std::uint16_t m = decision.chosen[i];
        if (!decision.scored_as_wrong[i]) as_scored += labels.at(q, decision.scored[i]);
        cost += model_cost[m];
        latency += model_latency_ms[m];
        double best = 0;
        for (std::size_t k = 0; k < models; ++k) best = std::max(best, labels.at(q, k));
        oracle += best;
        single += labels.at(q, best_single[i]);
    }
    const double dn = static_cast<double>(n);
    out.accuracy = chosen.accuracy;
    out.accuracy_as_scored = as_scored / dn;
    out.cost = cost / dn;
    out.latency_ms = latency / dn;
    out.share = chosen.share;
    out.top_model = first_max(out.share);
    out.top_share = chosen.top_share;
    out.oracle = oracle / dn;
    out.best_single = single / dn;
    out.gap_to_oracle = out.oracle - out.accuracy;
    out.gap_to_best_single = out.best_single - out.accuracy;
    return out;
}

double classifier_upper_bound(const label_matrix& labels, std::span<const std::uint32_t> rows,
                              const confidence_matrix& confidence) {
    if (confidence.rows != rows.size() || confidence.models != labels.models)
        throw std::invalid_argument("classifier_upper_bound: confidences do not match the rows and models");
    if (rows.empty()) return 0;
    double solved = 0;
    for (std::size_t i = 0; i < rows.size(); ++i) {
        for (std::size_t m = 0; m < labels.models; ++m) {
            if (confidence.at(i, m) >= predicted_capable && labels.at(rows[i], m) >= 0.5) {
                solved += 1;
                break;
            }
        }
    }
    return solved / static_cast<double>(rows.size());
}

strong_weak_sweep sweep_strong_weak(const label_matrix& labels, std::span<const std::uint32_t> rows,
                                    std::span<const double> score, std::uint16_t weak, std::uint16_t strong) {
    if (score.size() != rows.size()) throw std::invalid_argument("sweep_strong_weak: one score per row is needed");
    if (weak >= labels.models || strong >= labels.models)
        throw std::invalid_argument("sweep_strong_weak: weak or strong model out of range");
    strong_weak_sweep out;
    out.weak = weak;
    out.strong = strong;
    const std::size_t n = rows.size();
    const double nan = std::numeric_limits<double>::quiet_NaN();
    if (n == 0) {
        out.apgr = out.cpt50 = out.cpt80 = nan;
        return out;
    }
    std::vector<std::size_t> order(n);
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return score[a] > score[b]; });
    // quality(k) * n, as a running sum: all weak, then one query at a time to strong.
    double weak_total = 0, strong_total = 0;
    for (auto q : rows) {
        weak_total += labels.at(q, weak);
        strong_total += labels.at(q, strong);
    }
    const double dn = static_cast<double>(n);
    out.weak_accuracy = weak_total / dn;
    out.strong_accuracy = strong_total / dn;
    const double gap = strong_total - weak_total;
    const bool defined = gap > 0;
    out.apgr = out.cpt50 = out.cpt80 = nan;
    double total = weak_total, area = 0, previous_pgr = 0;
    bool reached50 = false, reached80 = false;
    const std::size_t stride = std::max<std::size_t>(1, n / 100);
    for (std::size_t k = 0; k <= n; ++k) {
        if (k > 0) total += labels.at(rows[order[k - 1]], strong) - labels.at(rows[order[k - 1]], weak);
        const double pgr = defined ? (total - weak_total) / gap : nan;
        if (k > 0) area += (previous_pgr + pgr) / 2.0;
        previous_pgr = pgr;
        if (defined && !reached50 && pgr >= 0.5) {
            out.cpt50 = static_cast<double>(k) / dn;
            reached50 = true;
        }
        if (defined && !reached80 && pgr >= 0.8) {
            out.cpt80 = static_cast<double>(k) / dn;
            reached80 = true;
        }
        if (k % stride == 0 || k == n) {
            out.call_share.push_back(static_cast<double>(k) / dn);
            out.pgr.push_back(pgr);
        }
    }
    if (defined) out.apgr = area / dn;
    return out;
}

namespace {
// The points as the chart's geometry reads them, and the ones it picks back.
std::vector<chart::point> as_chart_points(std::span<const cost_quality_point> points) {
    std::vector<chart::point> out;
    out.reserve(points.size());
    for (const auto& p : points) out.push_back({p.cost, p.quality});
    return out;
}
std::vector<cost_quality_point> picked(std::span<const cost_quality_point> points, const std::vector<std::size_t>& at) {
    std::vector<cost_quality_point> out;
    out.reserve(at.size());
    for (std::size_t i : at) out.push_back(points[i]);
    return out;
}
} // namespace

std::vector<cost_quality_point> pareto_points(std::span<const cost_quality_point> points) {
    return picked(points, chart::pareto_front(as_chart_points(points)));
}

std::vector<cost_quality_point> upper_hull(std::span<const cost_quality_point> points) {
    return picked(points, chart::upper_hull(as_chart_points(points)));
}

namespace {
// The hull's quality at cost x (0 before its cheapest point, flat after its dearest).
double hull_at(const std::vector<cost_quality_point>& hull, double x) {
    if (hull.empty() || x < hull.front().cost) return 0;
    for (std::size_t i = 1; i < hull.size(); ++i) {
        if (x <= hull[i].cost) {
            const auto& a = hull[i - 1];
            const auto& b = hull[i];
            return a.quality + (b.quality - a.quality) * (x - a.cost) / (b.cost - a.cost);
        }
    }
    return hull.back().quality;
}
} // namespace

double aiq(std::span<const cost_quality_point> points, double cost_min, double cost_max) {
    const auto hull = upper_hull(points);
    if (cost_max <= cost_min) return hull_at(hull, cost_min);
    // Integrate the piecewise-linear hull between its vertices inside the range.
    std::vector<double> xs{cost_min, cost_max};
    for (const auto& p : hull)
        if (p.cost > cost_min && p.cost < cost_max) xs.push_back(p.cost);
    std::sort(xs.begin(), xs.end());
    double area = 0;
    for (std::size_t i = 1; i < xs.size(); ++i) {
        const double a = xs[i - 1], b = xs[i];
        // Nothing is reached before the cheapest point: a step, not a ramp, up to it.
        if (hull.empty() || b <= hull.front().cost) continue;
        area += (hull_at(hull, a) + hull_at(hull, b)) / 2.0 * (b - a);
    }
    return area / (cost_max - cost_min);
}

} // namespace headroom
