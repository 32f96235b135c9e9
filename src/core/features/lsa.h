// Latent semantic analysis: the top singular directions of the training rows' TF-IDF
// matrix, found by randomized range finding with power iteration (Halko, Martinsson
// and Tropp, 2011), and every row projected onto them. Dense query embeddings the core
// computes itself, for k-means and the factorisation router.
#pragma once
#include "core/features/sparse.h"

#include <cstdint>
#include <span>
#include <vector>

namespace headroom {

struct lsa_options {
    int dimensions = 64;
    int oversampling = 10;       // extra random directions: the range finder's safety margin
    int power_iterations = 2;    // each sharpens the spectrum's decay, at two sparse products
};

struct lsa_model {
    std::size_t dimensions = 0;          // may be below the asked number for tiny inputs
    std::vector<double> singular_value;  // descending
    std::vector<double> component;       // cols x dimensions, row-major: V
};

// weight, when given, per training row: the row stands for that many identical rows.
lsa_model fit_lsa(const csr_matrix& x, std::span<const std::uint32_t> train_rows, const lsa_options& options,
                  std::uint64_t seed, std::span<const double> weight = {});
// x V for every row of x, l2-normalised (cosine geometry, as k-means on LSA expects).
csr_matrix transform_lsa(const lsa_model& model, const csr_matrix& x);

// Eigen-decomposition of a symmetric n x n matrix by cyclic Jacobi rotations:
// eigenvalues descending, eigenvectors as columns of `vectors` (row-major n x n).
void symmetric_eigen(std::vector<double> matrix, std::size_t n, std::vector<double>& values,
                     std::vector<double>& vectors);

} // namespace headroom
