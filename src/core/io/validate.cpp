#include "core/io/validate.h"

#include "core/base/jsonl.h"
#include "core/io/study_io.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <tuple>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace headroom {

namespace {

class checker {
public:
    checker(const study_origin& origin, const char* table_file, const char* table)
        : origin_(origin), file_(origin.file_of(table_file)), table_(table) {}

    [[noreturn]] void fail(std::size_t row, const char* field, const std::string& message) const {
        if (origin_.rows_are_lines) throw input_error(file_, row + 1, field, message);
        throw input_error(file_, 0, field, std::string(table_) + " row " + std::to_string(row + 1) + ": " + message);
    }
    void non_negative(std::size_t row, const char* field, double v) const {
        if (!std::isfinite(v)) fail(row, field, "must be a finite number");
        if (v < 0) fail(row, field, "must not be negative");
    }
    void unique_ids(const std::vector<std::string_view>& ids, const char* field = "id") const {
        std::unordered_set<std::string_view> seen;
        seen.reserve(ids.size());
        for (std::size_t i = 0; i < ids.size(); ++i) {
            if (ids[i].empty()) fail(i, field, "must not be empty");
            if (!seen.insert(ids[i]).second) fail(i, field, "duplicate id '" + std::string(ids[i]) + "'");
        }
    }

private:
    const study_origin& origin_;
    std::string file_;
    const char* table_;
};

template <class T, class F>
std::vector<std::string_view> ids_of(const std::vector<T>& rows, F id) {
    std::vector<std::string_view> out;
    out.reserve(rows.size());
    for (const auto& row : rows) out.push_back(id(row));
    return out;
}

void check_models(const study& s, const study_origin& origin) {
    const checker c(origin, models_file, "models");
    if (s.models.size() > 65535) c.fail(65535, "id", "too many models (at most 65535)");
    c.unique_ids(ids_of(s.models, [](const model& m) -> std::string_view { return m.id; }));
    for (std::size_t i = 0; i < s.models.size(); ++i) {
        const model& m = s.models[i];
        if (m.tier < 0 || m.tier > 1000) c.fail(i, "tier", "must be 0 to 1000");
        c.non_negative(i, "price_input_per_mtok", m.price_input_per_mtok);
        c.non_negative(i, "price_output_per_mtok", m.price_output_per_mtok);
        c.non_negative(i, "latency_ms_per_token", m.latency_ms_per_token);
    }
}

void check_generations(const study& s, const study_origin& origin) {
    const checker c(origin, generations_file, "generations");
    const auto& g = s.generations;
    c.unique_ids(ids_of(g.id, [](const std::string& id) -> std::string_view { return id; }));
    // Sorted keys find a repeated (query, model, budget, sample) without a hash of strings.
    std::vector<std::tuple<std::uint32_t, std::uint16_t, std::uint32_t, std::uint16_t, std::uint32_t>> keys;
    keys.reserve(g.size());
    for (std::size_t i = 0; i < g.size(); ++i) {
        if (g.query[i] >= s.queries.size()) c.fail(i, "query", "names a missing query");
        if (g.model[i] >= s.models.size()) c.fail(i, "model", "names a missing model");
        // budget 0 is unknown_budget (schema v2: a log that did not record it), not an error
        if (g.sample[i] > 65534) c.fail(i, "sample", "must be at most 65534");
        // NaN latency or cost: not recorded (schema v2)
        if (known(g.latency_ms[i])) c.non_negative(i, "latency_ms", g.latency_ms[i]);
        if (i < g.cost_usd.size() && known(g.cost_usd[i])) c.non_negative(i, "cost_usd", g.cost_usd[i]);
        keys.emplace_back(g.query[i], g.model[i], g.budget[i], g.sample[i], static_cast<std::uint32_t>(i));
    }
    std::sort(keys.begin(), keys.end());
    for (std::size_t k = 1; k < keys.size(); ++k) {
        const auto& [q, m, b, sample, row] = keys[k];
        const auto& [q0, m0, b0, sample0, first] = keys[k - 1];
        if (q == q0 && m == m0 && b == b0 && sample == sample0)
            c.fail(row, "sample", "the same query, model, budget and sample already appear as generation '" +
                                      g.id[first] + "'");
    }
}

// Keys of (generation, judge or grader) pairs: each pair at most once.
std::uint64_t pair_key(std::uint32_t generation, std::uint16_t other) {
    return std::uint64_t{generation} << 16 | other;
}

void check_judgments(const study& s, const study_origin& origin) {
    const checker c(origin, judgments_file, "judgments");
    const auto& j = s.judgments;
    std::unordered_set<std::uint64_t> seen;
    seen.reserve(j.size());
    for (std::size_t i = 0; i < j.size(); ++i) {
        if (j.generation[i] >= s.generations.size()) c.fail(i, "generation", "names a missing generation");
        if (j.judge[i] >= j.judges.size()) c.fail(i, "judge", "names a missing judge");
        const std::string& judge = j.judges[j.judge[i]];
        if (judge.empty() || judge.find(':') != std::string::npos) c.fail(i, "judge", "must be a plain, non-empty name");
        if (!seen.insert(pair_key(j.generation[i], j.judge[i])).second)
            c.fail(i, "judge", "generation '" + s.generations.id[j.generation[i]] + "' already has a reply from judge '" +
                                   judge + "'");
    }
}

void check_grades(const study& s, const study_origin& origin) {
    const checker c(origin, grades_file, "grades");
    const auto& t = s.grades;
    const auto& j = s.judgments;
    // A judge's grade lies on the scale its reply was asked on (rubric 0-2, ten 1-10,
    // 0 when the reply held no verdict); without the reply at hand, on the widest.
    std::unordered_map<std::uint64_t, judge_scale> scale_of;
    for (std::size_t i = 0; i < j.size(); ++i) scale_of.emplace(pair_key(j.generation[i], j.judge[i]), j.scale[i]);
    std::vector<int> judge_of_grader;  // index into j.judges, or -1
    for (const std::string& name : t.graders) {
        const auto it = name.rfind("judge:", 0) == 0 ? std::find(j.judges.begin(), j.judges.end(), name.substr(6))
                                                     : j.judges.end();
        judge_of_grader.push_back(it == j.judges.end() ? -1 : static_cast<int>(it - j.judges.begin()));
    }
    std::unordered_set<std::uint64_t> seen;
    seen.reserve(t.size());
    for (std::size_t i = 0; i < t.size(); ++i) {
        if (t.generation[i] >= s.generations.size()) c.fail(i, "generation", "names a missing generation");
        if (t.grader[i] >= t.graders.size()) c.fail(i, "grader", "names a missing grader");
        const std::string& grader = t.graders[t.grader[i]];
        if (!valid_grader_name(grader))
            c.fail(i, "grader", "unknown grader '" + grader + "' (strict, lenient, exec:strict, exec:lenient or judge:<name>)");
        if (!seen.insert(pair_key(t.generation[i], t.grader[i])).second)
            c.fail(i, "grader", "generation '" + s.generations.id[t.generation[i]] + "' already has a '" + grader +
                                    "' grade");
        double most = 1;
        if (grader.rfind("judge:", 0) == 0) {
            most = 10;
            if (const int judge = judge_of_grader[t.grader[i]]; judge >= 0) {
                const auto it = scale_of.find(pair_key(t.generation[i], static_cast<std::uint16_t>(judge)));
                if (it != scale_of.end() && it->second == judge_scale::rubric) most = 2;
            }
        }
        const double score = t.score[i];
        if (!std::isfinite(score) || score < 0 || score > most)
            c.fail(i, "score", "must be between 0 and " + std::to_string(static_cast<int>(most)) + " for grader '" +
                                   grader + "', not " + std::to_string(score));
    }
}

} // namespace

void validate_study(const study& s, const study_origin& origin) {
    {
        const checker c(origin, benchmarks_file, "benchmarks");
        c.unique_ids(ids_of(s.benchmarks, [](const benchmark& b) -> std::string_view { return b.id; }));
    }
    {
        const checker c(origin, queries_file, "queries");
        c.unique_ids(ids_of(s.queries, [](const query& q) -> std::string_view { return q.id; }));
        for (std::size_t i = 0; i < s.queries.size(); ++i)
            if (s.queries[i].benchmark >= s.benchmarks.size()) c.fail(i, "benchmark", "names a missing benchmark");
    }
    check_models(s, origin);
    check_generations(s, origin);
    check_judgments(s, origin);
    check_grades(s, origin);
}

} // namespace headroom
