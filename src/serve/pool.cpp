#include "serve/pool.h"

#include "core/base/rng.h"
#include "core/grading/prompts.h"

#include <algorithm>
#include <cstdio>

namespace headroom::serve {
namespace {

// Long enough that few queries share a key, short enough for every real query.
constexpr std::size_t prefix_bytes = 24;

void add_once(std::vector<std::uint32_t>& rows, std::uint32_t row) {
    if (rows.empty() || rows.back() != row) rows.push_back(row);
}

} // namespace

simulated_pool::simulated_pool(const sim::pool_config& config) : config_(config), study_(sim::simulate(config)) {
    budgets_ = study_.budgets();
    samples_ = study_.samples_per_pair();
    char hex[24];
    std::snprintf(hex, sizeof hex, "fp_%016llx", static_cast<unsigned long long>(derive_seed(0, study_.info.provenance)));
    fingerprint_ = hex;
    const auto& g = study_.generations;
    const std::size_t models = study_.models.size();
    generation_rows_.assign(study_.queries.size() * models * samples_ * budgets_.size(), no_row);
    for (std::uint32_t row = 0; row < g.size(); ++row) {
        const auto b = static_cast<std::size_t>(std::lower_bound(budgets_.begin(), budgets_.end(), g.budget[row]) - budgets_.begin());
        generation_rows_[((g.query[row] * models + g.model[row]) * samples_ + g.sample[row]) * budgets_.size() + b] = row;
    }

    const auto& jt = study_.judgments;
    const std::size_t judges = config_.judges.size();
    judgment_rows_.assign(g.size() * judges, no_row);
    for (std::uint32_t row = 0; row < jt.size(); ++row) {
        const std::string& name = jt.judges[jt.judge[row]];
        if (const auto j = find_judge(name)) judgment_rows_[jt.generation[row] * judges + *j] = row;
    }

    for (std::uint32_t q = 0; q < study_.queries.size(); ++q) {
        const query& qu = study_.queries[q];
        const task_kind kind = study_.benchmarks[qu.benchmark].kind;
        if (const auto haystack = query_haystack(render_task_prompt(qu, kind))) add_once(by_haystack_[*haystack], q);
        add_once(by_haystack_[judge_question(qu, kind)], q);
        add_once(by_haystack_[qu.text], q);
        if (qu.text.size() >= prefix_bytes)
            by_prefix_[std::string_view(qu.text).substr(0, prefix_bytes)].push_back(q);
        else
            short_texts_.push_back(q);
    }
}

std::optional<std::uint16_t> simulated_pool::find_model(std::string_view id) const {
    for (std::uint16_t m = 0; m < study_.models.size(); ++m)
        if (study_.models[m].id == id) return m;
    return std::nullopt;
}

std::optional<std::uint16_t> simulated_pool::find_judge(std::string_view name) const {
    for (std::uint16_t j = 0; j < config_.judges.size(); ++j)
        if (config_.judges[j].name == name) return j;
    return std::nullopt;
}

std::vector<std::uint32_t> simulated_pool::find_queries(std::string_view haystack) const {
    if (const auto hit = by_haystack_.find(std::string(haystack)); hit != by_haystack_.end()) return hit->second;
    // A prompt written with other templates: scan for any query text inside it.
    std::vector<std::uint32_t> found;
    std::size_t longest = 0;
    auto consider = [&](std::uint32_t q) {
        const std::size_t size = study_.queries[q].text.size();
        if (size < longest) return;
        if (size > longest) found.clear();
        longest = size;
        found.push_back(q);
    };
    for (std::size_t at = 0; at + prefix_bytes <= haystack.size(); ++at) {
        const auto bucket = by_prefix_.find(haystack.substr(at, prefix_bytes));
        if (bucket == by_prefix_.end()) continue;
        for (const std::uint32_t q : bucket->second)
            if (haystack.substr(at).starts_with(study_.queries[q].text)) consider(q);
    }
    for (const std::uint32_t q : short_texts_)
        if (haystack.find(study_.queries[q].text) != std::string_view::npos) consider(q);
    std::sort(found.begin(), found.end());
    found.erase(std::unique(found.begin(), found.end()), found.end());
    return found;
}

std::uint32_t simulated_pool::generation(std::uint32_t query, std::uint16_t model, std::uint32_t budget,
                                         std::uint16_t sample) const {
    const auto b = std::lower_bound(budgets_.begin(), budgets_.end(), budget);
    if (b == budgets_.end() || *b != budget || query >= study_.queries.size() || model >= study_.models.size() ||
        sample >= samples_)
        return no_row;
    const std::size_t models = study_.models.size();
    return generation_rows_[((query * models + model) * samples_ + sample) * budgets_.size() +
                            static_cast<std::size_t>(b - budgets_.begin())];
}

std::vector<std::uint32_t> simulated_pool::generations_of(std::uint32_t query) const {
    const std::size_t per_query = study_.models.size() * samples_ * budgets_.size();
    std::vector<std::uint32_t> rows;
    for (std::size_t i = query * per_query; i < (query + 1) * per_query; ++i)
        if (generation_rows_[i] != no_row) rows.push_back(generation_rows_[i]);
    std::sort(rows.begin(), rows.end());
    return rows;
}

std::uint32_t simulated_pool::judgment(std::uint32_t generation, std::uint16_t judge) const {
    const std::size_t judges = config_.judges.size();
    if (generation >= study_.generations.size() || judge >= judges) return no_row;
    return judgment_rows_[generation * judges + judge];
}

} // namespace headroom::serve
