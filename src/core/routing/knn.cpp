#include "../features/feature_cache.h"
#include "baselines.h"
#include "learned.h"

#include <algorithm>

namespace headroom {
namespace {

// The training rows by column (an inverted index), so a test query's similarities
// touch only the training queries that share a term with it.
struct postings {
    std::vector<std::size_t> start;      // cols + 1
    std::vector<std::uint32_t> row;      // index into the training rows
    std::vector<double> value;
};

postings invert(const csr_matrix& x, std::span<const std::uint32_t> rows) {
    postings p;
    p.start.assign(x.cols + 1, 0);
    for (std::uint32_t r : rows)
        for (std::uint32_t c : x.row_cols(r)) ++p.start[c + 1];
    for (std::size_t c = 0; c < x.cols; ++c) p.start[c + 1] += p.start[c];
    p.row.resize(p.start[x.cols]);
    p.value.resize(p.start[x.cols]);
    std::vector<std::size_t> fill(p.start.begin(), p.start.end() - 1);
    for (std::uint32_t i = 0; i < rows.size(); ++i) {
        const auto cols = x.row_cols(rows[i]);
        const auto values = x.row_values(rows[i]);
        for (std::size_t e = 0; e < cols.size(); ++e) {
            p.row[fill[cols[e]]] = i;
            p.value[fill[cols[e]]++] = values[e];
        }
    }
    return p;
}

// Each test row's nearest training rows (indices into task.train), most similar
// first: at most k, all with a positive similarity.
struct neighbour_lists {
    std::vector<std::size_t> start{0};  // test rows + 1
    std::vector<std::uint32_t> row;
};

neighbour_lists nearest_training_rows(const routing_task& task, const csr_matrix& x, std::size_t k) {
    const postings index = invert(x, task.train);
    // Terms in more than 5% of the training queries (and over 200 of them) are left out
    // of the similarities: their postings are most of the work (each touches a large
    // part of the training set) and their low idf weight rarely changes who is
    // nearest. So this is cosine over the informative terms; small studies stay exact.
    const std::size_t common = std::max<std::size_t>(200, task.train.size() / 20);

    neighbour_lists out;
    std::vector<double> similarity(task.train.size(), 0.0);
    std::vector<std::uint32_t> touched, candidates;
    std::vector<char> seen(task.train.size(), 0);
    // Neighbours in a total order (more similar first, then the earlier training row),
    // so ties never depend on the standard library's selection algorithm.
    auto closer = [&](std::uint32_t a, std::uint32_t b) {
        return similarity[a] != similarity[b] ? similarity[a] > similarity[b] : a < b;
    };
    for (std::uint32_t q : task.test) {
        touched.clear();
        const auto cols = x.row_cols(q);
        const auto values = x.row_values(q);
        for (std::size_t e = 0; e < cols.size(); ++e) {
            if (index.start[cols[e] + 1] - index.start[cols[e]] > common) continue;
            for (std::size_t p = index.start[cols[e]]; p < index.start[cols[e] + 1]; ++p) {
                const std::uint32_t i = index.row[p];
                if (!seen[i]) {
                    seen[i] = 1;
                    touched.push_back(i);
                }
                similarity[i] += values[e] * index.value[p];
            }
        }
        for (std::uint32_t i : touched) seen[i] = 0;
        candidates.clear();
        for (std::uint32_t i : touched)
            if (similarity[i] > 0) candidates.push_back(i);
        const std::size_t found = std::min(k, candidates.size());
        std::partial_sort(candidates.begin(), candidates.begin() + static_cast<std::ptrdiff_t>(found), candidates.end(), closer);
        out.row.insert(out.row.end(), candidates.begin(), candidates.begin() + static_cast<std::ptrdiff_t>(found));
        out.start.push_back(out.row.size());
        for (std::uint32_t i : touched) similarity[i] = 0;
    }
    return out;
}

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
    const neighbour_lists& near =
        features.derived<neighbour_lists>(x, std::move(key), [&] { return nearest_training_rows(task, x, k); });

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
