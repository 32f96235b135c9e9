// Compressed sparse rows: the shape every text feature takes (one row per query, a
// column per term or hash bucket or LSA dimension). Columns within a row ascend.
#pragma once
#include <cstdint>
#include <span>
#include <vector>

namespace headroom {

struct csr_matrix {
    std::size_t rows = 0, cols = 0;
    std::vector<std::size_t> row_start{0};  // rows + 1 entries
    std::vector<std::uint32_t> col;
    std::vector<double> value;

    std::span<const std::uint32_t> row_cols(std::size_t r) const {
        return {col.data() + row_start[r], row_start[r + 1] - row_start[r]};
    }
    std::span<const double> row_values(std::size_t r) const {
        return {value.data() + row_start[r], row_start[r + 1] - row_start[r]};
    }
    std::size_t nonzeros() const { return value.size(); }

    // Appends a row; its columns must ascend.
    void push_row(std::span<const std::uint32_t> cols_of_row, std::span<const double> values_of_row);
};

// Sum of value * dense[col] over row r.
double row_dot(const csr_matrix& x, std::size_t r, std::span<const double> dense);
// dense[col] += scale * value over row r.
void row_axpy(const csr_matrix& x, std::size_t r, double scale, std::span<double> dense);
// out[c] += value * w[col * out.size() + c] over row r, for every c: the row times a
// dense cols x out.size() row-major matrix, each out[c] summed in the row's order.
void row_times_add(const csr_matrix& x, std::size_t r, std::span<const double> w, std::span<double> out);
// out[col * s.size() + c] += (value * factor) * s[c] over row r, for every c: the row's
// outer product with s added into a cols x s.size() row-major matrix.
void row_outer_add(const csr_matrix& x, std::size_t r, double factor, std::span<const double> s, std::span<double> out);
// Rescales every row to unit Euclidean length (all-zero rows stay zero).
void normalize_rows(csr_matrix& x);
// The given rows of x, in the given order.
csr_matrix select_rows(const csr_matrix& x, std::span<const std::uint32_t> rows);
// The given rows of x grouped by content: rows with the same columns and the same
// values (to the bit) form one group. Groups are numbered by their first row, in order.
struct row_groups {
    std::vector<std::uint32_t> first;     // per group, its first row (an entry of `rows`)
    std::vector<std::uint32_t> group_of;  // per entry of `rows`, its group
    std::vector<double> size;             // per group, how many of `rows` it holds
};
row_groups group_identical_rows(const csr_matrix& x, std::span<const std::uint32_t> rows);
// How many identical rows row i of a weighted fit stands for: its weight, or one when
// the fit has no weights (then every product with it is exact, so a fit without
// weights computes what it always did).
inline double row_weight(std::span<const double> weight, std::size_t i) { return weight.empty() ? 1.0 : weight[i]; }
// The transpose: row c lists the rows of x with a non-zero in column c, ascending, and
// their values (an inverted index).
csr_matrix transpose(const csr_matrix& x);
// x as a dense row-major matrix (rows x cols).
std::vector<double> to_dense(const csr_matrix& x);
// A dense row-major matrix as CSR, dropping exact zeros.
csr_matrix from_dense(std::span<const double> dense, std::size_t rows, std::size_t cols);

} // namespace headroom
