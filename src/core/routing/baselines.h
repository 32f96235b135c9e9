// The routers that learn nothing from query text: they bound what a learned router
// must beat (random, best single, cheapest) and what none can exceed (oracle).
#pragma once
#include "core/routing/router.h"

namespace headroom {

// One-hot on a seeded uniform pick per test row: the router is "certain" of a random
// model, so every policy routes the query to it.
confidence_matrix route_random(const routing_task& task);
// Every row gets each model's training accuracy: calibrated for a router that ignores
// the query, and its argmax (first on ties) is the majority model.
confidence_matrix route_best_single(const routing_task& task);
// One-hot on the cheapest model (first on ties).
confidence_matrix route_cheapest(const routing_task& task);
// The test labels themselves.
confidence_matrix route_oracle(const routing_task& task);

// Per-model mean label over the training rows (zeros when there are none).
std::vector<double> training_accuracy(const routing_task& task);
// Per-model cost: task.model_cost, or when empty the models' list price (input plus
// output dollars per million tokens), which orders them the same way for equal lengths.
std::vector<double> model_costs(const routing_task& task);

} // namespace headroom
