#include "core/analysis/judge_bias.h"

#include "core/base/rng.h"
#include "core/grading/judge.h"
#include "core/study/judge_grades.h"

#include <nlohmann/json.hpp>
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <stdexcept>

namespace headroom {

namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

// Per query, the sums every measure is computed from, so that a bootstrap resample
// of queries only adds rows. Per judge:
enum judge_sum : std::size_t {
    correct_n, correct_x, correct_xx, correct_y, correct_xy,  // x = length / 100, y = pass
    wrong_n, wrong_x, wrong_xx, wrong_y, wrong_xy,
    concise_correct_n, concise_correct_k, other_correct_n, other_correct_k,
    verbose_wrong_n, verbose_wrong_k, other_wrong_n, other_wrong_k,
    pass_correct, pass_wrong, fail_correct, fail_wrong,        // against exact match
    judge_sums
};
// Per pair of judges: both pass, first only, second only, neither.
constexpr std::size_t pair_sums = 4;
// Statistics per judge and per pair, in this order.
constexpr std::size_t judge_stats = 10, pair_stats = 2;

double slope(double n, double x, double xx, double y, double xy) {
    const double spread = xx - x * x / n;
    if (n < 2 || !(spread > 0)) return nan;
    return (xy - x * y / n) / spread;
}

double ratio(double k, double n) { return n > 0 ? k / n : nan; }

std::vector<double> statistics(const std::vector<double>& sum, std::size_t judges, std::size_t pairs) {
    std::vector<double> out;
    for (std::size_t j = 0; j < judges; ++j) {
        const double* v = sum.data() + j * judge_sums;
        out.push_back(slope(v[correct_n], v[correct_x], v[correct_xx], v[correct_y], v[correct_xy]));
        out.push_back(slope(v[wrong_n], v[wrong_x], v[wrong_xx], v[wrong_y], v[wrong_xy]));
        const double cc = ratio(v[concise_correct_k], v[concise_correct_n]);
        const double oc = ratio(v[other_correct_k], v[other_correct_n]);
        const double vw = ratio(v[verbose_wrong_k], v[verbose_wrong_n]);
        const double ow = ratio(v[other_wrong_k], v[other_wrong_n]);
        out.push_back(cc);
        out.push_back(oc);
        out.push_back(vw);
        out.push_back(ow);
        out.push_back(oc > 0 ? 1.0 - cc / oc : nan);
        out.push_back(ow < 1 ? (vw - ow) / (1.0 - ow) : nan);
        const double n = v[pass_correct] + v[pass_wrong] + v[fail_correct] + v[fail_wrong];
        out.push_back(ratio(v[pass_correct] + v[fail_wrong], n));
        out.push_back(cohen_kappa(v[pass_correct], v[pass_wrong], v[fail_correct], v[fail_wrong]));
    }
    for (std::size_t p = 0; p < pairs; ++p) {
        const double* v = sum.data() + judges * judge_sums + p * pair_sums;
        out.push_back(ratio(v[0] + v[3], v[0] + v[1] + v[2] + v[3]));
        out.push_back(cohen_kappa(v[0], v[1], v[2], v[3]));
    }
    return out;
}

} // namespace

double cohen_kappa(double both, double first_only, double second_only, double neither) {
    const double n = both + first_only + second_only + neither;
    if (n <= 0) return nan;
    const double observed = (both + neither) / n;
    const double first = (both + first_only) / n, second = (both + second_only) / n;
    const double chance = first * second + (1 - first) * (1 - second);
    if (chance >= 1) return nan;
    return (observed - chance) / (1 - chance);
}

judge_bias_report measure_judge_bias(const study& s, const judge_bias_options& options) {
    judge_bias_report r;
    r.study = s.info.name;
    r.options = options;
    const auto budgets = s.budgets();
    if (budgets.empty()) throw std::invalid_argument("the study has no generations");
    r.budget = options.budget.value_or(budgets.back());
    if (!std::binary_search(budgets.begin(), budgets.end(), r.budget))
        throw std::invalid_argument("the study has no generations at budget " + std::to_string(r.budget));

    // The judges with grades, and each one's scale (from its replies).
    const auto& t = s.grades;
    const auto& g = s.generations;
    std::vector<std::vector<std::int32_t>> judge_rows;
    std::vector<judge_scale> scales;
    for (const graded_judge& j : graded_judges(s)) {
        r.judges.push_back({});
        r.judges.back().judge = s.judgments.judges[j.judge];
        judge_rows.push_back(grade_rows(t, j.grader, g.size()));
        scales.push_back(j.scale);
    }
    if (r.judges.empty()) throw std::invalid_argument("the study has no judge grades (run `headroom grade`)");
    const std::size_t judges = r.judges.size();
    for (std::size_t a = 0; a < judges; ++a)
        for (std::size_t b = a + 1; b < judges; ++b) r.pairs.push_back({r.judges[a].judge, r.judges[b].judge, {}});
    const std::size_t pairs = r.pairs.size();

    const auto lenient = t.find_grader("lenient");
    const auto exec = t.find_grader("exec:lenient");
    const auto none = std::vector<std::int32_t>(g.size(), -1);
    const auto lenient_rows = lenient ? grade_rows(t, *lenient, g.size()) : none;
    const auto exec_rows = exec ? grade_rows(t, *exec, g.size()) : none;

    // Each generation of the population: its query, length, correctness (-1 unknown)
    // and each judge's verdict (1 pass, 0 fail, -1 none).
    struct item {
        std::uint32_t query;
        double length;
        int correct;
    };
    std::vector<item> items;
    std::vector<int> verdicts;
    for (std::uint32_t i = 0; i < g.size(); ++i) {
        if (g.budget[i] != r.budget || g.finish[i] != finish_reason::stop) continue;
        const task_kind kind = s.benchmarks[s.queries[g.query[i]].benchmark].kind;
        int correct = -1;
        if (kind == task_kind::mcq || kind == task_kind::numeric) {
            const std::int32_t row = lenient_rows[i];
            if (row >= 0 && t.status[static_cast<std::size_t>(row)] == grade_status::ok)
                correct = t.score[static_cast<std::size_t>(row)] >= 0.5f ? 1 : 0;
        } else if (kind == task_kind::code) {
            const std::int32_t row = exec_rows[i];
            const grade_status st = row >= 0 ? t.status[static_cast<std::size_t>(row)] : grade_status::invalid;
            if (st == grade_status::passed) correct = 1;
            else if (st == grade_status::failed || st == grade_status::timeout || st == grade_status::memory) correct = 0;
        }
        ++r.generations;
        r.gold_graded += correct >= 0;
        items.push_back({g.query[i], static_cast<double>(g.output_tokens[i]), correct});
        for (std::size_t j = 0; j < judges; ++j) {
            const std::int32_t row = judge_rows[j][i];
            int verdict = -1;
            if (row >= 0) {
                ++r.judges[j].replies;
                const auto at = static_cast<std::size_t>(row);
                if (t.status[at] == grade_status::ok) verdict = judge_passes(scales[j], t.score[at]) ? 1 : 0;
                else ++r.judges[j].parse_failures;
            }
            verdicts.push_back(verdict);
        }
    }
    if (items.empty())
        throw std::invalid_argument("no uncut generations at budget " + std::to_string(r.budget));

    std::vector<double> lengths;
    for (const item& it : items)
        if (it.correct >= 0) lengths.push_back(it.length);
    std::sort(lengths.begin(), lengths.end());
    r.concise_tokens = options.concise_tokens.value_or(percentile_of_sorted(lengths, 0.25));
    r.verbose_tokens = options.verbose_tokens.value_or(percentile_of_sorted(lengths, 0.75));

    // Sums per query, over the queries that hold any item.
    const std::size_t width = judges * judge_sums + pairs * pair_sums;
    std::vector<std::int64_t> slot(s.queries.size(), -1);
    std::vector<double> sums;
    for (std::size_t k = 0; k < items.size(); ++k) {
        const item& it = items[k];
        if (slot[it.query] < 0) {
            slot[it.query] = static_cast<std::int64_t>(sums.size() / width);
            sums.resize(sums.size() + width, 0.0);
        }
        double* row = sums.data() + static_cast<std::size_t>(slot[it.query]) * width;
        const int* v = verdicts.data() + k * judges;
        for (std::size_t j = 0; j < judges; ++j) {
            if (v[j] < 0 || it.correct < 0) continue;
            double* js = row + j * judge_sums;
            const double x = it.length / 100.0, y = v[j];
            const bool right = it.correct == 1;
            const std::size_t base = right ? correct_n : wrong_n;
            js[base] += 1;
            js[base + 1] += x;
            js[base + 2] += x * x;
            js[base + 3] += y;
            js[base + 4] += x * y;
            if (right) {
                const std::size_t at = it.length < r.concise_tokens ? concise_correct_n : other_correct_n;
                js[at] += 1;
                js[at + 1] += y;
                ++r.judges[j].correct;
            } else {
                const std::size_t at = it.length > r.verbose_tokens ? verbose_wrong_n : other_wrong_n;
                js[at] += 1;
                js[at + 1] += y;
                ++r.judges[j].wrong;
            }
            js[v[j] == 1 ? (right ? pass_correct : pass_wrong) : (right ? fail_correct : fail_wrong)] += 1;
        }
        std::size_t p = 0;
        for (std::size_t a = 0; a < judges; ++a) {
            for (std::size_t b = a + 1; b < judges; ++b, ++p) {
                if (v[a] < 0 || v[b] < 0) continue;
                row[judges * judge_sums + p * pair_sums + (v[a] == 1 ? (v[b] == 1 ? 0 : 1) : (v[b] == 1 ? 2 : 3))] += 1;
            }
        }
    }
    const std::size_t queries = sums.size() / width;
    auto total = [&](const std::vector<std::uint32_t>* pick) {
        std::vector<double> sum(width, 0.0);
        auto add = [&](std::size_t q) {
            const double* row = sums.data() + q * width;
            for (std::size_t c = 0; c < width; ++c) sum[c] += row[c];
        };
        if (pick) for (std::uint32_t q : *pick) add(q);
        else for (std::size_t q = 0; q < queries; ++q) add(q);
        return sum;
    };
    const std::vector<double> whole = total(nullptr);
    const std::vector<double> estimate = statistics(whole, judges, pairs);

    std::vector<std::vector<double>> draws(estimate.size());
    rng random(derive_seed(options.seed, "judge-bias"));
    std::vector<std::uint32_t> pick(queries);
    for (int b = 0; b < options.resamples && queries > 0; ++b) {
        for (auto& q : pick) q = static_cast<std::uint32_t>(random.below(queries));
        const auto stats = statistics(total(&pick), judges, pairs);
        for (std::size_t k = 0; k < stats.size(); ++k)
            if (!std::isnan(stats[k])) draws[k].push_back(stats[k]);
    }
    auto interval_of = [&](std::size_t k) { return percentile_interval(estimate[k], draws[k], options.confidence); };
    auto share_of = [&](std::size_t k, double n_sum, double k_sum) {
        return share{static_cast<std::size_t>(n_sum), static_cast<std::size_t>(k_sum), interval_of(k)};
    };
    for (std::size_t j = 0; j < judges; ++j) {
        judge_bias& out = r.judges[j];
        const double* v = whole.data() + j * judge_sums;
        const std::size_t k = j * judge_stats;
        out.slope_correct = interval_of(k);
        out.slope_wrong = interval_of(k + 1);
        out.concise_correct_pass = share_of(k + 2, v[concise_correct_n], v[concise_correct_k]);
        out.other_correct_pass = share_of(k + 3, v[other_correct_n], v[other_correct_k]);
        out.verbose_wrong_pass = share_of(k + 4, v[verbose_wrong_n], v[verbose_wrong_k]);
        out.other_wrong_pass = share_of(k + 5, v[other_wrong_n], v[other_wrong_k]);
        out.concise_penalty = interval_of(k + 6);
        out.verbose_reward = interval_of(k + 7);
        out.with_exact = {static_cast<std::size_t>(v[pass_correct] + v[pass_wrong] + v[fail_correct] + v[fail_wrong]),
                          interval_of(k + 8), interval_of(k + 9)};
    }
    for (std::size_t p = 0; p < pairs; ++p) {
        const double* v = whole.data() + judges * judge_sums + p * pair_sums;
        const std::size_t k = judges * judge_stats + p * pair_stats;
        r.pairs[p].judges = {static_cast<std::size_t>(v[0] + v[1] + v[2] + v[3]), interval_of(k), interval_of(k + 1)};
    }
    r.planted = planted_judges(s);
    return r;
}

std::vector<planted_judge> planted_judges(const study& s) {
    std::vector<planted_judge> out;
    if (!s.info.simulated || s.info.provenance.empty()) return out;
    const auto p = nlohmann::json::parse(s.info.provenance, nullptr, false);
    if (p.is_discarded() || !p.is_object() || !p.contains("judges") || !p["judges"].is_array()) return out;
    auto number = [](const nlohmann::json& o, const char* key) {
        return o.contains(key) && o[key].is_number() ? o[key].get<double>() : nan;
    };
    for (const auto& j : p["judges"]) {
        if (!j.is_object() || !j.contains("name") || !j["name"].is_string()) continue;
        planted_judge k;
        k.judge = j["name"].get<std::string>();
        k.concise_tokens = number(j, "concise_tokens");
        k.concise_penalty = number(j, "concise_penalty");
        k.verbose_tokens = number(j, "verbose_tokens");
        k.verbose_reward = number(j, "verbose_reward");
        k.harsh_share = number(j, "harsh_share");
        k.harsh_penalty = number(j, "harsh_penalty");
        k.noise = number(j, "noise");
        out.push_back(k);
    }
    // The realised rates the simulator counted, where it published them.
    if (p.contains("planted") && p["planted"].is_object() && p["planted"].contains("judges") &&
        p["planted"]["judges"].is_array()) {
        for (const auto& j : p["planted"]["judges"]) {
            if (!j.is_object() || !j.contains("name") || !j["name"].is_string()) continue;
            for (auto& k : out) {
                if (k.judge != j["name"].get<std::string>()) continue;
                if (double v = number(j, "full_answers_failed_share"); !std::isnan(v)) k.full_answers_failed_share = v;
                if (double v = number(j, "wrong_answers_passed_share"); !std::isnan(v)) k.wrong_answers_passed_share = v;
            }
        }
    }
    return out;
}

namespace {

// NaN (undefined) as JSON null.
nlohmann::ordered_json number_or_null(double v) { return std::isnan(v) ? nlohmann::ordered_json() : nlohmann::ordered_json(v); }

nlohmann::ordered_json json_of(const interval& iv) {
    return {{"value", number_or_null(iv.value)}, {"low", number_or_null(iv.low)}, {"high", number_or_null(iv.high)}};
}
nlohmann::ordered_json json_of(const share& s) {
    return {{"n", s.n}, {"passed", s.k}, {"rate", json_of(s.value)}};
}
nlohmann::ordered_json json_of(const agreement& a) {
    return {{"n", a.n}, {"agreement", json_of(a.agree)}, {"kappa", json_of(a.kappa)}};
}

std::string fixed(double v, int decimals = 3) {
    if (std::isnan(v)) return "  n/a";
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
    return buf;
}
std::string with_interval(const interval& iv) {
    return fixed(iv.value) + " [" + fixed(iv.low) + ", " + fixed(iv.high) + "]";
}
std::string rate_text(const share& s) {
    return with_interval(s.value) + "  (" + std::to_string(s.k) + "/" + std::to_string(s.n) + ")";
}

} // namespace

nlohmann::ordered_json to_json(const judge_bias_report& r) {
    using nlohmann::ordered_json;
    ordered_json out;
    out["study"] = r.study;
    out["budget"] = r.budget;
    out["concise_tokens"] = r.concise_tokens;
    out["verbose_tokens"] = r.verbose_tokens;
    out["resamples"] = r.options.resamples;
    out["confidence"] = r.options.confidence;
    out["seed"] = r.options.seed;
    out["generations"] = r.generations;
    out["gold_graded"] = r.gold_graded;
    out["judges"] = ordered_json::array();
    for (const auto& j : r.judges) {
        out["judges"].push_back({{"judge", j.judge},
                                 {"replies", j.replies},
                                 {"parse_failures", j.parse_failures},
                                 {"correct", j.correct},
                                 {"wrong", j.wrong},
                                 {"slope_per_100_tokens", {{"correct", json_of(j.slope_correct)}, {"wrong", json_of(j.slope_wrong)}}},
                                 {"concise_correct_pass", json_of(j.concise_correct_pass)},
                                 {"other_correct_pass", json_of(j.other_correct_pass)},
                                 {"verbose_wrong_pass", json_of(j.verbose_wrong_pass)},
                                 {"other_wrong_pass", json_of(j.other_wrong_pass)},
                                 {"concise_penalty", json_of(j.concise_penalty)},
                                 {"verbose_reward", json_of(j.verbose_reward)},
                                 {"exact_match", json_of(j.with_exact)}});
    }
    out["pairs"] = ordered_json::array();
    for (const auto& p : r.pairs) out["pairs"].push_back({{"first", p.first}, {"second", p.second}, {"agreement", json_of(p.judges)}});
    out["planted"] = ordered_json::array();
    for (const auto& k : r.planted) {
        ordered_json row{{"judge", k.judge},
                         {"concise_tokens", number_or_null(k.concise_tokens)},
                         {"concise_penalty", number_or_null(k.concise_penalty)},
                         {"verbose_tokens", number_or_null(k.verbose_tokens)},
                         {"verbose_reward", number_or_null(k.verbose_reward)},
                         {"harsh_share", number_or_null(k.harsh_share)},
                         {"harsh_penalty", number_or_null(k.harsh_penalty)},
                         {"noise", number_or_null(k.noise)}};
        row["full_answers_failed_share"] = k.full_answers_failed_share ? ordered_json(*k.full_answers_failed_share) : ordered_json();
        row["wrong_answers_passed_share"] = k.wrong_answers_passed_share ? ordered_json(*k.wrong_answers_passed_share) : ordered_json();
        out["planted"].push_back(row);
    }
    return out;
}

std::string to_text(const judge_bias_report& r) {
    std::string out = "Study: " + r.study + "\nJudge bias at budget " + std::to_string(r.budget) + ", uncut answers: " +
                      std::to_string(r.generations) + " generations, " + std::to_string(r.gold_graded) +
                      " with correctness from the gold (lenient exact match / tests)\n" + "concise: under " +
                      fixed(r.concise_tokens, 0) + " tokens; verbose: over " + fixed(r.verbose_tokens, 0) +
                      " tokens; intervals: " + fixed(100 * r.options.confidence, 0) + "% bootstrap over queries, " +
                      std::to_string(r.options.resamples) + " resamples\n";
    for (const auto& j : r.judges) {
        out += "\n== judge " + j.judge + ": " + std::to_string(j.replies) + " replies, " + std::to_string(j.parse_failures) +
               " without a usable verdict; " + std::to_string(j.correct) + " correct and " + std::to_string(j.wrong) +
               " wrong answers judged\n";
        out += "  pass slope per 100 tokens, correct answers  " + with_interval(j.slope_correct) + "\n";
        out += "  pass slope per 100 tokens, wrong answers    " + with_interval(j.slope_wrong) + "\n";
        out += "  pass rate, concise correct   " + rate_text(j.concise_correct_pass) + "\n";
        out += "  pass rate, other correct     " + rate_text(j.other_correct_pass) + "\n";
        out += "  pass rate, verbose wrong     " + rate_text(j.verbose_wrong_pass) + "\n";
        out += "  pass rate, other wrong       " + rate_text(j.other_wrong_pass) + "\n";
        out += "  concise penalty (1 - concise/other correct)        " + with_interval(j.concise_penalty) + "\n";
        out += "  verbose reward ((verbose - other wrong)/(1 - other)) " + with_interval(j.verbose_reward) + "\n";
        out += "  against exact match (" + std::to_string(j.with_exact.n) + "): agreement " +
               with_interval(j.with_exact.agree) + ", kappa " + with_interval(j.with_exact.kappa) + "\n";
        for (const auto& k : r.planted) {
            if (k.judge != j.judge) continue;
            out += "  planted: concise_penalty " + fixed(k.concise_penalty) + " under " + fixed(k.concise_tokens, 0) +
                   " tokens, verbose_reward " + fixed(k.verbose_reward) + " over " + fixed(k.verbose_tokens, 0) +
                   " tokens, harsh " + fixed(k.harsh_penalty) + " on " + fixed(k.harsh_share) + " of queries, noise " +
                   fixed(k.noise) + "\n";
        }
    }
    for (const auto& p : r.pairs)
        out += "\n== " + p.first + " vs " + p.second + " (" + std::to_string(p.judges.n) + " answers both judged): agreement " +
               with_interval(p.judges.agree) + ", kappa " + with_interval(p.judges.kappa) + "\n";
    return out;
}

} // namespace headroom
