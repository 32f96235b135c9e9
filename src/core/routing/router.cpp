#include "core/routing/router.h"

#include "core/features/feature_cache.h"
#include "core/routing/baselines.h"
#include "core/routing/learned.h"

#include <array>
#include <stdexcept>
#include <string>

namespace headroom {
namespace {

struct router_name {
    router_kind kind;
    std::string_view name;
};
// The order of all_router_kinds(): baselines first, then learned routers, then controls.
constexpr std::array<router_name, 11> router_names{{
    {router_kind::random, "random"},
    {router_kind::best_single, "best-single"},
    {router_kind::cheapest, "cheapest"},
    {router_kind::oracle, "oracle"},
    {router_kind::logistic, "logistic"},
    {router_kind::softmax, "softmax"},
    {router_kind::kmeans, "kmeans"},
    {router_kind::knn, "knn"},
    {router_kind::matrix_factorisation, "matrix-factorisation"},
    {router_kind::random_features, "random-features"},
    {router_kind::shuffled_labels, "shuffled-labels"},
}};
constexpr std::array<router_kind, 11> router_order{
    router_kind::random,   router_kind::best_single, router_kind::cheapest, router_kind::oracle,
    router_kind::logistic, router_kind::softmax,     router_kind::kmeans,   router_kind::knn,
    router_kind::matrix_factorisation, router_kind::random_features, router_kind::shuffled_labels};

} // namespace

std::string_view to_string(router_kind r) {
    for (const auto& n : router_names)
        if (n.kind == r) return n.name;
    return "?";
}

router_kind parse_router_kind(std::string_view text) {
    for (const auto& n : router_names)
        if (n.name == text) return n.kind;
    std::string known;
    for (const auto& n : router_names) known += (known.empty() ? "" : ", ") + std::string(n.name);
    throw std::invalid_argument("unknown router '" + std::string(text) + "' (known: " + known + ")");
}

std::span<const router_kind> all_router_kinds() { return router_order; }

std::size_t router_position(router_kind r) {
    for (std::size_t i = 0; i < router_order.size(); ++i)
        if (router_order[i] == r) return i;
    throw std::logic_error("router kind " + std::to_string(static_cast<int>(r)) + " is not in all_router_kinds()");
}

confidence_matrix run_router(router_kind r, const routing_task& task, const router_options& options,
                             feature_cache& features) {
    if (task.labels == nullptr) throw std::invalid_argument("routing task without labels");
    switch (r) {
    case router_kind::random: return route_random(task);
    case router_kind::best_single: return route_best_single(task);
    case router_kind::cheapest: return route_cheapest(task);
    case router_kind::oracle: return route_oracle(task);
    default: break;
    }
    return run_learned_router(r, task, options, features);
}

} // namespace headroom
