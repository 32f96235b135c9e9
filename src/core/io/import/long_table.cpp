#include "core/io/import/long_table.h"

#include "core/io/import/csv.h"
#include "core/io/import/json_fields.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <unordered_map>

namespace headroom::import {

namespace {

bool ends_with(std::string_view text, std::string_view suffix) {
    return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

constexpr std::size_t none = static_cast<std::size_t>(-1);

// The column of the first name the header has: the option's, then the fallbacks.
std::size_t column(const std::vector<std::string>& header, const std::string& option,
                   std::initializer_list<std::string_view> fallbacks) {
    auto find = [&](std::string_view name) {
        const auto it = std::find(header.begin(), header.end(), name);
        return it == header.end() ? none : static_cast<std::size_t>(it - header.begin());
    };
    if (!option.empty())
        if (const auto c = find(option); c != none) return c;
    for (const auto name : fallbacks)
        if (const auto c = find(name); c != none) return c;
    return none;
}

struct layout {
    std::size_t query, model, score, prompt, benchmark, gold, split, response, cost, sample;
};

layout read_layout(const std::vector<std::string>& header, const options& o, const std::string& file) {
    layout l;
    l.query = column(header, o.query_column, {"query_id", "question_id", "prompt_id", "id"});
    l.model = column(header, o.model_column, {"model_name", "model_id"});
    l.score = column(header, o.score_column, {"correct", "performance", "label", "accuracy"});
    l.prompt = column(header, o.prompt_column, {"query", "question", "input"});
    l.benchmark = column(header, o.benchmark_column, {"benchmark", "task", "dataset", "task_name"});
    l.gold = o.gold_column.empty() ? none : column(header, o.gold_column, {});
    l.split = o.split_column.empty() ? none : column(header, o.split_column, {});
    l.response = column(header, o.response_column, {"output", "model_response", "completion"});
    l.cost = column(header, o.cost_column, {"cost"});
    l.sample = column(header, "sample", {});
    if (l.query == none) throw input_error(file, 1, o.query_column, "no query id column (nor query_id, question_id, prompt_id, id)");
    if (l.model == none) throw input_error(file, 1, o.model_column, "no model column (nor model_name, model_id)");
    if (l.score == none)
        throw input_error(file, 1, o.score_column, "no score column (nor correct, performance, label, accuracy)");
    if (!o.gold_column.empty() && l.gold == none)
        throw input_error(file, 1, o.gold_column, "the gold column named by the options is not in the header");
    if (!o.split_column.empty() && l.split == none)
        throw input_error(file, 1, o.split_column, "the split column named by the options is not in the header");
    return l;
}

std::optional<double> number(std::string_view text) {
    if (text == "1" || text == "1.0" || text == "True" || text == "true") return 1.0;
    if (text == "0" || text == "0.0" || text == "False" || text == "false") return 0.0;
    // strtod, not from_chars: Emscripten's libc++ has no floating-point from_chars.
    char buffer[64];
    if (text.empty() || text.size() >= sizeof buffer) return std::nullopt;
    std::copy(text.begin(), text.end(), buffer);
    buffer[text.size()] = '\0';
    char* end = nullptr;
    const double value = std::strtod(buffer, &end);
    if (end != buffer + text.size() || !std::isfinite(value)) return std::nullopt;
    return value;
}

// "<benchmark>/<query id>" as the table gives them -> the study's query.
using query_map = std::unordered_map<std::string, std::uint32_t>;

class long_reader {
public:
    long_reader(context& ctx, const std::string& file, std::vector<std::string> header)
        : ctx_(ctx), file_(file), header_(std::move(header)), l_(read_layout(header_, ctx.opts, file)),
          grader_("source:" + (ctx.opts.grader.empty() ? std::string("long") : ctx.opts.grader)) {
        if (!ctx_.state["long"].has_value()) ctx_.state["long"] = query_map{};
    }

    // One row's cells, as text (empty: absent); `cells` parallels the header.
    void row(const std::vector<std::string_view>& cells, std::size_t line) {
        const row_origin at{file_, line};
        auto cell = [&](std::size_t c) { return c == none ? std::string_view() : cells[c]; };
        auto fail = [&](std::size_t c, const std::string& message) { throw input_error(file_, line, header_[c], message); };
        if (cell(l_.query).empty()) fail(l_.query, "must not be empty");
        if (cell(l_.model).empty()) fail(l_.model, "must not be empty");
        const std::string benchmark_id = l_.benchmark == none || cell(l_.benchmark).empty() ? ctx_.opts.benchmark
                                                                                              : std::string(cell(l_.benchmark));
        // A table of scores does not say how its answers were graded: open.
        const std::uint32_t benchmark = benchmark_for(ctx_, benchmark_id, task_kind::open, file_, at);
        const std::string source_id = benchmark_id + "/" + std::string(cell(l_.query));
        const std::uint16_t model = model_for(ctx_, cell(l_.model), at);

        // Every file of the import shares the queries: one file per model joins up.
        auto& queries = std::any_cast<query_map&>(ctx_.state["long"]);
        std::uint32_t query;
        if (auto it = queries.find(source_id); it != queries.end()) {
            query = it->second;
        } else {
            headroom::query q;
            q.id = std::string(cell(l_.query));
            q.benchmark = benchmark;
            q.text = cell(l_.prompt);
            q.gold = cell(l_.gold);
            if (l_.split != none && !cell(l_.split).empty()) {
                const auto side = parse_split_side(cell(l_.split));
                if (!side) fail(l_.split, "must be train or test, not '" + std::string(cell(l_.split)) + "'");
                q.split = *side;
            }
            // The same id in another benchmark is another query, named with its benchmark.
            if (ctx_.builder.find_query(q.id)) q.id = source_id;
            query = ctx_.builder.add(std::move(q), at);
            queries.emplace(source_id, query);
        }

        generation_row g;
        if (l_.sample != none && !cell(l_.sample).empty()) {
            const auto s = number(cell(l_.sample));
            if (!s || *s < 0 || *s > 65534 || *s != std::floor(*s)) fail(l_.sample, "must be a whole number from 0 to 65534");
            g.sample = static_cast<std::uint16_t>(*s);
        }
        g.id = canonical_generation_id(ctx_.builder.peek().queries[query].id, cell(l_.model), unknown_budget, g.sample);
        g.query = query;
        g.model = model;
        g.text = cell(l_.response);
        if (!cell(l_.cost).empty()) {
            const auto cost = number(cell(l_.cost));
            if (!cost || *cost < 0) fail(l_.cost, "must be a non-negative number of dollars, not '" + std::string(cell(l_.cost)) + "'");
            g.cost_usd = *cost;
        }
        const std::uint32_t generation = ctx_.builder.add(std::move(g), at);
        grade_row grade;
        grade.generation = generation;
        grade.grader = grader_;
        if (cell(l_.score).empty()) {
            grade.status = grade_status::missing;
        } else {
            const auto score = number(cell(l_.score));
            if (!score) fail(l_.score, "must be a number, true/false or empty (missing), not '" + std::string(cell(l_.score)) + "'");
            grade.score = static_cast<float>(*score);
        }
        ctx_.builder.add(grade, at);
    }

    const std::vector<std::string>& header() const { return header_; }

private:
    context& ctx_;
    const std::string& file_;
    std::vector<std::string> header_;
    layout l_;
    std::string grader_;
};

// A JSON value as a cell: strings as they are, numbers and booleans as text, null "".
std::string cell_text(const json_value& v, const std::string& file, std::size_t line, const std::string& key) {
    if (v.is_null()) return {};
    if (v.is_string()) return v.get<std::string>();
    if (v.is_boolean()) return v.get<bool>() ? "1" : "0";
    if (v.is_number()) return v.dump();
    throw input_error(file, line, key, "must be a string, number, boolean or null");
}

bool looks_long(const std::vector<std::string>& header) {
    const options defaults;
    return column(header, defaults.model_column, {"model_name", "model_id"}) != none &&
           column(header, defaults.score_column, {"correct", "performance", "label", "accuracy"}) != none;
}

} // namespace

bool detect_long(const source_file& file) {
    const auto end = std::min(file.bytes.find('\n'), file.bytes.size());
    const std::string_view first = file.bytes.substr(0, end);
    if (ends_with(file.path, ".csv")) {
        csv_reader csv(first, file.path);
        std::vector<std::string_view> fields;
        try {
            if (!csv.next(fields)) return false;
        } catch (const input_error&) {
            return false;
        }
        return looks_long(std::vector<std::string>(fields.begin(), fields.end()));
    }
    if (!ends_with(file.path, ".jsonl")) return false;
    try {
        const json_value line = parse_json_bounded(first, file.path, 1);
        if (!line.is_object() || line.contains("custom_id") || line.contains("doc_id")) return false;
        std::vector<std::string> keys;
        for (const auto& [key, value] : line.items()) keys.push_back(key);
        return looks_long(keys);
    } catch (const input_error&) {
        return false;
    }
}

void parse_long(const source_file& file, context& ctx) {
    if (!ends_with(file.path, ".jsonl")) {
        csv_reader csv(file.bytes, file.path);
        std::vector<std::string_view> fields;
        if (!csv.next(fields)) throw input_error(file.path, 0, "", "the file is empty (a header row is needed)");
        long_reader reader(ctx, file.path, std::vector<std::string>(fields.begin(), fields.end()));
        while (csv.next(fields)) {
            if (fields.size() == 1 && fields[0].empty()) continue;  // a blank line
            if (fields.size() != reader.header().size())
                throw input_error(file.path, csv.line(), "", "has " + std::to_string(fields.size()) + " fields; the header has " +
                                                                 std::to_string(reader.header().size()));
            reader.row(fields, csv.line());
        }
        return;
    }
    // JSON Lines: the first line's keys are the columns; a later line may leave any out.
    std::optional<long_reader> reader;
    std::vector<std::string> cells;
    std::vector<std::string_view> views;
    for_each_json_line(file.bytes, file.path, [&](const json_value& line, std::size_t number) {
        if (!line.is_object()) throw input_error(file.path, number, "", "must be an object (one query and model)");
        if (!reader) {
            std::vector<std::string> keys;
            for (const auto& [key, value] : line.items()) keys.push_back(key);
            reader.emplace(ctx, file.path, std::move(keys));
        }
        const auto& header = reader->header();
        cells.assign(header.size(), {});
        for (const auto& [key, value] : line.items()) {
            const auto c = std::find(header.begin(), header.end(), key);
            if (c == header.end()) continue;  // a column the first line did not have is not one the layout reads
            cells[static_cast<std::size_t>(c - header.begin())] = cell_text(value, file.path, number, key);
        }
        views.assign(cells.begin(), cells.end());
        reader->row(views, number);
    });
}

} // namespace headroom::import
