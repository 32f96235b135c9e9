#include "core/routing/learned.h"

#include "core/routing/baselines.h"
#include "core/routing/kmeans.h"

#include <stdexcept>
#include <string>

namespace headroom {

confidence_matrix run_learned_router(router_kind r, const routing_task& task, const router_options& options,
                                     feature_cache& features) {
    if (task.train.empty() || task.labels->models == 0) return route_best_single(task);
    switch (r) {
    case router_kind::logistic: return route_logistic(task, options, features);
    case router_kind::softmax: return route_softmax(task, options, features);
    case router_kind::kmeans: return route_kmeans(task, options, features);
    case router_kind::knn: return route_knn(task, options, features);
    case router_kind::matrix_factorisation: return route_matrix_factorisation(task, options, features);
    case router_kind::random_features: return route_random_features(task, options, features);
    case router_kind::shuffled_labels: return route_shuffled_labels(task, options, features);
    default: break;
    }
    throw std::invalid_argument("router '" + std::string(to_string(r)) + "' learns nothing from text");
}

} // namespace headroom
