#include "core/routing/router.h"

#include "core/features/feature_cache.h"
#include "core/routing/baselines.h"
#include "core/routing/kmeans.h"
#include "core/routing/learned.h"

#include <algorithm>
#include <array>
#include <stdexcept>
#include <string>

namespace headroom {
namespace {

// Baselines first, then learned routers, then P2's controls: the order of every table
// and JSON list of routers.
constexpr std::array<router_entry, 11> routers{{
    {router_kind::random, "random", "A uniform, seeded pick of a model per query: the floor.", false,
     [](const routing_task& t, const router_options&, feature_cache&) { return route_random(t); }},
    {router_kind::best_single, "best-single", "The model with the best training accuracy, for every query.", false,
     [](const routing_task& t, const router_options&, feature_cache&) { return route_best_single(t); }},
    {router_kind::cheapest, "cheapest", "The cheapest model, for every query.", false,
     [](const routing_task& t, const router_options&, feature_cache&) { return route_cheapest(t); }},
    {router_kind::oracle, "oracle", "The best model per test query, read from the test labels: the ceiling.", false,
     [](const routing_task& t, const router_options&, feature_cache&) { return route_oracle(t); }},
    {router_kind::logistic, "logistic",
     "One L2 logistic regression per model on the query's features (P1's classifier).", true, route_logistic},
    {router_kind::softmax, "softmax",
     "One joint softmax over the models, trained on which models solve each query.", true, route_softmax},
    {router_kind::kmeans, "kmeans",
     "KMeans clusters of the training queries (k-means++, seeded restarts); each cluster's models are scored by "
     "their accuracy on it (P1's clustering router).",
     true, route_kmeans},
    {router_kind::knn, "knn", "The mean labels of the 20 most similar training queries (cosine).", true, route_knn},
    {router_kind::matrix_factorisation, "matrix-factorisation",
     "Model embeddings times projected query features (RouteLLM's matrix factorisation, EmbedLLM).", true,
     route_matrix_factorisation},
    {router_kind::random_features, "random-features",
     "P2's control: the logistic router on random features of the same width. Any skill it shows is not from the "
     "text.",
     true, route_random_features},
    {router_kind::shuffled_labels, "shuffled-labels",
     "P2's control: the logistic router on training labels shuffled across queries.", true, route_shuffled_labels},
}};

// Row i is router_kind i, so a kind finds its row without a search.
constexpr bool in_enum_order() {
    for (std::size_t i = 0; i < routers.size(); ++i)
        if (static_cast<std::size_t>(routers[i].kind) != i) return false;
    return true;
}
static_assert(in_enum_order(), "routers: a row out of router_kind's order");

constexpr std::array<router_kind, routers.size()> kinds = [] {
    std::array<router_kind, routers.size()> out{};
    for (std::size_t i = 0; i < routers.size(); ++i) out[i] = routers[i].kind;
    return out;
}();

} // namespace

std::span<const router_entry> router_table() { return routers; }

const router_entry& router_info(router_kind r) {
    const auto i = static_cast<std::size_t>(r);
    if (i >= routers.size()) throw std::logic_error("router kind " + std::to_string(i) + " has no row in the routers table");
    return routers[i];
}

std::string_view to_string(router_kind r) {
    const auto i = static_cast<std::size_t>(r);
    return i < routers.size() ? routers[i].name : "?";
}

router_kind parse_router_kind(std::string_view text) {
    for (const auto& entry : routers)
        if (entry.name == text) return entry.kind;
    std::string known;
    for (const auto& entry : routers) known += (known.empty() ? "" : ", ") + std::string(entry.name);
    throw std::invalid_argument("unknown router '" + std::string(text) + "' (known: " + known + ")");
}

std::span<const router_kind> all_router_kinds() { return kinds; }

std::size_t router_position(router_kind r) {
    return static_cast<std::size_t>(&router_info(r) - routers.data());
}

std::string routers_help() {
    std::size_t width = 0;
    for (const auto& entry : routers) width = std::max(width, entry.name.size());
    std::string out = "Routers:\n";
    for (const auto& entry : routers)
        out += "  " + std::string(entry.name) + std::string(width + 2 - entry.name.size(), ' ') + std::string(entry.help) +
               "\n";
    return out;
}

confidence_matrix run_router(router_kind r, const routing_task& task, const router_options& options,
                             feature_cache& features) {
    if (task.labels == nullptr) throw std::invalid_argument("routing task without labels");
    const router_entry& entry = router_info(r);
    if (entry.learns_from_text && (task.train.empty() || task.labels->models == 0)) return route_best_single(task);
    return entry.run(task, options, features);
}

} // namespace headroom
