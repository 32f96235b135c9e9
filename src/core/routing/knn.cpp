#include "core/features/feature_cache.h"
#include "core/routing/baselines.h"
#include "core/routing/learned.h"
#include "core/routing/neighbours.h"

#include <algorithm>
#include <stdexcept>

namespace headroom {
namespace {

constexpr std::uint64_t derived_tag = 0x6b6e6e;  // "knn"

} // namespace

confidence_matrix route_knn(const routing_task& task, const router_options& options, feature_cache& features) {
    const std::size_t models = task.labels->models;
    const csr_matrix& x = features.features(options.features, task.train, options, task.seed);
    const std::vector<double> overall = training_accuracy(task);
    const auto k = static_cast<std::size_t>(std::max(options.neighbours, 1));
    // The neighbours do not depend on the labels: one search serves every protocol's.
    std::vector<std::uint64_t> key{derived_tag, k, task.train.size()};
    key.insert(key.end(), task.train.begin(), task.train.end());
    key.insert(key.end(), task.test.begin(), task.test.end());
    const neighbour_lists& near = features.derived<neighbour_lists>(x, std::move(key), [&] {
        // Test queries with the same features have the same neighbours: each distinct
        // one is searched once (p2-artifacts repeats the texts of its open-ended queries).
        const row_groups distinct = group_identical_rows(x, task.test);
        const neighbour_lists found = [&] {
            switch (options.features) {  // no default: a new kind must choose its search
            case feature_kind::tfidf:
            case feature_kind::hashing: return nearest_by_terms(x, task.train, distinct.first, k);
            case feature_kind::lsa:
            case feature_kind::embeddings: return nearest_by_vectors(x, task.train, distinct.first, k);
            }
            throw std::logic_error("knn: unknown feature kind");
        }();
        neighbour_lists each;
        for (std::uint32_t g : distinct.group_of) {
            each.row.insert(each.row.end(), found.row.begin() + static_cast<std::ptrdiff_t>(found.start[g]),
                            found.row.begin() + static_cast<std::ptrdiff_t>(found.start[g + 1]));
            each.start.push_back(each.row.size());
        }
        return each;
    });

    confidence_matrix out;
    out.rows = task.test.size();
    out.models = models;
    out.value.resize(out.rows * models);
    for (std::size_t r = 0; r < out.rows; ++r) {
        // Only neighbours with a positive similarity vote; missing votes go to the
        // overall training accuracy, so a query with nothing in common with the
        // training set is routed like best-single.
        const std::size_t found = near.start[r + 1] - near.start[r];
        for (std::size_t m = 0; m < models; ++m) {
            double sum = static_cast<double>(k - found) * overall[m];
            for (std::size_t j = near.start[r]; j < near.start[r + 1]; ++j) sum += task.labels->at(task.train[near.row[j]], m);
            out.value[r * models + m] = sum / static_cast<double>(k);
        }
    }
    return out;
}

} // namespace headroom
