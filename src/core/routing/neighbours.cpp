#include "core/routing/neighbours.h"

#include <algorithm>
#include <cmath>
#include <cstring>

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

// The k nearest seen so far, as a heap whose root is the worst of them: most rows lose
// to the root at one comparison, where sorting every candidate cost one per level.
class nearest_k {
public:
    // candidates: how many rows there are to offer, which bounds the heap (k need not).
    nearest_k(std::size_t k, std::size_t candidates) : k_(k) { heap_.reserve(std::min(k, candidates)); }
    void offer(double similarity, std::uint32_t row) {
        if (similarity <= 0) return;
        const candidate c{similarity, row};
        if (heap_.size() < k_) {
            heap_.push_back(c);
            std::push_heap(heap_.begin(), heap_.end(), closer);
        } else if (closer(c, heap_.front())) {
            std::pop_heap(heap_.begin(), heap_.end(), closer);
            heap_.back() = c;
            std::push_heap(heap_.begin(), heap_.end(), closer);
        }
    }
    bool full() const { return heap_.size() == k_; }
    double worst() const { return heap_.front().similarity; }  // when full, for k > 0
    // Appends the nearest, most similar first, to out and starts afresh.
    void take(neighbour_lists& out) {
        std::sort_heap(heap_.begin(), heap_.end(), closer);
        for (const candidate& c : heap_) out.row.push_back(c.row);
        out.start.push_back(out.row.size());
        heap_.clear();
    }

private:
    struct candidate {
        double similarity;
        std::uint32_t row;
    };
    static bool closer(const candidate& a, const candidate& b) {
        return a.similarity != b.similarity ? a.similarity > b.similarity : a.row < b.row;
    }
    std::size_t k_;
    std::vector<candidate> heap_;
};

} // namespace

neighbour_lists nearest_by_terms(const csr_matrix& x, std::span<const std::uint32_t> train,
                                 std::span<const std::uint32_t> test, std::size_t k) {
    neighbour_lists out;
    if (k == 0) {
        out.start.resize(test.size() + 1, 0);
        return out;
    }
    const postings index = invert(x, train);
    // Terms in more than 5% of the training queries (and over 200 of them) are left out
    // of the similarities: their postings are most of the work (each touches a large
    // part of the training set) and their low idf weight rarely changes who is
    // nearest. So this is cosine over the informative terms; small studies stay exact.
    const std::size_t common = std::max<std::size_t>(200, train.size() / 20);
    std::vector<double> similarity(train.size(), 0.0);
    // A training row joins `touched` at its first posting without a branch (whether a
    // posting is a row's first is too unpredictable to branch on): every posting writes
    // its row at touched[count], and only a first one moves count on. So a repeat after
    // every row has been touched writes one past them: the spare slot at the end.
    // seen[i] is r + 1 for the last test row r that touched training row i (0: none yet).
    std::vector<std::uint32_t> touched(train.size() + 1), seen(train.size(), 0);
    nearest_k best(k, train.size());
    for (std::size_t r = 0; r < test.size(); ++r) {
        const std::uint32_t q = test[r], mark = static_cast<std::uint32_t>(r + 1);
        std::size_t count = 0;
        const auto cols = x.row_cols(q);
        const auto values = x.row_values(q);
        for (std::size_t e = 0; e < cols.size(); ++e) {
            if (index.start[cols[e] + 1] - index.start[cols[e]] > common) continue;
            for (std::size_t p = index.start[cols[e]]; p < index.start[cols[e] + 1]; ++p) {
                const std::uint32_t i = index.row[p];
                touched[count] = i;
                count += seen[i] != mark;
                seen[i] = mark;
                similarity[i] += values[e] * index.value[p];
            }
        }
        for (std::size_t t = 0; t < count; ++t) {
            best.offer(similarity[touched[t]], touched[t]);
            similarity[touched[t]] = 0;
        }
        best.take(out);
    }
    return out;
}

namespace {

using lanes = double __attribute__((vector_size(2 * sizeof(double))));
lanes load(const double* p) {
    lanes out;
    std::memcpy(&out, p, sizeof out);
    return out;
}

// The rows of x listed, dense (rows x cols).
std::vector<double> dense_rows(const csr_matrix& x, std::span<const std::uint32_t> rows) {
    std::vector<double> out(rows.size() * x.cols, 0.0);
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const auto cols = x.row_cols(rows[i]);
        const auto values = x.row_values(rows[i]);
        for (std::size_t e = 0; e < cols.size(); ++e) out[i * x.cols + cols[e]] = values[e];
    }
    return out;
}

double dot(const double* a, const double* b, std::size_t d) {
    double sum = 0;
    for (std::size_t c = 0; c < d; ++c) sum += a[c] * b[c];
    return sum;
}

// The training rows in clusters, each with its centre c and radius R (the farthest of
// its rows from c): for a query q and any row x of the cluster, x.q = c.q + (x - c).q
// <= c.q + R |q|. The clusters need not be good ones, only tight enough for that bound
// to rule most of them out: two assignment passes from evenly spaced rows as seeds.
// On p2-artifacts' LSA (64 dimensions) a query measures 4-5% of the training rows; the
// bound prunes less as the dimensions grow, so wide embeddings come nearer to measuring
// every row.
// Each cluster's rows are stored eight at a time, column by column (a group's column c
// at group * d * 8 + c * 8), so a query's products with eight rows run side by side.
struct clustered_rows {
    static constexpr std::size_t group = 8;
    static constexpr std::uint32_t padding = UINT32_MAX;  // a group's unused places
    std::size_t d = 0;
    std::vector<double> centre, radius;                 // clusters x d; per cluster
    std::vector<std::size_t> first_group{0};             // clusters + 1
    std::vector<double> values;                          // groups x d x 8
    std::vector<std::uint32_t> row;                      // groups x 8: indices into the training rows, or padding
};

clustered_rows cluster_rows(const std::vector<double>& rows, std::size_t n, std::size_t d) {
    clustered_rows out;
    out.d = d;
    const std::size_t clusters = std::clamp<std::size_t>(n / 32, 1, 64);
    out.centre.resize(clusters * d);
    for (std::size_t j = 0; j < clusters; ++j)
        std::copy_n(&rows[(j * n / clusters) * d], d, &out.centre[j * d]);
    std::vector<std::uint32_t> member(n);
    std::vector<double> count(clusters);
    for (int pass = 0; pass < 2; ++pass) {
        for (std::size_t i = 0; i < n; ++i) {  // the most similar centre, the first on ties
            std::size_t best = 0;
            double best_dot = dot(&rows[i * d], &out.centre[0], d);
            for (std::size_t j = 1; j < clusters; ++j) {
                const double s = dot(&rows[i * d], &out.centre[j * d], d);
                if (s > best_dot) {
                    best = j;
                    best_dot = s;
                }
            }
            member[i] = static_cast<std::uint32_t>(best);
        }
        // Each centre the mean of its rows (one left without rows keeps its place).
        std::vector<double> sum(clusters * d, 0.0);
        std::fill(count.begin(), count.end(), 0.0);
        for (std::size_t i = 0; i < n; ++i) {
            count[member[i]] += 1;
            for (std::size_t c = 0; c < d; ++c) sum[member[i] * d + c] += rows[i * d + c];
        }
        for (std::size_t j = 0; j < clusters; ++j)
            if (count[j] > 0)
                for (std::size_t c = 0; c < d; ++c) out.centre[j * d + c] = sum[j * d + c] / count[j];
    }
    out.radius.assign(clusters, 0.0);
    std::vector<std::vector<std::uint32_t>> rows_of(clusters);
    for (std::uint32_t i = 0; i < n; ++i) {
        rows_of[member[i]].push_back(i);
        double squares = 0;
        for (std::size_t c = 0; c < d; ++c) {
            const double gap = rows[i * d + c] - out.centre[member[i] * d + c];
            squares += gap * gap;
        }
        out.radius[member[i]] = std::max(out.radius[member[i]], std::sqrt(squares));
    }
    for (std::size_t j = 0; j < clusters; ++j) {
        const std::size_t groups = (rows_of[j].size() + clustered_rows::group - 1) / clustered_rows::group;
        const std::size_t at = out.first_group.back();
        out.first_group.push_back(at + groups);
        out.values.resize((at + groups) * d * clustered_rows::group, 0.0);
        out.row.resize((at + groups) * clustered_rows::group, clustered_rows::padding);
        for (std::size_t p = 0; p < rows_of[j].size(); ++p) {
            const std::size_t g = at + p / clustered_rows::group, t = p % clustered_rows::group;
            out.row[g * clustered_rows::group + t] = rows_of[j][p];
            for (std::size_t c = 0; c < d; ++c)
                out.values[(g * d + c) * clustered_rows::group + t] = rows[rows_of[j][p] * d + c];
        }
    }
    return out;
}

// A query's similarities with the eight rows of a group, each summed over the columns
// in order (as dot() sums them), two rows per vector: GCC and Clang's vector extension,
// each lane its own IEEE operations, so WebAssembly's scalar code sums exactly the
// same. The sums live in four named registers; held in an array, GCC kept them in memory.
void group_similarities(const clustered_rows& rows, std::size_t g, const double* q, double* out) {
    const std::size_t d = rows.d;
    const double* v = &rows.values[g * d * clustered_rows::group];
    lanes s0{}, s1{}, s2{}, s3{};
    for (std::size_t c = 0; c < d; ++c, v += clustered_rows::group) {
        const double qc = q[c];
        s0 += load(v) * qc;
        s1 += load(v + 2) * qc;
        s2 += load(v + 4) * qc;
        s3 += load(v + 6) * qc;
    }
    const lanes sums[] = {s0, s1, s2, s3};
    for (std::size_t t = 0; t < clustered_rows::group; ++t) out[t] = sums[t / 2][t % 2];
}

} // namespace

neighbour_lists nearest_by_vectors(const csr_matrix& x, std::span<const std::uint32_t> train,
                                   std::span<const std::uint32_t> test, std::size_t k) {
    const std::size_t d = x.cols, n = train.size();
    neighbour_lists out;
    // No columns (LSA of a vocabulary pruned to nothing): no similarity is positive.
    if (n == 0 || k == 0 || d == 0) {
        out.start.resize(test.size() + 1, 0);
        return out;
    }
    const clustered_rows clusters = cluster_rows(dense_rows(x, train), n, d);
    const std::size_t count = clusters.radius.size();
    const std::vector<double> queries = dense_rows(x, test);
    // Rows are unit vectors, so |c| <= 1, R <= 2 and |q| <= 1, and each dot product's
    // rounding is below d 2^-53 (7e-12 at the largest embedding width, 65,536): a cluster
    // ruled out by this margin holds no row whose computed similarity reaches the k-th
    // best. And it is ruled out only strictly below the k-th best, so a row that would
    // tie with it (and win the tie as the earlier row) is never skipped.
    constexpr double margin = 1e-9;
    nearest_k best(k, n);
    std::vector<std::pair<double, std::uint32_t>> bound(count);  // (-bound, cluster): highest first
    double similarity[clustered_rows::group];
    for (std::size_t r = 0; r < test.size(); ++r) {
        const double* q = &queries[r * d];
        const double length = std::sqrt(dot(q, q, d));
        if (length == 0) {  // a query LSA zeroed (nothing of it in the kept directions)
            best.take(out);
            continue;
        }
        for (std::uint32_t j = 0; j < count; ++j)
            bound[j] = {-(dot(q, &clusters.centre[j * d], d) + clusters.radius[j] * length), j};
        std::sort(bound.begin(), bound.end());
        for (const auto& [negative, j] : bound) {
            // Only positive similarities count, and only ones above the k-th best so far.
            if (-negative + margin <= 0 || (best.full() && -negative + margin < best.worst())) break;
            for (std::size_t g = clusters.first_group[j]; g < clusters.first_group[j + 1]; ++g) {
                group_similarities(clusters, g, q, similarity);
                for (std::size_t t = 0; t < clustered_rows::group; ++t) {
                    const std::uint32_t i = clusters.row[g * clustered_rows::group + t];
                    if (i != clustered_rows::padding) best.offer(similarity[t], i);
                }
            }
        }
        best.take(out);
    }
    return out;
}

} // namespace headroom
