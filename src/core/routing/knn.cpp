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

} // namespace

confidence_matrix route_knn(const routing_task& task, const router_options& options, feature_cache& features) {
    const std::size_t models = task.labels->models;
    const csr_matrix& x = features.features(options.features, task.train, options, task.seed);
    const std::vector<double> overall = training_accuracy(task);
    const postings index = invert(x, task.train);
    const auto k = static_cast<std::size_t>(std::max(options.neighbours, 1));
    // Terms in more than 5% of the training queries (and over 200 of them) are left out
    // of the similarities: their postings are most of the work (each touches a large
    // part of the training set) and their low idf weight rarely changes who is
    // nearest. So this is cosine over the informative terms; small studies stay exact.
    const std::size_t common = std::max<std::size_t>(200, task.train.size() / 20);

    confidence_matrix out;
    out.rows = task.test.size();
    out.models = models;
    out.value.resize(out.rows * models);
    std::vector<double> similarity(task.train.size(), 0.0);
    std::vector<std::uint32_t> touched, candidates;
    std::vector<char> seen(task.train.size(), 0);
    // Neighbours in a total order (more similar first, then the earlier training row),
    // so ties never depend on the standard library's selection algorithm.
    auto closer = [&](std::uint32_t a, std::uint32_t b) {
        return similarity[a] != similarity[b] ? similarity[a] > similarity[b] : a < b;
    };
    for (std::size_t r = 0; r < out.rows; ++r) {
        touched.clear();
        const auto cols = x.row_cols(task.test[r]);
        const auto values = x.row_values(task.test[r]);
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
        // Only neighbours with a positive similarity vote; missing votes go to the
        // overall training accuracy, so a query with nothing in common with the
        // training set is routed like best-single.
        candidates.clear();
        for (std::uint32_t i : touched)
            if (similarity[i] > 0) candidates.push_back(i);
        const std::size_t found = std::min(k, candidates.size());
        std::partial_sort(candidates.begin(), candidates.begin() + static_cast<std::ptrdiff_t>(found), candidates.end(), closer);
        for (std::size_t m = 0; m < models; ++m) {
            double sum = static_cast<double>(k - found) * overall[m];
            for (std::size_t j = 0; j < found; ++j) sum += task.labels->at(task.train[candidates[j]], m);
            out.value[r * models + m] = sum / static_cast<double>(k);
        }
        for (std::uint32_t i : touched) similarity[i] = 0;
    }
    return out;
}

} // namespace headroom
