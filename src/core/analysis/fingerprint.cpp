// The study's fingerprint (fingerprint.h): outcomes, answers, predictability, collapse.
#include "core/analysis/fingerprint.h"
#include "core/analysis/claims.h"
#include "core/analysis/judge_bias.h"
#include "core/base/det_math.h"
#include "core/base/rng.h"
#include "core/features/tfidf.h"
#include "core/grading/extract.h"
#include "core/labels/summary.h"
#include "core/routing/evaluate.h"
#include "core/routing/logistic.h"

#include <nlohmann/json.hpp>
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <numeric>
#include <stdexcept>

namespace headroom {

namespace {

constexpr double not_a_number = std::numeric_limits<double>::quiet_NaN();

bool solved(const label_matrix& labels, std::size_t q, std::size_t m) { return labels.at(q, m) >= 0.5; }

double mean_of_defined(std::span<const double> values) {
    double sum = 0;
    std::size_t n = 0;
    for (double v : values)
        if (!std::isnan(v)) sum += v, ++n;
    return n ? sum / static_cast<double>(n) : not_a_number;
}

// Ranks from 1, ties given their mean rank.
std::vector<double> ranks(std::span<const double> values) {
    std::vector<std::size_t> order(values.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return values[a] < values[b]; });
    std::vector<double> rank(values.size());
    for (std::size_t i = 0; i < order.size();) {
        std::size_t j = i;
        while (j + 1 < order.size() && values[order[j + 1]] == values[order[i]]) ++j;
        const double mean_rank = (static_cast<double>(i) + static_cast<double>(j)) / 2.0 + 1.0;
        for (std::size_t k = i; k <= j; ++k) rank[order[k]] = mean_rank;
        i = j + 1;
    }
    return rank;
}

struct outcome_cells {
    std::vector<double> accuracy;  // models x benchmarks, NaN where a model has no outcome
    std::vector<std::size_t> count;
};

outcome_cells per_benchmark_accuracy(const study& s, const label_matrix& labels) {
    const std::size_t M = labels.models, B = s.benchmarks.size();
    outcome_cells c;
    c.accuracy.assign(M * B, 0.0);
    c.count.assign(M * B, 0);
    for (std::size_t q = 0; q < labels.queries; ++q)
        for (std::size_t m = 0; m < M; ++m)
            if (labels.has(q, m)) {
                const std::size_t cell = m * B + s.queries[q].benchmark;
                c.accuracy[cell] += labels.at(q, m);
                ++c.count[cell];
            }
    for (std::size_t cell = 0; cell < M * B; ++cell)
        c.accuracy[cell] = c.count[cell] ? c.accuracy[cell] / static_cast<double>(c.count[cell]) : not_a_number;
    return c;
}

void pairwise(const label_matrix& labels, study_fingerprint& f) {
    const std::size_t M = labels.models;
    f.kappa.assign(M * M, not_a_number);
    f.right_given_wrong.assign(M * M, not_a_number);
    std::vector<double> kappas;
    for (std::size_t a = 0; a < M; ++a)
        for (std::size_t b = 0; b < M; ++b) {
            if (a == b) continue;
            double both = 0, first_only = 0, second_only = 0, neither = 0;
            for (std::size_t q = 0; q < labels.queries; ++q) {
                if (!labels.has(q, a) || !labels.has(q, b)) continue;
                const bool ra = solved(labels, q, a), rb = solved(labels, q, b);
                both += ra && rb;
                first_only += ra && !rb;
                second_only += !ra && rb;
                neither += !ra && !rb;
            }
            if (second_only + neither > 0) f.right_given_wrong[a * M + b] = second_only / (second_only + neither);
            if (a < b) {
                const double k = both + first_only + second_only + neither > 0
                                     ? cohen_kappa(both, first_only, second_only, neither)
                                     : not_a_number;
                f.kappa[a * M + b] = f.kappa[b * M + a] = k;
                if (!std::isnan(k)) kappas.push_back(k);
            }
        }
    f.kappa_mean = mean_of_defined(kappas);
    double squares = 0;
    for (double k : kappas) squares += (k - f.kappa_mean) * (k - f.kappa_mean);
    f.kappa_sd = kappas.empty() ? not_a_number : det_math::sqrt(squares / static_cast<double>(kappas.size()));
}

// Mean correlation of residuals within families minus across them (fingerprint.h).
std::optional<double> family_effect(const study& s, const label_matrix& labels, const outcome_cells& cells) {
    const std::size_t M = labels.models, B = s.benchmarks.size(), Q = labels.queries;
    std::vector<double> residual(Q * M, not_a_number);
    for (std::size_t q = 0; q < Q; ++q) {
        double sum = 0;
        std::size_t n = 0;
        for (std::size_t m = 0; m < M; ++m)
            if (labels.has(q, m)) {
                residual[q * M + m] = labels.at(q, m) - cells.accuracy[m * B + s.queries[q].benchmark];
                sum += residual[q * M + m];
                ++n;
            }
        for (std::size_t m = 0; m < M && n; ++m)
            if (labels.has(q, m)) residual[q * M + m] -= sum / static_cast<double>(n);
    }
    std::vector<double> within, across;
    std::vector<double> xa, xb;
    for (std::size_t a = 0; a < M; ++a)
        for (std::size_t b = a + 1; b < M; ++b) {
            xa.clear();
            xb.clear();
            for (std::size_t q = 0; q < Q; ++q)
                if (labels.has(q, a) && labels.has(q, b)) {
                    xa.push_back(residual[q * M + a]);
                    xb.push_back(residual[q * M + b]);
                }
            const double r = pearson(xa, xb);
            if (std::isnan(r)) continue;
            const bool same = !s.models[a].family.empty() && s.models[a].family == s.models[b].family;
            (same ? within : across).push_back(r);
        }
    if (within.empty() || across.empty()) return std::nullopt;
    return mean_of_defined(within) - mean_of_defined(across);
}

std::optional<double> split_half(const label_matrix& labels) {
    if (labels.models < 2) return std::nullopt;
    std::vector<double> even, odd;
    for (std::size_t q = 0; q < labels.queries; ++q) {
        double sum[2] = {0, 0};
        std::size_t n[2] = {0, 0};
        for (std::size_t m = 0; m < labels.models; ++m)
            if (labels.has(q, m)) sum[m % 2] += labels.at(q, m), ++n[m % 2];
        if (!n[0] || !n[1]) continue;
        even.push_back(sum[0] / static_cast<double>(n[0]));
        odd.push_back(sum[1] / static_cast<double>(n[1]));
    }
    const double r = pearson(even, odd);
    if (std::isnan(r) || r <= -1) return std::nullopt;
    return 2 * r / (1 + r);
}

std::optional<double> rank_correlation(const outcome_cells& cells, std::size_t M, std::size_t B) {
    std::vector<double> rhos;
    for (std::size_t b1 = 0; b1 < B; ++b1)
        for (std::size_t b2 = b1 + 1; b2 < B; ++b2) {
            std::vector<double> x, y;
            for (std::size_t m = 0; m < M; ++m)
                if (cells.count[m * B + b1] && cells.count[m * B + b2]) {
                    x.push_back(cells.accuracy[m * B + b1]);
                    y.push_back(cells.accuracy[m * B + b2]);
                }
            if (x.size() < 3) continue;
            const double rho = spearman(x, y);
            if (!std::isnan(rho)) rhos.push_back(rho);
        }
    if (rhos.empty()) return std::nullopt;
    return mean_of_defined(rhos);
}

std::optional<double> interaction_sd(const outcome_cells& cells, std::size_t M, std::size_t B) {
    std::vector<double> logits(M * B, not_a_number);
    for (std::size_t cell = 0; cell < M * B; ++cell) {
        if (!cells.count[cell]) continue;
        // Half a query off the edge, so an all-right or all-wrong cell has a finite logit.
        const double n = static_cast<double>(cells.count[cell]);
        const double p = std::clamp(cells.accuracy[cell], 0.5 / n, 1 - 0.5 / n);
        logits[cell] = det_math::log(p / (1 - p));
    }
    const double sd = two_way_residual_sd(logits, M, B);
    if (std::isnan(sd)) return std::nullopt;
    return sd;
}

void answer_habits(const study& s, const study_index& index, const protocol& p, study_fingerprint& f) {
    std::size_t letters = 0;
    for (const auto& q : s.queries)
        if (s.benchmarks[q.benchmark].kind == task_kind::mcq) letters = std::max(letters, std::min<std::size_t>(q.options.size(), 26));
    for (std::uint16_t m = 0; m < s.models.size(); ++m) {
        model_habits h;
        h.model = s.models[m].id;
        h.letter_share.assign(letters, 0.0);
        std::size_t non_answers = 0;
        if (!s.info.texts_omitted)
            for (std::uint32_t q = 0; q < s.queries.size(); ++q) {
                const query& query = s.queries[q];
                const task_kind kind = s.benchmarks[query.benchmark].kind;
                if (kind != task_kind::mcq && kind != task_kind::numeric) continue;
                for (std::uint32_t g : index.samples(q, m, p.budget)) {
                    ++h.answers_read;
                    const extraction e = extract_lenient(kind, s.generations.text[g], query.options);
                    if (!e.found || s.generations.finish[g] == finish_reason::content_filter) {
                        ++non_answers;
                        continue;
                    }
                    if (kind == task_kind::mcq && !e.answer.empty()) {
                        const auto letter = static_cast<std::size_t>(e.answer[0] - 'A');
                        if (letter < letters) h.letter_share[letter] += 1, ++h.mcq_answers;
                    }
                }
            }
        for (double& share : h.letter_share) share = h.mcq_answers ? share / static_cast<double>(h.mcq_answers) : 0;
        h.non_answer_rate = h.answers_read ? static_cast<double>(non_answers) / static_cast<double>(h.answers_read) : not_a_number;
        f.habits.push_back(std::move(h));
    }
}

// Cross-validated AUC of TF-IDF + logistic regression predicting that the benchmark's
// best model fails, from the query text alone.
benchmark_predictability predictability(const study& s, std::uint32_t b, const study_index& index,
                                        const label_matrix& labels, const outcome_cells& cells,
                                        const fingerprint_options& options) {
    benchmark_predictability out;
    out.benchmark = s.benchmarks[b].id;
    const std::size_t M = labels.models, B = s.benchmarks.size();
    std::size_t best = M;
    for (std::size_t m = 0; m < M; ++m)
        if (cells.count[m * B + b] && (best == M || cells.accuracy[m * B + b] > cells.accuracy[best * B + b])) best = m;
    if (best == M) {
        out.why_not = "no model has an outcome here";
        return out;
    }
    out.best_model = s.models[best].id;
    std::vector<std::uint32_t> rows;
    std::vector<std::string> documents;
    std::vector<char> fails;
    for (std::uint32_t q : index.queries_of_benchmark(b))
        if (labels.has(q, best)) {
            rows.push_back(q);
            documents.push_back(query_document(s.queries[q]));
            fails.push_back(!solved(labels, q, best));
        }
    out.queries = rows.size();
    out.best_fails = static_cast<std::size_t>(std::count(fails.begin(), fails.end(), char{1}));
    const auto folds = static_cast<std::size_t>(std::max(2, options.folds));
    if (out.best_fails < folds || out.queries - out.best_fails < folds) {
        out.why_not = "fewer than " + std::to_string(folds) + " queries the best model fails or solves";
        return out;
    }
    const tokenized_corpus corpus = tokenize_corpus(documents);
    std::vector<std::uint32_t> order(rows.size());
    std::iota(order.begin(), order.end(), 0u);
    rng draw(derive_seed(options.seed, "fingerprint-folds", b));
    draw.shuffle(std::span<std::uint32_t>(order));
    std::vector<std::size_t> fold_of(rows.size());
    for (std::size_t i = 0; i < order.size(); ++i) fold_of[order[i]] = i % folds;

    std::vector<double> score(rows.size(), 0.0);
    for (std::size_t k = 0; k < folds; ++k) {
        std::vector<std::uint32_t> train;
        for (std::uint32_t i = 0; i < rows.size(); ++i)
            if (fold_of[i] != k) train.push_back(i);
        const tfidf_options tfidf;
        const csr_matrix x = transform_tfidf(fit_tfidf(corpus, train, tfidf), corpus, tfidf);
        csr_matrix x_train;
        x_train.cols = x.cols;
        std::vector<double> y;
        for (std::uint32_t i : train) {
            x_train.push_row(x.row_cols(i), x.row_values(i));
            y.push_back(fails[i] ? 1.0 : 0.0);
        }
        const logistic_model model = fit_logistic(x_train, y);
        for (std::uint32_t i = 0; i < rows.size(); ++i)
            if (fold_of[i] == k) score[i] = model.probability(x, i);
    }
    out.auc = roc_auc(score, fails);
    return out;
}

void router_collapse(const study& s, const study_index& index, const protocol& p, feature_cache& features,
                     study_fingerprint& f) {
    try {
        const route_report r = evaluate_route(s, index, router_kind::logistic, p, p, claim_router_options(), features);
        for (const policy_result& result : r.evaluation.policies) {
            if (result.policy.kind != policy_kind::argmax || result.policy.variant != policy_variant::described) continue;
            f.router_top_share = result.overall.top_share;
            f.router_top_model = s.models[result.overall.top_model].id;
            for (const routing_metrics& m : result.per_benchmark)
                f.router_top_share_per_benchmark.push_back(m.queries ? m.top_share : not_a_number);
            return;
        }
        f.router_why_not = "the evaluation has no argmax policy";
    } catch (const std::exception& e) {
        f.router_why_not = e.what();
    }
}

} // namespace

double pearson(std::span<const double> a, std::span<const double> b) {
    const std::size_t n = std::min(a.size(), b.size());
    if (n < 2) return not_a_number;
    double ma = 0, mb = 0;
    for (std::size_t i = 0; i < n; ++i) ma += a[i], mb += b[i];
    ma /= static_cast<double>(n);
    mb /= static_cast<double>(n);
    double sab = 0, saa = 0, sbb = 0;
    for (std::size_t i = 0; i < n; ++i) {
        sab += (a[i] - ma) * (b[i] - mb);
        saa += (a[i] - ma) * (a[i] - ma);
        sbb += (b[i] - mb) * (b[i] - mb);
    }
    if (saa <= 0 || sbb <= 0) return not_a_number;
    return sab / det_math::sqrt(saa * sbb);
}

double spearman(std::span<const double> a, std::span<const double> b) {
    const std::vector<double> ra = ranks(a), rb = ranks(b);
    return pearson(ra, rb);
}

double roc_auc(std::span<const double> score, std::span<const char> positive) {
    const std::vector<double> rank = ranks(score);
    double positive_ranks = 0;
    std::size_t positives = 0;
    for (std::size_t i = 0; i < rank.size(); ++i)
        if (positive[i]) positive_ranks += rank[i], ++positives;
    const std::size_t negatives = rank.size() - positives;
    if (!positives || !negatives) return not_a_number;
    const double p = static_cast<double>(positives), n = static_cast<double>(negatives);
    return (positive_ranks - p * (p + 1) / 2) / (p * n);
}

double two_way_residual_sd(std::span<const double> cells, std::size_t rows, std::size_t cols) {
    std::size_t filled = 0;
    std::vector<char> row_used(rows, 0), col_used(cols, 0);
    for (std::size_t r = 0; r < rows; ++r)
        for (std::size_t c = 0; c < cols; ++c)
            if (!std::isnan(cells[r * cols + c])) ++filled, row_used[r] = col_used[c] = 1;
    const auto used_rows = static_cast<std::size_t>(std::count(row_used.begin(), row_used.end(), char{1}));
    const auto used_cols = static_cast<std::size_t>(std::count(col_used.begin(), col_used.end(), char{1}));
    if (used_rows < 2 || used_cols < 2 || filled <= used_rows + used_cols - 1) return not_a_number;
    // Alternating least squares: exact in one pass for a full table (the effects are
    // the row and column means), converging for one with empty cells.
    std::vector<double> row_effect(rows, 0.0), col_effect(cols, 0.0);
    for (int pass = 0; pass < 200; ++pass) {
        double change = 0;
        for (std::size_t r = 0; r < rows; ++r) {
            double sum = 0;
            std::size_t n = 0;
            for (std::size_t c = 0; c < cols; ++c)
                if (!std::isnan(cells[r * cols + c])) sum += cells[r * cols + c] - col_effect[c], ++n;
            if (!n) continue;
            const double next = sum / static_cast<double>(n);
            change = std::max(change, std::abs(next - row_effect[r]));
            row_effect[r] = next;
        }
        for (std::size_t c = 0; c < cols; ++c) {
            double sum = 0;
            std::size_t n = 0;
            for (std::size_t r = 0; r < rows; ++r)
                if (!std::isnan(cells[r * cols + c])) sum += cells[r * cols + c] - row_effect[r], ++n;
            if (!n) continue;
            const double next = sum / static_cast<double>(n);
            change = std::max(change, std::abs(next - col_effect[c]));
            col_effect[c] = next;
        }
        if (change < 1e-12) break;
    }
    double squares = 0;
    for (std::size_t r = 0; r < rows; ++r)
        for (std::size_t c = 0; c < cols; ++c)
            if (!std::isnan(cells[r * cols + c])) {
                const double e = cells[r * cols + c] - row_effect[r] - col_effect[c];
                squares += e * e;
            }
    return det_math::sqrt(squares / static_cast<double>(filled - (used_rows + used_cols - 1)));
}

study_fingerprint fingerprint(const study& s, const study_index& index, const protocol& p, feature_cache& features,
                              const fingerprint_options& options) {
    study_fingerprint f;
    f.study = s.info.name;
    f.p = p;
    for (const auto& m : s.models) f.models.push_back(m.id);
    for (const auto& b : s.benchmarks) f.benchmarks.push_back(b.id);
    const label_matrix labels = compute_labels(s, index, p);
    const std::size_t M = labels.models, B = s.benchmarks.size();
    f.missing = labels.missing;

    f.solved_by.assign(M + 1, 0);
    for (std::size_t q = 0; q < labels.queries; ++q) {
        std::size_t outcomes = 0, right = 0;
        for (std::size_t m = 0; m < M; ++m)
            if (labels.has(q, m)) ++outcomes, right += solved(labels, q, m);
        if (!outcomes) continue;
        ++f.queries;
        ++f.solved_by[right];
    }
    const headroom_summary summary = summarize(labels, all_rows(labels));
    if (M) f.best_model = s.models[summary.best_model].id;
    f.best_single = summary.best_single;
    f.oracle = summary.oracle;
    f.oracle_minus_best = summary.headroom;

    pairwise(labels, f);
    std::vector<double> others;
    for (std::size_t b = 0; b < M; ++b)
        if (b != summary.best_model) others.push_back(f.right_given_wrong[summary.best_model * M + b]);
    f.best_fails_others_right = mean_of_defined(others);

    const outcome_cells cells = per_benchmark_accuracy(s, labels);
    f.interaction_sd = interaction_sd(cells, M, B);
    f.rank_correlation = rank_correlation(cells, M, B);
    f.family_effect = family_effect(s, labels, cells);
    f.split_half = split_half(labels);

    answer_habits(s, index, p, f);
    for (std::uint32_t b = 0; b < B; ++b) f.texts.push_back(describe_texts(s, b, index, p, options));
    f.generation_texts = !s.info.texts_omitted;
    for (std::uint32_t b = 0; b < B; ++b) f.predictability.push_back(predictability(s, b, index, labels, cells, options));
    if (options.router) router_collapse(s, index, p, features, f);
    else f.router_why_not = "not run";
    return f;
}

namespace {

nlohmann::ordered_json number(double v) { return std::isnan(v) ? nlohmann::ordered_json() : nlohmann::ordered_json(v); }
nlohmann::ordered_json number(const std::optional<double>& v) { return v ? number(*v) : nlohmann::ordered_json(); }

nlohmann::ordered_json square(std::span<const double> values, std::size_t n) {
    auto out = nlohmann::ordered_json::array();
    for (std::size_t a = 0; a < n; ++a) {
        auto row = nlohmann::ordered_json::array();
        for (std::size_t b = 0; b < n; ++b) row.push_back(number(values[a * n + b]));
        out.push_back(row);
    }
    return out;
}

std::string figure(double v, int decimals = 3) {
    if (std::isnan(v)) return "-";
    char text[32];
    std::snprintf(text, sizeof text, "%.*f", decimals, v);
    return text;
}
std::string figure(const std::optional<double>& v, int decimals = 3) { return v ? figure(*v, decimals) : "-"; }
std::string percent(double share) { return std::isnan(share) ? "-" : figure(100 * share, 1) + "%"; }

} // namespace

nlohmann::ordered_json to_json(const study_fingerprint& f) {
    nlohmann::ordered_json j;
    j["study"] = f.study;
    j["protocol"] = describe(f.p);
    j["models"] = f.models;
    j["benchmarks"] = f.benchmarks;
    j["queries"] = f.queries;
    j["missing_pairs"] = f.missing;
    j["solved_by"] = f.solved_by;
    j["best_model"] = f.best_model;
    j["best_single"] = f.best_single;
    j["oracle"] = f.oracle;
    j["oracle_minus_best"] = f.oracle_minus_best;
    j["kappa"] = {{"mean", number(f.kappa_mean)}, {"sd", number(f.kappa_sd)}, {"matrix", square(f.kappa, f.models.size())}};
    j["right_given_wrong"] = {{"best_fails_others_right", number(f.best_fails_others_right)},
                              {"matrix", square(f.right_given_wrong, f.models.size())}};
    j["interaction_sd"] = number(f.interaction_sd);
    j["rank_correlation"] = number(f.rank_correlation);
    j["family_effect"] = number(f.family_effect);
    j["split_half"] = number(f.split_half);
    auto habits = nlohmann::ordered_json::array();
    for (const auto& h : f.habits)
        habits.push_back({{"model", h.model},
                          {"letter_share", h.letter_share},
                          {"mcq_answers", h.mcq_answers},
                          {"non_answer_rate", number(h.non_answer_rate)},
                          {"answers_read", h.answers_read}});
    j["generation_texts"] = f.generation_texts;
    j["answers"] = habits;
    auto texts = nlohmann::ordered_json::array();
    for (const auto& t : f.texts)
        texts.push_back({{"benchmark", t.benchmark},
                         {"queries", t.queries},
                         {"distinct_share", t.distinct_share},
                         {"near_twin_share", t.near_twin_share},
                         {"near_twin_sample", t.near_twin_sample},
                         {"type_token_ratio", number(t.type_token_ratio)},
                         {"tokens", t.tokens},
                         {"query_words", {{"mean", number(t.query_words_mean)}, {"cv", number(t.query_words_cv)}}},
                         {"answer_words", {{"mean", number(t.answer_words_mean)}, {"cv", number(t.answer_words_cv)}}},
                         {"answer_distinct_share", number(t.answer_distinct_share)}});
    j["texts"] = texts;
    auto predictability = nlohmann::ordered_json::array();
    for (const auto& p : f.predictability) {
        nlohmann::ordered_json row{{"benchmark", p.benchmark},
                                   {"best_model", p.best_model},
                                   {"queries", p.queries},
                                   {"best_fails", p.best_fails},
                                   {"auc", number(p.auc)}};
        if (!p.why_not.empty()) row["why_not"] = p.why_not;
        predictability.push_back(row);
    }
    j["best_fails_auc"] = predictability;
    nlohmann::ordered_json router{{"router", "logistic"}, {"policy", "argmax"}, {"top_share", number(f.router_top_share)}};
    if (f.router_top_share) {
        router["top_model"] = f.router_top_model;
        auto per = nlohmann::ordered_json::array();
        for (double v : f.router_top_share_per_benchmark) per.push_back(number(v));
        router["top_share_per_benchmark"] = per;
    } else {
        router["why_not"] = f.router_why_not;
    }
    j["collapse"] = router;
    return j;
}

std::string to_text(const study_fingerprint& f) {
    std::string out = "Fingerprint of " + f.study + " under " + describe(f.p) + "\n";
    out += std::to_string(f.queries) + " queries with an outcome, " + std::to_string(f.models.size()) + " models, " +
           std::to_string(f.missing) + " pairs without an outcome\n\n";
    out += "outcomes\n";
    out += "  best single " + percent(f.best_single) + " (" + f.best_model + "), oracle " + percent(f.oracle) +
           ", oracle minus best " + figure(100 * f.oracle_minus_best, 1) + " points\n";
    out += "  solved by k models:";
    for (std::size_t k = 0; k < f.solved_by.size(); ++k)
        out += " " + std::to_string(k) + ":" + percent(f.queries ? double(f.solved_by[k]) / double(f.queries) : 0);
    out += "\n  kappa between models: mean " + figure(f.kappa_mean) + ", sd " + figure(f.kappa_sd) + "\n";
    out += "  when the best model fails, another is right: " + figure(f.best_fails_others_right) + "\n";
    out += "  model x benchmark interaction (sd, logits): " + figure(f.interaction_sd) + "\n";
    out += "  rank correlation of models across benchmarks: " + figure(f.rank_correlation) + "\n";
    out += "  family effect (residual correlation within minus across): " + figure(f.family_effect) + "\n";
    out += "  split-half reliability of per-query solve rates: " + figure(f.split_half) + "\n\n";
    out += "answers (lenient extraction at the protocol's budget)\n";
    if (!f.generation_texts) out += "  (not measured: the study was packed without its generation texts)\n";
    else for (const auto& h : f.habits) {
        if (!h.answers_read) {
            out += "  " + h.model + ": no multiple-choice or numeric generations\n";
            continue;
        }
        out += "  " + h.model + ": non-answers " + percent(h.non_answer_rate);
        if (h.mcq_answers) {
            out += ", letters";
            for (std::size_t l = 0; l < h.letter_share.size(); ++l)
                out += std::string(" ") + char('A' + l) + ":" + percent(h.letter_share[l]);
        }
        out += "\n";
    }
    out += "\ntexts per benchmark\n";
    for (const auto& t : f.texts) {
        out += "  " + t.benchmark + ": " + std::to_string(t.queries) + " queries, distinct " + percent(t.distinct_share) +
               ", near twins " + percent(t.near_twin_share) +
               (t.near_twin_sample < t.queries ? " (on " + std::to_string(t.near_twin_sample) + " sampled)" : "") +
               ", type-token ratio " + figure(t.type_token_ratio) + "\n";
        out += "    query words " + figure(t.query_words_mean, 1) + " (cv " + figure(t.query_words_cv, 2) +
               "), answer words " + figure(t.answer_words_mean, 1) + " (cv " + figure(t.answer_words_cv, 2) +
               "), distinct answers " + percent(t.answer_distinct_share) + "\n";
    }
    out += "\ntext predicts that the best model fails (cross-validated AUC)\n";
    for (const auto& p : f.predictability)
        out += "  " + p.benchmark + ": " + (p.auc ? figure(p.auc) : "- (" + p.why_not + ")") +
               (p.best_model.empty() ? "" : ", best " + p.best_model + " fails " + std::to_string(p.best_fails) + " of " +
                                                std::to_string(p.queries)) +
               "\n";
    out += "\ncollapse: logistic router, argmax policy\n";
    if (f.router_top_share) {
        out += "  " + percent(*f.router_top_share) + " of test queries to " + f.router_top_model + "\n";
        for (std::size_t b = 0; b < f.router_top_share_per_benchmark.size(); ++b)
            out += "    " + f.benchmarks[b] + ": " + percent(f.router_top_share_per_benchmark[b]) + "\n";
    } else {
        out += "  not measured: " + f.router_why_not + "\n";
    }
    return out;
}

} // namespace headroom
