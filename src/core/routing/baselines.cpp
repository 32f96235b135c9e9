#include "core/routing/baselines.h"

#include "core/base/rng.h"

#include <algorithm>
#include <optional>
#include <stdexcept>

namespace headroom {
namespace {

confidence_matrix empty_confidences(const routing_task& task) {
    confidence_matrix c;
    c.rows = task.test.size();
    c.models = task.labels->models;
    c.value.assign(c.rows * c.models, 0.0);
    return c;
}

confidence_matrix one_hot(const routing_task& task, std::size_t model) {
    confidence_matrix c = empty_confidences(task);
    if (c.models == 0) return c;
    for (std::size_t r = 0; r < c.rows; ++r) c.value[r * c.models + model] = 1.0;
    return c;
}

} // namespace

std::vector<double> training_accuracy(const routing_task& task) {
    const label_matrix& labels = *task.labels;
    std::vector<double> accuracy(labels.models, 0.0);
    if (task.train.empty()) return accuracy;
    for (std::uint32_t q : task.train)
        for (std::size_t m = 0; m < labels.models; ++m) accuracy[m] += labels.at(q, m);
    for (auto& a : accuracy) a /= static_cast<double>(task.train.size());
    return accuracy;
}

std::vector<double> model_costs(const routing_task& task) {
    const std::size_t models = task.labels->models;
    if (!task.model_cost.empty()) {
        if (task.model_cost.size() != models)
            throw std::invalid_argument("routing task: " + std::to_string(task.model_cost.size()) +
                                        " model costs for " + std::to_string(models) + " models");
        return task.model_cost;
    }
    std::vector<double> cost(models, 0.0);
    if (task.s != nullptr && task.s->models.size() == models)
        for (std::size_t m = 0; m < models; ++m)
            cost[m] = task.s->models[m].price_input_per_mtok + task.s->models[m].price_output_per_mtok;
    return cost;
}

confidence_matrix route_random(const routing_task& task) {
    confidence_matrix c = empty_confidences(task);
    if (c.models == 0) return c;
    // The stream name predates this file: `headroom report` shows the same picks as before.
    rng pick(derive_seed(task.seed, "router:random"));
    for (std::size_t r = 0; r < c.rows; ++r) c.value[r * c.models + pick.below(c.models)] = 1.0;
    return c;
}

confidence_matrix route_best_single(const routing_task& task) {
    confidence_matrix c = empty_confidences(task);
    const auto accuracy = training_accuracy(task);
    for (std::size_t r = 0; r < c.rows; ++r)
        for (std::size_t m = 0; m < c.models; ++m) c.value[r * c.models + m] = accuracy[m];
    return c;
}

confidence_matrix route_cheapest(const routing_task& task) {
    const auto cost = model_costs(task);
    std::size_t cheapest = 0;
    for (std::size_t m = 1; m < cost.size(); ++m)
        if (cost[m] < cost[cheapest]) cheapest = m;
    return one_hot(task, cheapest);
}

// The ceiling: each test query goes to its cheapest best-labelled model (its cheapest solver), so of several solvers the
// oracle pays the least, whatever order the models are listed in (ties in cost only
// fall to the lower index).
confidence_matrix route_oracle(const routing_task& task) {
    confidence_matrix c = empty_confidences(task);
    const auto cost = model_costs(task);
    for (std::size_t r = 0; r < c.rows; ++r) {
        // The best label of the row (1 for a solver; a fraction under a mean aggregate).
        double best = 0;
        for (std::size_t m = 0; m < c.models; ++m) best = std::max(best, task.labels->at(task.test[r], m));
        if (best <= 0) continue;
        std::optional<std::size_t> cheapest;
        for (std::size_t m = 0; m < c.models; ++m)
            if (task.labels->at(task.test[r], m) == best && (!cheapest || cost[m] < cost[*cheapest])) cheapest = m;
        c.value[r * c.models + *cheapest] = best;
    }
    return c;
}

} // namespace headroom
