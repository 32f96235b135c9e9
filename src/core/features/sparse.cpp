#include "sparse.h"

#include "../det_math.h"

namespace headroom {

void csr_matrix::push_row(std::span<const std::uint32_t> cols_of_row, std::span<const double> values_of_row) {
    col.insert(col.end(), cols_of_row.begin(), cols_of_row.end());
    value.insert(value.end(), values_of_row.begin(), values_of_row.end());
    row_start.push_back(value.size());
    ++rows;
}

double row_dot(const csr_matrix& x, std::size_t r, std::span<const double> dense) {
    double sum = 0;
    for (std::size_t k = x.row_start[r]; k < x.row_start[r + 1]; ++k) sum += x.value[k] * dense[x.col[k]];
    return sum;
}

void row_axpy(const csr_matrix& x, std::size_t r, double scale, std::span<double> dense) {
    for (std::size_t k = x.row_start[r]; k < x.row_start[r + 1]; ++k) dense[x.col[k]] += scale * x.value[k];
}

void normalize_rows(csr_matrix& x) {
    for (std::size_t r = 0; r < x.rows; ++r) {
        double squares = 0;
        for (std::size_t k = x.row_start[r]; k < x.row_start[r + 1]; ++k) squares += x.value[k] * x.value[k];
        if (squares == 0) continue;
        const double inverse = 1.0 / det_math::sqrt(squares);
        for (std::size_t k = x.row_start[r]; k < x.row_start[r + 1]; ++k) x.value[k] *= inverse;
    }
}

csr_matrix select_rows(const csr_matrix& x, std::span<const std::uint32_t> rows) {
    csr_matrix out;
    out.cols = x.cols;
    out.row_start.reserve(rows.size() + 1);
    for (std::uint32_t r : rows) out.push_row(x.row_cols(r), x.row_values(r));
    return out;
}

std::vector<double> to_dense(const csr_matrix& x) {
    std::vector<double> dense(x.rows * x.cols, 0.0);
    for (std::size_t r = 0; r < x.rows; ++r)
        for (std::size_t k = x.row_start[r]; k < x.row_start[r + 1]; ++k) dense[r * x.cols + x.col[k]] = x.value[k];
    return dense;
}

csr_matrix from_dense(std::span<const double> dense, std::size_t rows, std::size_t cols) {
    csr_matrix out;
    out.cols = cols;
    out.row_start.reserve(rows + 1);
    for (std::size_t r = 0; r < rows; ++r) {
        for (std::size_t c = 0; c < cols; ++c) {
            const double v = dense[r * cols + c];
            if (v == 0) continue;
            out.col.push_back(static_cast<std::uint32_t>(c));
            out.value.push_back(v);
        }
        out.row_start.push_back(out.value.size());
        ++out.rows;
    }
    return out;
}

} // namespace headroom
