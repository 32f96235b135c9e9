// The study fingerprint (core/analysis/fingerprint): its statistics on inputs worked out
// by hand, and on the real RouterBench subset against figures this test computes from
// the CSV with its own reading.
#include "core/analysis/fingerprint.h"
#include "core/io/import/import.h"

#include "test_support.h"

#include <cmath>
#include <map>
#include <set>

using namespace headroom;
using namespace headroom::test;

namespace {

study imported(const std::string& csv) {
    return import::import_sources({{"bench_test.csv", csv}}, {}).study;
}

fingerprint_options quick() {
    fingerprint_options o;
    o.router = false;
    return o;
}

} // namespace

TEST_CASE("fingerprint: rank and linear correlation, ties at their mean rank", "[fingerprint]") {
    const std::vector<double> up{1, 2, 3, 4}, tens{10, 20, 30, 40}, down{4, 3, 2, 1};
    CHECK(spearman(up, tens) == Approx(1.0));
    CHECK(spearman(up, down) == Approx(-1.0));
    CHECK(pearson(up, tens) == Approx(1.0));
    // Ranks [1.5, 1.5, 3] against [1, 2, 3]: r = 0.866.
    CHECK(spearman(std::vector<double>{5, 5, 9}, std::vector<double>{1, 2, 3}) == Approx(std::sqrt(3.0) / 2));
    CHECK(std::isnan(pearson(std::vector<double>{1, 1, 1}, up)));
}

TEST_CASE("fingerprint: AUC counts ties as half", "[fingerprint]") {
    const std::vector<double> score{0.1, 0.4, 0.35, 0.8};
    const std::vector<char> positive{0, 0, 1, 1};
    CHECK(roc_auc(score, positive) == Approx(0.75));
    CHECK(roc_auc(std::vector<double>{0.5, 0.5}, std::vector<char>{1, 0}) == Approx(0.5));
    CHECK(std::isnan(roc_auc(std::vector<double>{0.5, 0.7}, std::vector<char>{1, 1})));
}

TEST_CASE("fingerprint: the two-way fit leaves nothing of an additive table, and the interaction of a crossed one",
          "[fingerprint]") {
    const double gap = std::numeric_limits<double>::quiet_NaN();
    // rows + columns exactly, one cell empty
    const std::vector<double> additive{1, 2, 4, 3, 4, gap, 0, 1, 3};
    CHECK(two_way_residual_sd(additive, 3, 3) == Approx(0).margin(1e-9));
    // [[1, 0], [0, 1]]: residuals +-0.5, one degree of freedom left: sd 1.
    CHECK(two_way_residual_sd(std::vector<double>{1, 0, 0, 1}, 2, 2) == Approx(1.0));
    CHECK(std::isnan(two_way_residual_sd(std::vector<double>{1, 2}, 1, 2)));
}

// Three models on four queries, worked out by hand:
//        q1 q2 q3 q4
//   m1    1  1  0  0
//   m2    1  0  1  0
//   m3    0  0  1  -   (missing)
TEST_CASE("fingerprint: outcome statistics worked out by hand, a missing outcome left out", "[fingerprint]") {
    const study s = imported(
        ",sample_id,prompt,eval_name,m1,m2,m3\n"
        "0,q1,one,arc,1,1,0\n"
        "1,q2,two,arc,1,0,0\n"
        "2,q3,three,arc,0,1,1\n"
        "3,q4,four,arc,0,0,\n");
    const study_index index(s);
    feature_cache features(s);
    const study_fingerprint f = fingerprint(s, index, corrected_protocol(s), features, quick());
    CHECK(f.queries == 4);
    CHECK(f.missing == 1);
    CHECK(f.solved_by == std::vector<std::size_t>{1, 1, 2, 0});
    CHECK(f.best_model == "m1");
    CHECK(f.best_single == Approx(0.5));
    CHECK(f.oracle == Approx(0.75));
    // m1 and m2 agree on q1 and q4, differ on q2 and q3: observed .5, by chance .5.
    CHECK(f.kappa[0 * 3 + 1] == Approx(0).margin(1e-12));
    CHECK(f.kappa[1 * 3 + 0] == f.kappa[0 * 3 + 1]);
    // m1 wrong on q3, q4: m2 right on q3; m3 has only q3, right.
    CHECK(f.right_given_wrong[0 * 3 + 1] == Approx(0.5));
    CHECK(f.right_given_wrong[0 * 3 + 2] == Approx(1.0));
    CHECK(f.best_fails_others_right == Approx(0.75));
    // even models (m1, m3) [.5 .5 .5 0] against m2 [1 0 1 0]: r = 1/sqrt(3), stepped up.
    const double r = 1 / std::sqrt(3.0);
    REQUIRE(f.split_half);
    CHECK(*f.split_half == Approx(2 * r / (1 + r)));
    // One benchmark, no families: these need more than the study has.
    CHECK_FALSE(f.interaction_sd);
    CHECK_FALSE(f.rank_correlation);
    CHECK_FALSE(f.family_effect);
    REQUIRE(f.predictability.size() == 1);
    CHECK_FALSE(f.predictability[0].auc);
    CHECK_FALSE(f.predictability[0].why_not.empty());
    CHECK(f.router_why_not == "not run");
}

TEST_CASE("fingerprint: distinct texts, near twins and the type-token ratio of a benchmark", "[fingerprint]") {
    const study s = imported(
        ",sample_id,prompt,eval_name,m1,m1|model_response\n"
        "0,q1,alpha beta gamma delta,arc,1,The answer is 12\n"
        "1,q2,alpha beta gamma delta,arc,1,The answer is 7\n"
        "2,q3,completely different words here,arc,0,Perhaps C\n"
        "3,q4,other unrelated tokens entirely,arc,1,I cannot say\n");
    const study_index index(s);
    const benchmark_texts t = describe_texts(s, 0, index, corrected_protocol(s), quick());
    CHECK(t.queries == 4);
    CHECK(t.distinct_share == Approx(0.75));
    CHECK(t.near_twin_share == Approx(0.5));  // q1 and q2 are each other's twin
    CHECK(t.near_twin_sample == 4);
    CHECK(t.tokens == 16);
    CHECK(t.type_token_ratio == Approx(12.0 / 16));  // one window, shorter than 5,000 tokens
    CHECK(t.query_words_mean == Approx(4.0));
    CHECK(t.query_words_cv == Approx(0));
    // Answers of 4, 4, 2 and 3 words; "The answer is #" twice once numbers are masked.
    CHECK(t.answer_words_mean == Approx(13.0 / 4));
    CHECK(t.answer_distinct_share == Approx(0.75));
}

// The fingerprint of the imported RouterBench subset against this test's own reading of
// the six CSV files: outcomes per row, per model, per benchmark, and the prompts.
TEST_CASE("fingerprint: the RouterBench subset agrees with figures computed from the CSV", "[fingerprint][fixtures]") {
    const std::vector<fs::path> paths = routerbench_fixture_files();
    if (paths.empty()) return;
    std::vector<std::string> contents;
    contents.reserve(paths.size());
    std::vector<import::source_file> files;
    std::vector<std::string> models;
    std::vector<std::size_t> solved_by;
    std::map<std::string, std::pair<double, std::size_t>> model_score;  // sum, present
    std::map<std::string, std::pair<std::set<std::string>, std::size_t>> prompts;  // per eval_name
    double oracle_sum = 0;
    std::size_t with_outcome = 0;
    double agree[2][2] = {{0, 0}, {0, 0}};  // first two models, both present
    for (const auto& path : paths) {
        contents.push_back(read_file(path));
        files.push_back({path.string(), contents.back()});
        const auto rows = csv_rows(contents.back());
        const auto& header = rows[0];
        std::vector<std::size_t> score_columns;
        std::size_t prompt = 0, eval = 0;
        for (std::size_t c = 0; c < header.size(); ++c) {
            const std::string& h = header[c];
            if (h == "prompt") prompt = c;
            else if (h == "eval_name") eval = c;
            else if (!h.empty() && h != "sample_id" && h != "oracle_model_to_route_to" && !contains(h, "|"))
                score_columns.push_back(c);
        }
        if (models.empty())
            for (std::size_t c : score_columns) models.push_back(header[c]);
        if (solved_by.empty()) solved_by.assign(score_columns.size() + 1, 0);
        for (std::size_t row = 1; row < rows.size(); ++row) {
            const auto& cells = rows[row];
            auto& [texts, count] = prompts[cells[eval]];
            texts.insert(cells[prompt]);
            ++count;
            std::size_t present = 0, right = 0;
            for (std::size_t c : score_columns) {
                if (cells[c].empty()) continue;
                const bool ok = std::stod(cells[c]) >= 0.5;
                ++present;
                right += ok;
                model_score[header[c]].first += std::stod(cells[c]);
                ++model_score[header[c]].second;
            }
            const std::string& a = cells[score_columns[0]];
            const std::string& b = cells[score_columns[1]];
            if (!a.empty() && !b.empty()) agree[std::stod(a) >= 0.5][std::stod(b) >= 0.5] += 1;
            if (!present) continue;
            ++with_outcome;
            ++solved_by[right];
            oracle_sum += right > 0;
        }
    }
    const study s = import::import_sources(files, {}).study;
    const study_index index(s);
    feature_cache features(s);
    fingerprint_options options;
    const study_fingerprint f = fingerprint(s, index, corrected_protocol(s), features, options);

    CHECK(f.queries == with_outcome);
    CHECK(f.solved_by == solved_by);
    CHECK(f.oracle == Approx(oracle_sum / double(with_outcome)).epsilon(1e-12));
    double best = 0;
    std::string best_model;
    for (const std::string& m : models) {
        const double accuracy = model_score[m].first / double(model_score[m].second);
        if (accuracy > best) best = accuracy, best_model = m;
    }
    CHECK(f.best_single == Approx(best).epsilon(1e-12));
    CHECK(f.best_model == best_model);
    // Cohen's kappa of the first two model columns.
    const double n = agree[0][0] + agree[0][1] + agree[1][0] + agree[1][1];
    const double observed = (agree[0][0] + agree[1][1]) / n;
    const double first = (agree[1][0] + agree[1][1]) / n, second = (agree[0][1] + agree[1][1]) / n;
    const double chance = first * second + (1 - first) * (1 - second);
    const auto m0 = std::find(f.models.begin(), f.models.end(), models[0]) - f.models.begin();
    const auto m1 = std::find(f.models.begin(), f.models.end(), models[1]) - f.models.begin();
    CHECK(f.kappa[m0 * f.models.size() + m1] == Approx((observed - chance) / (1 - chance)).epsilon(1e-9));
    REQUIRE(f.texts.size() == prompts.size());
    for (const benchmark_texts& t : f.texts) {
        INFO(t.benchmark);
        REQUIRE(prompts.count(t.benchmark) == 1);
        const auto& [texts, count] = prompts[t.benchmark];
        CHECK(t.queries == count);
        CHECK(t.distinct_share == Approx(double(texts.size()) / double(count)).epsilon(1e-12));
    }
    // Real pools: models rank differently across benchmarks, and a router has a choice.
    REQUIRE(f.interaction_sd);
    CHECK(*f.interaction_sd > 0.1);
    REQUIRE(f.rank_correlation);
    CHECK(*f.rank_correlation < 0.9);
    REQUIRE(f.router_top_share);
    CHECK(*f.router_top_share > 0.3);
    CHECK(*f.router_top_share <= 1.0);
    for (const auto& p : f.predictability)
        if (p.auc) CHECK((*p.auc > 0.3 && *p.auc < 0.95));
}
