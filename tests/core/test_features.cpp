// features/: tokenizer, TF-IDF, hashing, LSA and the feature cache, on cases small
// enough to check by hand.
#include "core/features/feature_cache.h"
#include "core/features/hashing.h"
#include "core/features/key_table.h"
#include "core/features/lsa.h"
#include "core/features/tfidf.h"
#include "core/features/tokenizer.h"

#include "test_support.h"

#include <cmath>

using namespace headroom;

namespace {

tokenized_corpus corpus_of(std::vector<std::string> docs) { return tokenize_corpus(docs); }

double entry(const csr_matrix& x, std::size_t r, std::uint32_t c) {
    const auto cols = x.row_cols(r);
    for (std::size_t e = 0; e < cols.size(); ++e)
        if (cols[e] == c) return x.row_values(r)[e];
    return 0;
}

} // namespace

TEST_CASE("features: tokens are lowercased words of two or more characters", "[features]") {
    CHECK(tokenize("Hello, World! a x2 (B) 3.14") == std::vector<std::string>{"hello", "world", "x2", "14"});
    CHECK(tokenize("naïve Café") == std::vector<std::string>{"naïve", "café"});
    CHECK(tokenize("").empty());
    const auto c = corpus_of({"to be or", "Be TO a_b"});  // a_b: two single letters, dropped
    CHECK(c.token_text == std::vector<std::string>{"to", "be", "or"});
    CHECK(c.docs[1] == std::vector<std::uint32_t>{1, 0});
}

TEST_CASE("features: TF-IDF by hand (smooth idf, raw counts, l2 rows, sorted vocabulary)", "[features]") {
    const auto c = corpus_of({"apple banana", "apple cherry", "banana banana", "durian apple"});
    tfidf_options o;
    o.bigrams = false;
    o.min_df = 1;
    o.max_df = 1.0;
    const std::vector<std::uint32_t> train{0, 1, 2};  // "durian" is only in a test document
    const auto model = fit_tfidf(c, train, o);
    CHECK(model.vocabulary == std::vector<std::string>{"apple", "banana", "cherry"});
    const double a = std::log(4.0 / 3.0) + 1, ch = std::log(4.0 / 2.0) + 1;
    CHECK(model.idf[0] == Approx(a));
    CHECK(model.idf[1] == Approx(a));
    CHECK(model.idf[2] == Approx(ch));
    const auto x = transform_tfidf(model, c, o);
    REQUIRE(x.rows == 4);
    CHECK(entry(x, 0, 0) == Approx(std::sqrt(0.5)));
    CHECK(entry(x, 0, 1) == Approx(std::sqrt(0.5)));
    CHECK(entry(x, 1, 0) == Approx(a / std::sqrt(a * a + ch * ch)));
    CHECK(entry(x, 1, 2) == Approx(ch / std::sqrt(a * a + ch * ch)));
    CHECK(x.row_cols(2).size() == 1);
    CHECK(entry(x, 2, 1) == Approx(1.0));
    CHECK(x.row_cols(3).size() == 1);  // durian is unknown: apple alone
    CHECK(entry(x, 3, 0) == Approx(1.0));

    o.max_df = 0.5;  // apple and banana are in 2 of 3 training documents
    CHECK(fit_tfidf(c, train, o).vocabulary == std::vector<std::string>{"cherry"});
    o.max_df = 1.0;
    o.min_df = 2;
    CHECK(fit_tfidf(c, train, o).vocabulary == std::vector<std::string>{"apple", "banana"});

    // Bigrams with the default pruning: min_df 2 keeps "red" and "red fox" (twice each)
    // and drops the singletons; max_df 0.95 drops "fox", in all three documents.
    const auto b = corpus_of({"red fox", "red fox runs", "blue fox"});
    CHECK(fit_tfidf(b, std::vector<std::uint32_t>{0, 1, 2}).vocabulary == std::vector<std::string>{"red", "red fox"});
}

TEST_CASE("features: TF-IDF rows of a large vocabulary, few terms or many, ascend with their counts", "[features]") {
    // 2,000 words, each in two training documents (min_df 2), so a row of a few words
    // takes the sorting path and a row of many the bitmap of touched columns.
    std::vector<std::string> docs(2);
    for (int w = 0; w < 2000; ++w)
        for (auto& d : docs) d += "w" + std::to_string(w) + " ";
    docs.push_back("w1500 w3 w700 w3 w42 w3");
    std::string many;
    for (int w = 1999; w >= 0; w -= 37) many += "w" + std::to_string(w) + " w" + std::to_string(w) + " ";
    docs.push_back(many);
    const auto c = corpus_of(docs);
    tfidf_options o;
    o.bigrams = false;
    o.max_df = 1.0;
    const auto model = fit_tfidf(c, std::vector<std::uint32_t>{0, 1}, o);
    REQUIRE(model.vocabulary.size() == 2000);
    const auto x = transform_tfidf(model, c, o);
    auto column_of = [&](const std::string& word) {
        return static_cast<std::uint32_t>(std::find(model.vocabulary.begin(), model.vocabulary.end(), word) -
                                          model.vocabulary.begin());
    };
    for (std::size_t r : {2u, 3u}) {
        const auto cols = x.row_cols(r);
        CHECK(std::is_sorted(cols.begin(), cols.end()));
        CHECK(std::adjacent_find(cols.begin(), cols.end()) == cols.end());
    }
    CHECK(x.row_cols(2).size() == 4);
    // Every idf is the same, so values are counts over the row's length: 3, 1, 1, 1.
    CHECK(entry(x, 2, column_of("w3")) == Approx(3 / std::sqrt(12.0)));
    CHECK(entry(x, 2, column_of("w1500")) == Approx(1 / std::sqrt(12.0)));
    CHECK(x.row_cols(3).size() == 55);
    CHECK(entry(x, 3, column_of("w1999")) == Approx(1 / std::sqrt(55.0)));
}

TEST_CASE("features: rows grouped by their columns and values, to the bit", "[features]") {
    csr_matrix x;
    x.cols = 4;
    const std::vector<std::uint32_t> a{0, 2}, b{1};
    x.push_row(a, std::vector<double>{0.5, 0.5});        // 0
    x.push_row(b, std::vector<double>{1.0});             // 1
    x.push_row(a, std::vector<double>{0.5, 0.5});        // 2: as 0
    x.push_row(a, std::vector<double>{0.5, 0.5000001});  // 3: other values
    x.push_row({}, {});                                  // 4: empty
    x.push_row(b, std::vector<double>{1.0});             // 5: as 1
    x.push_row({}, {});                                  // 6: as 4
    const std::vector<std::uint32_t> rows{6, 0, 1, 2, 3, 5, 4};
    const row_groups g = group_identical_rows(x, rows);
    CHECK(g.first == std::vector<std::uint32_t>{6, 0, 1, 3});
    CHECK(g.group_of == std::vector<std::uint32_t>{0, 1, 2, 1, 3, 2, 0});
    CHECK(g.size == std::vector<double>{2, 2, 2, 1});
    CHECK(group_identical_rows(x, {}).first.empty());
}

TEST_CASE("features: the key table finds every key it was given and none other", "[features]") {
    // Regular keys (bigrams of few first tokens), many times the starting capacity.
    auto key = [](std::uint32_t k) { return term_key(k % 71, k); };
    key_table t;
    for (std::uint32_t k = 0; k < 5000; ++k) {
        const auto [value, added] = t.try_emplace(key(k), k);
        CHECK(added);
        CHECK(value == k);
    }
    CHECK(t.size() == 5000);
    CHECK_FALSE(t.try_emplace(key(3), 99).second);  // present: keeps its value
    for (std::uint32_t k = 0; k < 5000; ++k) {
        const std::uint32_t* v = t.find(key(k));
        REQUIRE(v);
        CHECK(*v == k);
        CHECK_FALSE(t.find(term_key(k % 71 + 100, k)));
    }
    CHECK(*t.find(key(3)) == 3);
}

TEST_CASE("features: hashing is stateless, signed and l2-normalised", "[features]") {
    const auto c = corpus_of({"alpha beta", "beta alpha", "x", "alpha alpha"});
    const auto x = hashing_features(c, 10, false);
    CHECK(x.cols == 1024);
    CHECK(x.row_cols(0).size() == x.row_cols(1).size());
    for (std::size_t e = 0; e < x.row_cols(0).size(); ++e) {
        CHECK(x.row_cols(0)[e] == x.row_cols(1)[e]);
        CHECK(x.row_values(0)[e] == x.row_values(1)[e]);
    }
    CHECK(x.row_cols(2).empty());
    REQUIRE(x.row_cols(3).size() == 1);
    CHECK(std::abs(x.row_values(3)[0]) == 1.0);
    CHECK(x.row_cols(3)[0] == (term_hash("alpha") & 1023));
    CHECK(term_hash("alpha", "beta") != term_hash("beta", "alpha"));
    CHECK_THROWS_AS(hashing_features(c, 0), std::invalid_argument);
}

TEST_CASE("features: symmetric eigen and LSA recover known spectra", "[features][lsa]") {
    std::vector<double> values, vectors;
    symmetric_eigen({2, 1, 1, 2}, 2, values, vectors);
    CHECK(values[0] == Approx(3));
    CHECK(values[1] == Approx(1));
    CHECK(std::abs(vectors[0]) == Approx(std::sqrt(0.5)));

    // A diagonal matrix: singular values 3, 2, 1 along the axes.
    const csr_matrix x = from_dense(std::vector<double>{0, 0, 3, 0, 2, 0, 1, 0, 0, 0, 1, 0}, 4, 3);
    const std::vector<std::uint32_t> train{0, 1, 2};
    lsa_options o;
    o.dimensions = 2;
    const auto model = fit_lsa(x, train, o, 7);
    REQUIRE(model.dimensions == 2);
    CHECK(model.singular_value[0] == Approx(3));
    CHECK(model.singular_value[1] == Approx(2));
    const auto e = transform_lsa(model, x);
    CHECK(std::abs(entry(e, 0, 0)) == Approx(1));  // row 0 lies on the first direction
    CHECK(std::abs(entry(e, 0, 1)) == Approx(0).margin(1e-12));
    CHECK(std::abs(entry(e, 3, 1)) == Approx(1));  // the test row on the second
    CHECK(e.row_cols(2).empty());                  // the third direction is not kept
    const auto again = fit_lsa(x, train, o, 7);
    CHECK(again.component == model.component);
    CHECK(fit_lsa(x, {}, o, 7).dimensions == 0);
}

TEST_CASE("features: LSA of weighted rows is LSA of the rows repeated", "[features][lsa]") {
    // Rows (3, 0, 0) x2, (0, 2, 0) x1 and (0, 1, 1) x3: the same A^T A either way.
    const std::vector<double> distinct{3, 0, 0, 0, 2, 0, 0, 1, 1};
    const std::vector<double> weight{2, 1, 3};
    std::vector<double> repeated;
    for (std::size_t r = 0; r < 3; ++r)
        for (int copy = 0; copy < weight[r]; ++copy) repeated.insert(repeated.end(), &distinct[r * 3], &distinct[r * 3 + 3]);
    const csr_matrix once = from_dense(distinct, 3, 3), copies = from_dense(repeated, 6, 3);
    lsa_options o;
    o.dimensions = 2;
    const auto weighted = fit_lsa(once, std::vector<std::uint32_t>{0, 1, 2}, o, 7, weight);
    const auto plain = fit_lsa(copies, std::vector<std::uint32_t>{0, 1, 2, 3, 4, 5}, o, 7);
    REQUIRE(weighted.dimensions == 2);
    REQUIRE(plain.dimensions == 2);
    for (std::size_t c = 0; c < 2; ++c) {
        CHECK(weighted.singular_value[c] == Approx(plain.singular_value[c]).epsilon(1e-12));
        for (std::size_t row = 0; row < 3; ++row)  // the same directions, up to their sign
            CHECK(std::abs(weighted.component[row * 2 + c]) == Approx(std::abs(plain.component[row * 2 + c])).margin(1e-12));
    }
    // A^T A is diag(18, 4, 0) + 3 (0, 1, 1)(0, 1, 1)^T: its top eigenvalue is 18.
    CHECK(weighted.singular_value[0] == Approx(std::sqrt(18.0)).epsilon(1e-12));
}

TEST_CASE("features: the cache builds each matrix once per split and kind", "[features]") {
    study s;
    for (const char* text : {"the cat sat", "the dog sat", "a cat ran", "the dog ran"}) {
        query q;
        q.text = text;
        s.queries.push_back(q);
    }
    feature_cache cache(s);
    const std::vector<std::uint32_t> train{0, 1, 2}, other{1, 2, 3};
    feature_options o;
    const csr_matrix& a = cache.features(feature_kind::tfidf, train, o, 1);
    CHECK(a.rows == 4);
    CHECK(&cache.features(feature_kind::tfidf, train, o, 2) == &a);
    CHECK(cache.builds() == 1);
    cache.features(feature_kind::tfidf, other, o, 1);
    CHECK(cache.builds() == 2);
    cache.features(feature_kind::hashing, train, o, 1);
    cache.features(feature_kind::hashing, other, o, 1);
    CHECK(cache.builds() == 3);
    o.dimensions = 2;
    const csr_matrix& l = cache.features(feature_kind::lsa, train, o, 1);
    CHECK(l.cols <= 2);
    CHECK(cache.builds() == 4);  // reused the split's TF-IDF
    query mcq;
    mcq.text = "Pick one";
    mcq.options = {"red", "blue"};
    CHECK(query_document(mcq) == "Pick one\nred\nblue");
}
