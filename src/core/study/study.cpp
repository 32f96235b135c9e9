#include "core/study/study.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <cstring>

namespace headroom {

namespace {
constexpr std::array<std::string_view, 4> task_kind_names{"mcq", "numeric", "code", "open"};
constexpr std::array<std::string_view, 3> split_side_names{"", "train", "test"};
constexpr std::array<std::string_view, 9> grade_status_names{
    "ok", "invalid", "parse_failure", "passed", "failed", "timeout", "memory", "sandbox_error", "missing"};

template <class E, std::size_t N>
std::optional<E> parse_enum(const std::array<std::string_view, N>& names, std::string_view text) {
    for (std::size_t i = 0; i < N; ++i)
        if (names[i] == text) return static_cast<E>(i);
    return std::nullopt;
}
} // namespace

std::string_view to_string(task_kind kind) { return task_kind_names[static_cast<std::size_t>(kind)]; }
std::optional<task_kind> parse_task_kind(std::string_view text) {
    return parse_enum<task_kind>(task_kind_names, text);
}

std::string_view to_string(split_side side) { return split_side_names[static_cast<std::size_t>(side)]; }
std::optional<split_side> parse_split_side(std::string_view text) {
    if (text.empty()) return std::nullopt;
    return parse_enum<split_side>(split_side_names, text);
}

std::string_view to_string(finish_reason reason) {
    switch (reason) {
    case finish_reason::stop: return "stop";
    case finish_reason::length: return "length";
    case finish_reason::content_filter: return "content_filter";
    case finish_reason::unknown: break;
    }
    return "unknown";
}

std::optional<finish_reason> parse_finish_reason(std::string_view text) {
    for (auto reason : {finish_reason::stop, finish_reason::length, finish_reason::content_filter, finish_reason::unknown})
        if (to_string(reason) == text) return reason;
    return std::nullopt;
}

bool known(double measured) { return !std::isnan(measured); }

double generation_table::measured_cost(std::size_t row) const {
    return cost_usd.empty() ? std::numeric_limits<double>::quiet_NaN() : cost_usd[row];
}

bool generation_table::needs_version_2() const {
    for (std::size_t i = 0; i < size(); ++i)
        if (finish[i] == finish_reason::unknown || input_tokens[i] == unknown_tokens ||
            output_tokens[i] == unknown_tokens || !known(latency_ms[i]) || budget[i] == unknown_budget ||
            known(measured_cost(i)))
            return true;
    return false;
}

bool is_source_grader(std::string_view grader) { return grader.rfind("source:", 0) == 0 && grader.size() > 7; }

bool valid_grader_name(std::string_view name) {
    return name == "strict" || name == "lenient" || name == "exec:strict" || name == "exec:lenient" ||
           (name.rfind("judge:", 0) == 0 && name.size() > 6) || is_source_grader(name);
}

int study::needed_schema_version() const {
    for (const auto& m : models)
        if (!m.price_source.empty() || !m.price_date.empty()) return 2;
    for (const auto& grader : grades.graders)
        if (is_source_grader(grader)) return 2;
    for (const auto& status : grades.status)
        if (status == grade_status::missing) return 2;
    return generations.needs_version_2() ? 2 : 1;
}

std::string_view to_string(grade_status status) {
    return grade_status_names[static_cast<std::size_t>(status)];
}
std::optional<grade_status> parse_grade_status(std::string_view text) {
    return parse_enum<grade_status>(grade_status_names, text);
}

void text_column::push_back(std::string_view text) {
    const std::uint64_t begin = chars_.size();
    chars_.append(text);
    rows_.push_back({begin, chars_.size()});
}

void text_column::repeat(std::size_t row) { rows_.push_back(rows_[row]); }

void text_column::reserve(std::size_t rows, std::size_t chars) {
    rows_.reserve(rows);
    chars_.reserve(chars);
}

std::string_view to_string(judge_scale scale) { return scale == judge_scale::rubric ? "rubric" : "ten"; }

std::uint16_t judgment_table::judge_index(std::string_view name) {
    for (std::size_t i = 0; i < judges.size(); ++i)
        if (judges[i] == name) return static_cast<std::uint16_t>(i);
    judges.emplace_back(name);
    return static_cast<std::uint16_t>(judges.size() - 1);
}

std::uint16_t grade_table::grader_index(std::string_view name) {
    if (auto found = find_grader(name)) return *found;
    graders.emplace_back(name);
    return static_cast<std::uint16_t>(graders.size() - 1);
}

std::optional<std::uint16_t> grade_table::find_grader(std::string_view name) const {
    for (std::size_t i = 0; i < graders.size(); ++i)
        if (graders[i] == name) return static_cast<std::uint16_t>(i);
    return std::nullopt;
}

std::uint16_t grade_table::rule_index(std::string_view name) {
    for (std::size_t i = 0; i < rules.size(); ++i)
        if (rules[i] == name) return static_cast<std::uint16_t>(i);
    rules.emplace_back(name);
    return static_cast<std::uint16_t>(rules.size() - 1);
}

std::string canonical_generation_id(std::string_view query, std::string_view model, std::uint32_t budget,
                                    std::uint16_t sample) {
    // A pack rebuilds a million of these on load: one allocation each, digits written
    // by hand (appending std::to_string pieces took five times as long in WebAssembly).
    char tail[32];
    char* const end = tail + sizeof tail;
    char* p = end;
    auto digits = [&](std::uint32_t v) {
        do *--p = static_cast<char>('0' + v % 10);
        while (v /= 10);
    };
    digits(sample);
    *--p = 's';
    *--p = '.';
    digits(budget);
    *--p = 'b';
    *--p = '.';
    const auto tail_size = static_cast<std::size_t>(end - p);
    std::string id(query.size() + 1 + model.size() + tail_size, '.');
    char* out = id.data();
    std::memcpy(out, query.data(), query.size());
    std::memcpy(out + query.size() + 1, model.data(), model.size());
    std::memcpy(out + query.size() + 1 + model.size(), p, tail_size);
    return id;
}

std::vector<std::uint32_t> study::budgets() const {
    std::vector<std::uint32_t> out(generations.budget);
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

std::uint16_t study::samples_per_pair() const {
    std::uint16_t most = 0;
    for (auto s : generations.sample) most = std::max<std::uint16_t>(most, static_cast<std::uint16_t>(s + 1));
    return most;
}

} // namespace headroom
