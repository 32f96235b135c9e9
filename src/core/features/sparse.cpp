#include "core/features/sparse.h"

#include "core/base/det_math.h"
#include "core/features/key_table.h"

#include <algorithm>
#include <cstring>

namespace headroom {
namespace {

// With the width known at compile time the sums stay in registers across the row
// (a run-time width keeps them in memory, one store and reload per non-zero).
template <std::size_t width>
void row_times_add_fixed(const csr_matrix& x, std::size_t r, const double* w, double* out) {
    double sum[width];
    for (std::size_t c = 0; c < width; ++c) sum[c] = out[c];
    for (std::size_t k = x.row_start[r]; k < x.row_start[r + 1]; ++k) {
        const double v = x.value[k];
        const double* wr = w + static_cast<std::size_t>(x.col[k]) * width;
        for (std::size_t c = 0; c < width; ++c) sum[c] += v * wr[c];
    }
    for (std::size_t c = 0; c < width; ++c) out[c] = sum[c];
}

template <std::size_t width>
void row_outer_add_fixed(const csr_matrix& x, std::size_t r, double factor, const double* s, double* out) {
    double by[width];
    for (std::size_t c = 0; c < width; ++c) by[c] = s[c];
    for (std::size_t k = x.row_start[r]; k < x.row_start[r + 1]; ++k) {
        const double v = x.value[k] * factor;
        double* o = out + static_cast<std::size_t>(x.col[k]) * width;
        // All loads, then all stores: written as o[c] += ..., a store might alias
        // x.value for all the compiler knows, and GCC left the row scalar (1.5x slower).
        double sum[width];
        for (std::size_t c = 0; c < width; ++c) sum[c] = o[c] + v * by[c];
        for (std::size_t c = 0; c < width; ++c) o[c] = sum[c];
    }
}

} // namespace

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

void row_times_add(const csr_matrix& x, std::size_t r, std::span<const double> w, std::span<double> out) {
    // The widths of the routers' per-model products (a handful of models).
    switch (out.size()) {
    case 1: return row_times_add_fixed<1>(x, r, w.data(), out.data());
    case 2: return row_times_add_fixed<2>(x, r, w.data(), out.data());
    case 3: return row_times_add_fixed<3>(x, r, w.data(), out.data());
    case 4: return row_times_add_fixed<4>(x, r, w.data(), out.data());
    case 5: return row_times_add_fixed<5>(x, r, w.data(), out.data());
    case 6: return row_times_add_fixed<6>(x, r, w.data(), out.data());
    case 7: return row_times_add_fixed<7>(x, r, w.data(), out.data());
    case 8: return row_times_add_fixed<8>(x, r, w.data(), out.data());
    default: break;
    }
    const std::size_t width = out.size();
    for (std::size_t k = x.row_start[r]; k < x.row_start[r + 1]; ++k) {
        const double v = x.value[k];
        const double* wr = &w[static_cast<std::size_t>(x.col[k]) * width];
        for (std::size_t c = 0; c < width; ++c) out[c] += v * wr[c];
    }
}

void row_outer_add(const csr_matrix& x, std::size_t r, double factor, std::span<const double> s, std::span<double> out) {
    switch (s.size()) {  // as in row_times_add
    case 1: return row_outer_add_fixed<1>(x, r, factor, s.data(), out.data());
    case 2: return row_outer_add_fixed<2>(x, r, factor, s.data(), out.data());
    case 3: return row_outer_add_fixed<3>(x, r, factor, s.data(), out.data());
    case 4: return row_outer_add_fixed<4>(x, r, factor, s.data(), out.data());
    case 5: return row_outer_add_fixed<5>(x, r, factor, s.data(), out.data());
    case 6: return row_outer_add_fixed<6>(x, r, factor, s.data(), out.data());
    case 7: return row_outer_add_fixed<7>(x, r, factor, s.data(), out.data());
    case 8: return row_outer_add_fixed<8>(x, r, factor, s.data(), out.data());
    default: break;
    }
    const std::size_t width = s.size();
    for (std::size_t k = x.row_start[r]; k < x.row_start[r + 1]; ++k) {
        const double v = x.value[k] * factor;
        double* o = &out[static_cast<std::size_t>(x.col[k]) * width];
        for (std::size_t c = 0; c < width; ++c) o[c] += v * s[c];
    }
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
    // Sized up front: growing by doubling copies, and touches fresh pages, twice over.
    std::size_t nonzeros = 0;
    for (std::uint32_t r : rows) nonzeros += x.row_start[r + 1] - x.row_start[r];
    out.row_start.reserve(rows.size() + 1);
    out.col.reserve(nonzeros);
    out.value.reserve(nonzeros);
    for (std::uint32_t r : rows) out.push_row(x.row_cols(r), x.row_values(r));
    return out;
}

row_groups group_identical_rows(const csr_matrix& x, std::span<const std::uint32_t> rows) {
    row_groups out;
    out.group_of.reserve(rows.size());
    auto same = [&](std::uint32_t a, std::uint32_t b) {
        const auto ca = x.row_cols(a), cb = x.row_cols(b);
        const auto va = x.row_values(a), vb = x.row_values(b);
        return std::equal(ca.begin(), ca.end(), cb.begin(), cb.end()) &&
               std::memcmp(va.data(), vb.data(), va.size() * sizeof(double)) == 0;
    };
    // A row's hash picks its chain of groups; rows of one hash are rare, so each group
    // links to the next group of its hash.
    key_table first_of_hash(rows.size());
    std::vector<std::uint32_t> next_of_hash;
    constexpr std::uint32_t none = ~std::uint32_t{0};
    for (std::uint32_t r : rows) {
        std::uint64_t h = 0x9e3779b97f4a7c15ULL ^ x.row_cols(r).size();
        for (std::uint32_t c : x.row_cols(r)) h = (h ^ c) * 0x100000001b3ULL;
        for (double v : x.row_values(r)) {
            std::uint64_t bits;
            std::memcpy(&bits, &v, sizeof bits);
            h = (h ^ bits) * 0x100000001b3ULL;
        }
        h >>= 1;  // never key_table::no_key
        const auto [head, added] = first_of_hash.try_emplace(h, static_cast<std::uint32_t>(out.first.size()));
        std::uint32_t g = added ? none : head;
        std::uint32_t last = none;
        while (g != none && !same(out.first[g], r)) {
            last = g;
            g = next_of_hash[g];
        }
        if (g == none) {
            g = static_cast<std::uint32_t>(out.first.size());
            out.first.push_back(r);
            out.size.push_back(0);
            next_of_hash.push_back(none);
            if (last != none) next_of_hash[last] = g;
        }
        out.group_of.push_back(g);
        out.size[g] += 1;
    }
    return out;
}

csr_matrix transpose(const csr_matrix& x) {
    csr_matrix t;
    t.rows = x.cols;
    t.cols = x.rows;
    t.row_start.assign(x.cols + 1, 0);
    for (std::uint32_t c : x.col) ++t.row_start[c + 1];
    for (std::size_t c = 0; c < x.cols; ++c) t.row_start[c + 1] += t.row_start[c];
    t.col.resize(x.nonzeros());
    t.value.resize(x.nonzeros());
    std::vector<std::size_t> fill(t.row_start.begin(), t.row_start.end() - 1);
    for (std::size_t r = 0; r < x.rows; ++r)
        for (std::size_t k = x.row_start[r]; k < x.row_start[r + 1]; ++k) {
            const std::size_t at = fill[x.col[k]]++;
            t.col[at] = static_cast<std::uint32_t>(r);
            t.value[at] = x.value[k];
        }
    return t;
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
    const auto nonzeros = static_cast<std::size_t>(std::count_if(dense.begin(), dense.end(), [](double v) { return v != 0; }));
    out.row_start.reserve(rows + 1);
    out.col.reserve(nonzeros);
    out.value.reserve(nonzeros);
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
