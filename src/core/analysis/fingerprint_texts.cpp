// The fingerprint's text statistics of one benchmark: how varied its queries and the
// models' answers are (fingerprint.h says what each figure is).
#include "core/analysis/fingerprint.h"
#include "core/base/det_math.h"
#include "core/base/rng.h"
#include "core/features/tfidf.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <unordered_set>

namespace headroom {

namespace {

constexpr double not_a_number = std::numeric_limits<double>::quiet_NaN();

std::size_t word_count(std::string_view text) {
    std::size_t words = 0;
    bool in_word = false;
    for (char c : text) {
        const bool space = c == ' ' || c == '\n' || c == '\t' || c == '\r';
        if (!space && !in_word) ++words;
        in_word = !space;
    }
    return words;
}

// Mean and coefficient of variation (population SD over the mean).
std::pair<double, double> mean_and_cv(std::span<const double> values) {
    if (values.empty()) return {not_a_number, not_a_number};
    double sum = 0;
    for (double v : values) sum += v;
    const double mean = sum / static_cast<double>(values.size());
    double squares = 0;
    for (double v : values) squares += (v - mean) * (v - mean);
    const double sd = det_math::sqrt(squares / static_cast<double>(values.size()));
    return {mean, mean > 0 ? sd / mean : not_a_number};
}

// Every run of digits as one '#': answers that differ only in their numbers are one
// sentence pattern.
std::string masked_numbers(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] >= '0' && text[i] <= '9') {
            if (out.empty() || out.back() != '#') out += '#';
        } else {
            out += text[i];
        }
    }
    return out;
}

double type_token_ratio(const tokenized_corpus& corpus, std::size_t window, std::size_t& tokens) {
    std::vector<std::uint32_t> stream;
    for (const auto& doc : corpus.docs) stream.insert(stream.end(), doc.begin(), doc.end());
    tokens = stream.size();
    if (stream.empty()) return not_a_number;
    const auto distinct_in = [](std::span<const std::uint32_t> part) {
        std::unordered_set<std::uint32_t> seen(part.begin(), part.end());
        return static_cast<double>(seen.size()) / static_cast<double>(part.size());
    };
    if (stream.size() < window) return distinct_in(stream);
    double sum = 0;
    std::size_t windows = 0;
    for (std::size_t at = 0; at + window <= stream.size(); at += window, ++windows)
        sum += distinct_in(std::span<const std::uint32_t>(stream).subspan(at, window));
    return sum / static_cast<double>(windows);
}

// The share of `probes` whose nearest other document has cosine >= threshold, over
// l2-normalised TF-IDF rows, by an inverted index of the columns.
double near_twin_share(const csr_matrix& x, std::span<const std::uint32_t> probes, double threshold) {
    if (probes.empty() || x.rows < 2) return 0;
    std::vector<std::vector<std::pair<std::uint32_t, double>>> postings(x.cols);
    for (std::size_t r = 0; r < x.rows; ++r) {
        const auto cols = x.row_cols(r);
        const auto values = x.row_values(r);
        for (std::size_t k = 0; k < cols.size(); ++k) postings[cols[k]].push_back({static_cast<std::uint32_t>(r), values[k]});
    }
    std::size_t empty_rows = 0;
    for (std::size_t r = 0; r < x.rows; ++r) empty_rows += x.row_cols(r).empty();
    std::vector<double> dot(x.rows, 0.0);
    std::vector<std::uint32_t> touched;
    std::size_t twins = 0;
    for (std::uint32_t probe : probes) {
        const auto cols = x.row_cols(probe);
        const auto values = x.row_values(probe);
        for (std::size_t k = 0; k < cols.size(); ++k)
            for (const auto& [row, value] : postings[cols[k]]) {
                if (dot[row] == 0) touched.push_back(row);
                dot[row] += values[k] * value;
            }
        bool twin = false;
        for (std::uint32_t row : touched) {
            if (row != probe && dot[row] >= threshold - 1e-12) twin = true;
            dot[row] = 0;
        }
        touched.clear();
        // A query with no terms at all (only one-letter words) is the twin of any other
        // such query: cosine is undefined, the texts are indistinguishable to a router.
        if (cols.empty()) twin = empty_rows >= 2;
        twins += twin;
    }
    return static_cast<double>(twins) / static_cast<double>(probes.size());
}

} // namespace

benchmark_texts describe_texts(const study& s, std::uint32_t benchmark, const study_index& index, const protocol& p,
                               const fingerprint_options& options) {
    benchmark_texts out;
    out.benchmark = s.benchmarks[benchmark].id;
    const std::vector<std::uint32_t> queries = index.queries_of_benchmark(benchmark);
    out.queries = queries.size();
    if (queries.empty()) return out;

    std::vector<std::string> documents;
    documents.reserve(queries.size());
    std::vector<double> query_words;
    for (std::uint32_t q : queries) {
        documents.push_back(query_document(s.queries[q]));
        query_words.push_back(static_cast<double>(word_count(documents.back())));
    }
    std::unordered_set<std::string_view> distinct(documents.begin(), documents.end());
    out.distinct_share = static_cast<double>(distinct.size()) / static_cast<double>(queries.size());
    std::tie(out.query_words_mean, out.query_words_cv) = mean_and_cv(query_words);

    const tokenized_corpus corpus = tokenize_corpus(documents);
    out.type_token_ratio = type_token_ratio(corpus, options.ttr_window, out.tokens);

    // Every term counts for likeness, however rare or common.
    tfidf_options every_term;
    every_term.min_df = 1;
    every_term.max_df = 1.0;
    std::vector<std::uint32_t> all(queries.size());
    std::iota(all.begin(), all.end(), 0u);
    const csr_matrix x = transform_tfidf(fit_tfidf(corpus, all, every_term), corpus, every_term);
    std::vector<std::uint32_t> probes = all;
    if (probes.size() > options.near_twin_queries) {
        rng draw(derive_seed(options.seed, "near-twins", benchmark));
        draw.shuffle(std::span<std::uint32_t>(probes));
        probes.resize(options.near_twin_queries);
    }
    out.near_twin_sample = probes.size();
    out.near_twin_share = near_twin_share(x, probes, options.near_twin_cosine);

    // The answers: each pair's first sample at the protocol's budget.
    std::vector<double> answer_words;
    std::unordered_set<std::string> answer_patterns;
    if (!s.info.texts_omitted)
        for (std::uint32_t q : queries)
            for (std::uint16_t m = 0; m < s.models.size(); ++m) {
                const auto samples = index.samples(q, m, p.budget);
                if (samples.empty()) continue;
                const std::string_view text = s.generations.text[samples.front()];
                answer_words.push_back(static_cast<double>(word_count(text)));
                answer_patterns.insert(masked_numbers(text));
            }
    std::tie(out.answer_words_mean, out.answer_words_cv) = mean_and_cv(answer_words);
    out.answer_distinct_share = answer_words.empty() ? not_a_number
                                                     : static_cast<double>(answer_patterns.size()) /
                                                           static_cast<double>(answer_words.size());
    return out;
}

} // namespace headroom
