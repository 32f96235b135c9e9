#include "core/io/import/wide_csv.h"

#include "core/io/import/csv.h"
#include "core/io/import/long_table.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <limits>

namespace headroom::import {

namespace {

bool ends_with(std::string_view text, std::string_view suffix) {
    return text.size() > suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

std::string lower(std::string_view text) {
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

// Scores are nearly always "0" or "1" (or "0.0", "1.0"); the rest goes through strtod.
std::optional<double> parse_number(std::string_view cell) {
    if (cell == "1" || cell == "1.0") return 1.0;
    if (cell == "0" || cell == "0.0") return 0.0;
    char buffer[64];
    if (cell.empty() || cell.size() >= sizeof buffer) return std::nullopt;
    std::copy(cell.begin(), cell.end(), buffer);
    buffer[cell.size()] = '\0';
    char* end = nullptr;
    const double value = std::strtod(buffer, &end);
    if (end != buffer + cell.size() || !std::isfinite(value)) return std::nullopt;
    return value;
}

struct model_columns {
    std::string id;
    std::size_t score = 0;
    std::size_t text = std::numeric_limits<std::size_t>::max();
    std::size_t cost = std::numeric_limits<std::size_t>::max();
    std::uint16_t index = 0;  // in the study
};

constexpr std::size_t none = std::numeric_limits<std::size_t>::max();

struct layout {
    std::size_t query = none, benchmark = none, prompt = none, gold = none, split = none;
    std::vector<model_columns> models;
};

layout read_header(const std::vector<std::string_view>& header, const options& o, const std::string& file) {
    layout l;
    std::vector<std::pair<std::string, std::size_t>> texts, costs;
    for (std::size_t c = 0; c < header.size(); ++c) {
        const std::string_view name = header[c];
        if (name == o.query_column) l.query = c;
        else if (name == o.benchmark_column) l.benchmark = c;
        else if (name == o.prompt_column) l.prompt = c;
        else if (!o.gold_column.empty() && name == o.gold_column) l.gold = c;
        else if (!o.split_column.empty() && name == o.split_column) l.split = c;
        else if (std::find(o.ignore_columns.begin(), o.ignore_columns.end(), name) != o.ignore_columns.end()) continue;
        else {
            bool matched = false;
            for (const auto& suffix : o.text_suffixes)
                if (!matched && ends_with(name, suffix)) {
                    texts.emplace_back(std::string(name.substr(0, name.size() - suffix.size())), c);
                    matched = true;
                }
            for (const auto& suffix : o.cost_suffixes)
                if (!matched && ends_with(name, suffix)) {
                    costs.emplace_back(std::string(name.substr(0, name.size() - suffix.size())), c);
                    matched = true;
                }
            if (!matched) l.models.push_back({std::string(name), c});
        }
    }
    auto attach = [&](const std::vector<std::pair<std::string, std::size_t>>& columns, std::size_t model_columns::*slot,
                      const char* what) {
        for (const auto& [model, column] : columns) {
            // Clang 14 (Emscripten's) cannot capture a structured binding in a lambda.
            const std::string& id = model;
            auto it = std::find_if(l.models.begin(), l.models.end(), [&](const auto& m) { return m.id == id; });
            if (it == l.models.end())
                throw input_error(file, 1, std::string(header[column]),
                                  std::string("a ") + what + " column for model '" + model + "', which has no score column");
            (*it).*slot = column;
        }
    };
    attach(texts, &model_columns::text, "text");
    attach(costs, &model_columns::cost, "cost");
    if (l.models.empty())
        throw input_error(file, 1, "", "no model score column (every column is the query, benchmark, prompt, gold, "
                                       "split, ignored, or a text or cost column)");
    if (!o.split_column.empty() && l.split == none)
        throw input_error(file, 1, o.split_column, "the split column named by the options is not in the header");
    if (!o.gold_column.empty() && l.gold == none)
        throw input_error(file, 1, o.gold_column, "the gold column named by the options is not in the header");
    return l;
}

split_side split_from_name(std::string_view path) {
    const auto slash = path.find_last_of("/\\");
    const std::string name = lower(slash == std::string_view::npos ? path : path.substr(slash + 1));
    const bool train = name.find("train") != std::string::npos, test = name.find("test") != std::string::npos;
    if (train == test) return split_side::none;
    return train ? split_side::train : split_side::test;
}

std::string generation_id(std::string_view query, std::string_view model) {
    std::string id;
    id.reserve(query.size() + model.size() + 1);
    id.append(query).append(1, '.').append(model);
    return id;
}

} // namespace

bool detect_wide_csv(const source_file& file) {
    // A .csv with a model and a score column is a long table, one row per (query, model).
    if (ends_with(lower(file.path), ".csv")) return !detect_long(file);
    const auto end = file.bytes.find('\n');
    const std::string_view header = file.bytes.substr(0, end);
    return header.find(',') != std::string_view::npos &&
           (header.find("|model_response") != std::string_view::npos || header.find("|total_cost") != std::string_view::npos);
}

void parse_wide_csv(const source_file& file, context& ctx) {
    const options& o = ctx.opts;
    csv_reader csv(file.bytes, file.path);
    std::vector<std::string_view> header_views, row;
    if (!csv.next(header_views)) throw input_error(file.path, 0, "", "the file is empty (a header row is needed)");
    std::vector<std::string> header(header_views.begin(), header_views.end());
    std::vector<std::string_view> names(header.begin(), header.end());
    layout l = read_header(names, o, file.path);

    for (auto& m : l.models) m.index = model_for(ctx, m.id, {file.path, 1});
    const std::string grader = "source:" + (o.grader.empty() ? std::string("wide-csv") : o.grader);
    const split_side file_split = split_from_name(file.path);

    std::size_t row_number = 0;
    while (csv.next(row)) {
        ++row_number;
        const row_origin at{file.path, csv.line()};
        if (row.size() == 1 && row[0].empty()) continue;  // a blank line
        if (row.size() != header.size())
            throw input_error(file.path, csv.line(), "", "has " + std::to_string(row.size()) + " fields; the header has " +
                                                             std::to_string(header.size()));
        const std::string benchmark_id = l.benchmark == none ? o.benchmark : std::string(row[l.benchmark]);
        if (benchmark_id.empty()) throw input_error(file.path, csv.line(), header[l.benchmark], "must not be empty");
        // A table of scores does not say how its answers were graded: open.
        const std::uint32_t benchmark = benchmark_for(ctx, benchmark_id, task_kind::open, file.path, at);
        headroom::query q;
        q.id = l.query == none ? benchmark_id + "." + std::to_string(row_number) : std::string(row[l.query]);
        if (q.id.empty()) throw input_error(file.path, csv.line(), header[l.query], "must not be empty");
        q.benchmark = benchmark;
        if (l.prompt != none) q.text = row[l.prompt];
        if (l.gold != none) q.gold = row[l.gold];
        q.split = file_split;
        if (l.split != none) {
            const auto side = parse_split_side(row[l.split]);
            if (!side) throw input_error(file.path, csv.line(), header[l.split], "must be train or test, not '" + std::string(row[l.split]) + "'");
            q.split = *side;
        }
        // The same query in another file (one per model) is joined unless its first model answered it already.
        const std::string& first_model = l.models.front().id;
        const std::uint32_t query = query_for(
            ctx, std::move(q), [&](std::string_view id) { return generation_id(id, first_model); }, at);
        const std::string query_id = ctx.builder.peek().queries[query].id;

        for (const auto& m : l.models) {
            generation_row g;
            g.id = generation_id(query_id, m.id);
            g.query = query;
            g.model = m.index;
            if (m.text != none) g.text = row[m.text];
            if (m.cost != none && !row[m.cost].empty()) {
                const auto cost = parse_number(row[m.cost]);
                if (!cost || *cost < 0)
                    throw input_error(file.path, csv.line(), header[m.cost],
                                      "must be a non-negative number of dollars, not '" + std::string(row[m.cost]) + "'");
                g.cost_usd = *cost;
            }
            const std::uint32_t generation = ctx.builder.add(std::move(g), at);
            grade_row grade;
            grade.generation = generation;
            grade.grader = grader;
            const std::string_view cell = row[m.score];
            if (cell.empty()) {
                grade.status = grade_status::missing;
            } else {
                const auto score = parse_number(cell);
                if (!score) throw input_error(file.path, csv.line(), header[m.score], "must be a number or empty (missing), not '" + std::string(cell) + "'");
                grade.score = static_cast<float>(*score);
            }
            ctx.builder.add(grade, at);
        }
    }
}

} // namespace headroom::import
