// Routing headroom from a label matrix (docs/DEVELOPING.md, Vocabulary): best single B, oracle O,
// unsolvable U = 1 - O, headroom H = O - B.
#pragma once
#include "core/labels/labels.h"

#include <span>
#include <vector>

namespace headroom {

struct headroom_summary {
    std::size_t queries = 0;
    std::vector<double> model_accuracy;  // mean label per model, over the pairs with an outcome
    // Missing outcomes (label_matrix::present): per model, the queries left out of its
    // denominator; and the queries no model has an outcome for, left out of the oracle.
    std::vector<std::size_t> model_missing;
    std::size_t queries_without_outcome = 0;
    std::size_t best_model = 0;          // first model with the highest accuracy
    double best_single = 0;
    double oracle = 0;
    double unsolvable = 0;
    double headroom = 0;
};

// Over the given query rows (all rows when empty is not what you want: pass them). A
// missing outcome is never a failure: it leaves the model's denominator, and the oracle
// of a query is the best of the outcomes it has.
headroom_summary summarize(const label_matrix& labels, std::span<const std::uint32_t> rows);
std::vector<std::uint32_t> all_rows(const label_matrix& labels);

} // namespace headroom
