#include "core/io/study_io.h"

#include "core/io/validate.h"
#include "core/study/builder.h"

#include <cmath>
#include <filesystem>
#include <fstream>
#include <functional>
#include <limits>
#include <optional>
#include <sstream>

namespace headroom {

using nlohmann::ordered_json;
namespace fs = std::filesystem;

namespace {

// Where a loader finds the tables: study.json whole, each JSONL table line by line,
// and whether the optional ones are there. Errors name the file as `path(file)` says.
struct table_source {
    std::function<std::string(const char* file)> path;
    std::function<std::optional<std::string>(const char* file)> whole;
    std::function<void(const char* file, const std::function<void(const record&)>&)> lines;
    std::function<bool(const char* file)> has;
};

// The tables in the order their cross-references need: study.json, then what queries
// refer to before the queries, generations before their judgments and grades.
constexpr std::size_t max_errors_per_file = 20;

study load_tables(const table_source& source, const json_limits& limits) {
    study_builder builder;
    const std::string info_path = source.path(study_file);
    const std::optional<std::string> info = source.whole(study_file);
    if (!info) throw input_error(info_path, 0, "", "cannot open file");
    builder.info(record(parse_json_bounded(*info, info_path, 1, limits), info_path, 1));
    // A file's errors are gathered (up to max_errors_per_file) so that one run shows
    // what to fix; the tables after a file with errors are not read, as their
    // references could fail only because of it.
    auto table = [&](const char* file, void (study_builder::*add)(const record&)) {
        std::vector<input_error> errors;
        struct enough_errors {};
        try {
            source.lines(file, [&](const record& r) {
                try {
                    (builder.*add)(r);
                } catch (const input_error& e) {
                    errors.push_back(e);
                    if (errors.size() == max_errors_per_file) throw enough_errors{};
                }
            });
        } catch (const enough_errors&) {
        } catch (const input_error& e) {
            errors.push_back(e);  // a line that does not parse ends the file
        }
        if (errors.empty()) return;
        if (errors.size() == 1) throw errors.front();
        std::string message = std::to_string(errors.size()) + (errors.size() == max_errors_per_file ? " or more" : "") +
                              " errors; the first: " + errors.front().message();
        for (std::size_t i = 1; i < errors.size(); ++i) message += "\n  " + std::string(errors[i].what());
        throw input_error(errors.front().file(), errors.front().line(), errors.front().field(), message);
    };
    table(benchmarks_file, &study_builder::benchmark);
    table(queries_file, &study_builder::query);
    table(models_file, &study_builder::model);
    table(generations_file, &study_builder::generation);
    if (source.has(judgments_file)) table(judgments_file, &study_builder::judgment);
    // A study fresh from sampling or import may have no grades yet: `headroom grade` starts them.
    if (source.has(grades_file)) table(grades_file, &study_builder::grade);
    if (source.has(embeddings_file)) table(embeddings_file, &study_builder::embedding);
    study s = builder.finish();
    validate_study(s, {source.path, true});
    return s;
}

} // namespace

study load_study_dir(const std::string& dir, const json_limits& limits) {
    const fs::path root(dir);
    if (!fs::is_directory(root)) throw input_error(dir, 0, "", "not a study directory");
    table_source source;
    source.path = [&](const char* file) { return (root / file).string(); };
    source.whole = [&](const char* file) -> std::optional<std::string> {
        std::ifstream in(root / file, std::ios::binary);
        if (!in) return std::nullopt;
        std::stringstream text;
        text << in.rdbuf();
        return text.str();
    };
    // Line by line from disk: a generations table may be larger than memory would like.
    source.lines = [&](const char* file, const std::function<void(const record&)>& on_record) {
        read_jsonl((root / file).string(), on_record, limits);
    };
    source.has = [&](const char* file) { return fs::exists(root / file); };
    return load_tables(source, limits);
}

study load_study_texts(const std::function<std::optional<std::string_view>(const char* file)>& table,
                       const std::string& where, const json_limits& limits) {
    table_source source;
    source.path = [&](const char* file) { return where + file; };
    source.whole = [&](const char* file) -> std::optional<std::string> {
        const auto text = table(file);
        if (!text) return std::nullopt;
        return std::string(*text);
    };
    source.lines = [&](const char* file, const std::function<void(const record&)>& on_record) {
        const auto text = table(file);
        if (!text) throw input_error(where + file, 0, "", "missing (a study needs this table)");
        read_jsonl_text(*text, where + file, on_record, limits);
    };
    source.has = [&](const char* file) { return table(file).has_value(); };
    return load_tables(source, limits);
}

namespace {

void write_atomically(const fs::path& path, const std::string& content) {
    const fs::path tmp = path.string() + ".tmp";
    {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        if (!out) throw std::runtime_error("cannot write " + tmp.string());
        out << content;
        out.flush();
        if (!out) throw std::runtime_error("write failed: " + tmp.string());
    }
    fs::rename(tmp, path);
}

std::string line(const ordered_json& row) { return row.dump() + "\n"; }

} // namespace

void write_study_dir(const study& s, const std::string& dir) {
    const fs::path root(dir);
    fs::create_directories(root);

    ordered_json info;
    info["schema_version"] = s.needed_schema_version();
    info["name"] = s.info.name;
    info["description"] = s.info.description;
    info["simulated"] = s.info.simulated;
    info["provenance"] = s.info.provenance.empty() ? ordered_json::object() : ordered_json::parse(s.info.provenance);
    write_atomically(root / study_file, info.dump(2) + "\n");

    std::string out;
    for (const auto& b : s.benchmarks)
        out += line({{"id", b.id}, {"kind", to_string(b.kind)}, {"mirrors", b.mirrors}, {"description", b.description}});
    write_atomically(root / benchmarks_file, out);

    out.clear();
    for (const auto& q : s.queries) {
        ordered_json row{{"id", q.id}, {"benchmark", s.benchmarks[q.benchmark].id}, {"subject", q.subject},
                         {"text", q.text}};
        if (!q.options.empty()) row["options"] = q.options;
        if (!q.gold.empty()) row["gold"] = q.gold;
        if (!q.tests.empty()) row["tests"] = q.tests;
        if (!q.latent.empty()) row["latent"] = ordered_json::parse(q.latent);
        if (q.split != split_side::none) row["split"] = to_string(q.split);
        out += line(row);
    }
    write_atomically(root / queries_file, out);

    out.clear();
    for (const auto& m : s.models) {
        ordered_json row{{"id", m.id}, {"family", m.family}, {"tier", m.tier},
                         {"price_input_per_mtok", m.price_input_per_mtok},
                         {"price_output_per_mtok", m.price_output_per_mtok},
                         {"latency_ms_per_token", m.latency_ms_per_token}};
        if (!m.price_source.empty()) row["price_source"] = m.price_source;
        if (!m.price_date.empty()) row["price_date"] = m.price_date;
        out += line(row);
    }
    write_atomically(root / models_file, out);

    out.clear();
    const auto& g = s.generations;
    // What a log did not record is left out of its line, never written as a made-up value.
    for (std::size_t i = 0; i < g.size(); ++i) {
        ordered_json row{{"id", g.id[i]}, {"query", s.queries[g.query[i]].id}, {"model", s.models[g.model[i]].id}};
        if (g.budget[i] != unknown_budget) row["budget"] = g.budget[i];
        row["sample"] = g.sample[i];
        row["text"] = g.text[i];
        row["finish"] = to_string(g.finish[i]);
        if (g.input_tokens[i] != unknown_tokens) row["input_tokens"] = g.input_tokens[i];
        if (g.output_tokens[i] != unknown_tokens) row["output_tokens"] = g.output_tokens[i];
        if (known(g.latency_ms[i])) row["latency_ms"] = g.latency_ms[i];
        if (known(g.measured_cost(i))) row["cost_usd"] = g.measured_cost(i);
        out += line(row);
    }
    write_atomically(root / generations_file, out);

    out.clear();
    const auto& j = s.judgments;
    for (std::size_t i = 0; i < j.size(); ++i)
        out += line({{"generation", g.id[j.generation[i]]}, {"judge", j.judges[j.judge[i]]},
                     {"scale", to_string(j.scale[i])}, {"reply", j.reply[i]}});
    if (j.size() || fs::exists(root / judgments_file)) write_atomically(root / judgments_file, out);

    write_grades_file(s, dir);
    // An older embeddings.jsonl would otherwise stay beside queries it may not fit.
    if (!s.embeddings.empty() || fs::exists(root / embeddings_file)) write_embeddings_file(s, dir);
}

void write_embeddings_file(const study& s, const std::string& dir) {
    std::string out;
    for (std::size_t q = 0; q < s.queries.size() && !s.embeddings.empty(); ++q) {
        const auto v = s.embeddings.of(q);
        out += line({{"query", s.queries[q].id}, {"embedder", s.embeddings.embedder},
                     {"vector", std::vector<double>(v.begin(), v.end())}});
    }
    write_atomically(fs::path(dir) / embeddings_file, out);
}

void write_grades_file(const study& s, const std::string& dir) {
    const fs::path root(dir);
    const auto& g = s.generations;
    std::string out;
    const auto& t = s.grades;
    for (std::size_t i = 0; i < t.size(); ++i) {
        ordered_json row{{"generation", g.id[t.generation[i]]}, {"grader", t.graders[t.grader[i]]},
                         {"status", to_string(t.status[i])}};
        if (t.status[i] != grade_status::missing) row["score"] = t.score[i];
        if (!t.answer[i].empty()) row["answer"] = t.answer[i];
        if (!t.rules[t.rule[i]].empty()) row["rule"] = t.rules[t.rule[i]];
        if (!t.detail[i].empty()) row["detail"] = t.detail[i];
        out += line(row);
    }
    write_atomically(root / grades_file, out);
}

} // namespace headroom
