#include "core/io/study_io.h"

#include "core/io/validate.h"

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

template <class Map>
std::uint32_t lookup(const Map& ids, const record& r, const char* field, const char* table) {
    const std::string id = r.str(field);
    auto it = ids.find(id);
    if (it == ids.end()) r.fail(field, "unknown " + std::string(table) + " id '" + id + "'");
    return static_cast<std::uint32_t>(it->second);
}

template <class Map>
std::uint32_t add_unique(Map& ids, const record& r, std::size_t index) {
    std::string id = r.str("id");
    if (id.empty()) r.fail("id", "must not be empty");
    auto [it, inserted] = ids.emplace(std::move(id), static_cast<std::uint32_t>(index));
    if (!inserted) r.fail("id", "duplicate id '" + it->first + "'");
    return it->second;
}

bool is_number_text(std::string_view text) {
    if (text.empty()) return false;
    std::size_t i = (text[0] == '-') ? 1 : 0;
    bool digits = false, dot = false;
    for (; i < text.size(); ++i) {
        if (text[i] >= '0' && text[i] <= '9') digits = true;
        else if (text[i] == '.' && !dot) dot = true;
        else return false;
    }
    return digits;
}

} // namespace

void study_builder::info(const record& r) {
    r.allow_only({"schema_version", "name", "description", "simulated", "provenance"});
    const auto version = r.signed_integer("schema_version", 0, 1'000'000);
    if (version != schema_version)
        r.fail("schema_version", "unsupported schema version " + std::to_string(version) + " (this build reads " +
                                     std::to_string(schema_version) + ")");
    s_.info.schema_version = static_cast<int>(version);
    s_.info.name = r.str("name");
    if (s_.info.name.empty()) r.fail("name", "must not be empty");
    s_.info.description = r.str_or("description", "");
    s_.info.simulated = r.boolean_or("simulated", false);
    s_.info.provenance = r.compact_json_or_empty("provenance");
}

void study_builder::benchmark(const record& r) {
    r.allow_only({"id", "kind", "mirrors", "description"});
    headroom::benchmark b;
    add_unique(benchmark_ids_, r, s_.benchmarks.size());
    b.id = r.str("id");
    const std::string kind = r.str("kind");
    auto parsed = parse_task_kind(kind);
    if (!parsed) r.fail("kind", "unknown task kind '" + kind + "' (mcq, numeric, code or open)");
    b.kind = *parsed;
    b.mirrors = r.str_or("mirrors", "");
    b.description = r.str_or("description", "");
    s_.benchmarks.push_back(std::move(b));
}

void study_builder::query(const record& r) {
    r.allow_only({"id", "benchmark", "subject", "text", "options", "gold", "tests", "latent", "split"});
    headroom::query q;
    add_unique(query_ids_, r, s_.queries.size());
    q.id = r.str("id");
    q.benchmark = lookup(benchmark_ids_, r, "benchmark", "benchmark");
    q.subject = r.str_or("subject", "");
    q.text = r.str("text");
    q.options = r.strings("options");
    q.gold = r.str_or("gold", "");
    q.tests = r.str_or("tests", "");
    q.latent = r.compact_json_or_empty("latent");
    if (const std::string split = r.str_or("split", ""); !split.empty()) {
        const auto side = parse_split_side(split);
        if (!side) r.fail("split", "must be \"train\" or \"test\", not '" + split + "'");
        q.split = *side;
    }
    switch (s_.benchmarks[q.benchmark].kind) {
    case task_kind::mcq:
        if (q.options.size() < 2 || q.options.size() > 26) r.fail("options", "an mcq query needs 2 to 26 options");
        if (q.gold.size() != 1 || q.gold[0] < 'A' || q.gold[0] >= 'A' + static_cast<int>(q.options.size()))
            r.fail("gold", q.gold.empty() ? "is missing (an mcq query needs its letter)"
                                          : "must be one of the option letters, not '" + q.gold + "'");
        break;
    case task_kind::numeric:
        if (q.gold.empty()) r.fail("gold", "is missing (a numeric query needs its number)");
        if (!is_number_text(q.gold)) r.fail("gold", "must be a plain number like -12.5, not '" + q.gold + "'");
        break;
    case task_kind::code:
        if (q.tests.empty()) r.fail("tests", "is missing (a code query needs its test program)");
        break;
    case task_kind::open: break;
    }
    s_.queries.push_back(std::move(q));
}

void study_builder::model(const record& r) {
    r.allow_only({"id", "family", "tier", "price_input_per_mtok", "price_output_per_mtok", "latency_ms_per_token"});
    headroom::model m;
    if (s_.models.size() >= 65535) r.fail("id", "too many models (at most 65535)");
    add_unique(model_ids_, r, s_.models.size());
    m.id = r.str("id");
    m.family = r.str_or("family", "");
    m.tier = static_cast<int>(r.signed_integer("tier", 0, 1000));
    auto non_negative = [&](const char* field) {
        const double v = r.number(field);
        if (v < 0) r.fail(field, "must not be negative");
        return v;
    };
    m.price_input_per_mtok = non_negative("price_input_per_mtok");
    m.price_output_per_mtok = non_negative("price_output_per_mtok");
    m.latency_ms_per_token = non_negative("latency_ms_per_token");
    s_.models.push_back(std::move(m));
}

void study_builder::generation(const record& r) {
    r.allow_only({"id", "query", "model", "budget", "sample", "text", "finish", "input_tokens", "output_tokens",
                  "latency_ms"});
    auto& g = s_.generations;
    add_unique(generation_ids_, r, g.size());
    const std::uint32_t q = lookup(query_ids_, r, "query", "query");
    const std::uint32_t m = lookup(model_ids_, r, "model", "model");
    const auto budget = static_cast<std::uint32_t>(r.integer("budget"));
    if (budget == 0) r.fail("budget", "must be at least 1 token");
    const auto sample = static_cast<std::uint16_t>(r.integer("sample", 65534));
    const std::string key = std::to_string(q) + "/" + std::to_string(m) + "/" + std::to_string(budget) + "/" +
                            std::to_string(sample);
    if (auto [it, inserted] = generation_keys_.emplace(key, g.size()); !inserted)
        r.fail("sample", "the same query, model, budget and sample already appear as generation '" +
                             g.id[it->second] + "'");
    const std::string finish = r.str("finish");
    const auto reason = parse_finish_reason(finish);
    if (!reason) r.fail("finish", "must be \"stop\", \"length\" or \"content_filter\", not '" + finish + "'");
    const double latency = r.number("latency_ms");
    if (latency < 0) r.fail("latency_ms", "must not be negative");
    g.id.push_back(r.str("id"));
    g.query.push_back(q);
    g.model.push_back(static_cast<std::uint16_t>(m));
    g.budget.push_back(budget);
    g.sample.push_back(sample);
    g.finish.push_back(*reason);
    g.input_tokens.push_back(static_cast<std::uint32_t>(r.integer("input_tokens")));
    g.output_tokens.push_back(static_cast<std::uint32_t>(r.integer("output_tokens")));
    g.latency_ms.push_back(latency);
    g.text.push_back(r.str("text"));
}

void study_builder::judgment(const record& r) {
    r.allow_only({"generation", "judge", "scale", "reply"});
    auto& j = s_.judgments;
    const std::uint32_t gen = lookup(generation_ids_, r, "generation", "generation");
    const std::string judge = r.str("judge");
    if (judge.empty() || judge.find(':') != std::string::npos) r.fail("judge", "must be a plain, non-empty name");
    if (auto [it, inserted] = judgment_keys_.emplace(std::to_string(gen) + "/" + judge, j.size()); !inserted)
        r.fail("judge", "generation '" + s_.generations.id[gen] + "' already has a reply from judge '" + judge + "'");
    const std::string scale = r.str("scale");
    if (scale != "rubric" && scale != "ten") r.fail("scale", "must be \"rubric\" (0-2) or \"ten\" (1-10), not '" + scale + "'");
    j.generation.push_back(gen);
    j.judge.push_back(j.judge_index(judge));
    j.scale.push_back(scale == "rubric" ? judge_scale::rubric : judge_scale::ten);
    j.reply.push_back(r.str("reply"));
}

void study_builder::grade(const record& r) {
    r.allow_only({"generation", "grader", "status", "score", "answer", "rule", "detail"});
    auto& t = s_.grades;
    const std::uint32_t gen = lookup(generation_ids_, r, "generation", "generation");
    const std::string grader = r.str("grader");
    if (!valid_grader_name(grader))
        r.fail("grader", "unknown grader '" + grader + "' (strict, lenient, exec:strict, exec:lenient or judge:<name>)");
    if (auto [it, inserted] = grade_keys_.emplace(std::to_string(gen) + "/" + grader, t.size()); !inserted)
        r.fail("grader", "generation '" + s_.generations.id[gen] + "' already has a '" + grader + "' grade");
    const std::string status_text = r.str("status");
    auto status = parse_grade_status(status_text);
    if (!status) r.fail("status", "unknown grade status '" + status_text + "'");
    t.generation.push_back(gen);
    t.grader.push_back(t.grader_index(grader));
    t.status.push_back(*status);
    t.score.push_back(static_cast<float>(r.number("score")));
    t.rule.push_back(t.rule_index(r.str_or("rule", "")));
    t.answer.push_back(r.str_or("answer", ""));
    t.detail.push_back(r.str_or("detail", ""));
}

void study_builder::embedding(const record& r) {
    r.allow_only({"query", "embedder", "vector"});
    const std::uint32_t q = lookup(query_ids_, r, "query", "query");
    const std::string embedder = r.str("embedder");
    if (embedder.empty()) r.fail("embedder", "must not be empty");
    const std::vector<double> vector = r.numbers("vector");
    if (vector.empty() || vector.size() > max_embedding_dimensions)
        r.fail("vector", "must hold 1 to " + std::to_string(max_embedding_dimensions) + " numbers");
    for (std::size_t i = 0; i < vector.size(); ++i)
        if (std::abs(vector[i]) > std::numeric_limits<float>::max())
            r.fail("vector", "item " + std::to_string(i) + " does not fit a 32-bit float");
    embedding_table& e = s_.embeddings;
    if (e.empty()) {
        // In 64 bits: on wasm32 a size_t product could wrap and leave the table too small.
        const std::uint64_t values = static_cast<std::uint64_t>(s_.queries.size()) * vector.size();
        if (values > max_embedding_values)
            r.fail("vector", std::to_string(s_.queries.size()) + " queries of " + std::to_string(vector.size()) +
                                 " numbers are more than " + std::to_string(max_embedding_values) + " in all");
        e.embedder = embedder;
        e.dimensions = vector.size();
        e.values.assign(static_cast<std::size_t>(values), 0.0f);
        embedded_.assign(s_.queries.size(), 0);
        embeddings_file_ = r.file();
    }
    if (embedder != e.embedder)
        r.fail("embedder", "is '" + embedder + "', but earlier lines are '" + e.embedder + "' (one embedder per study)");
    if (vector.size() != e.dimensions)
        r.fail("vector", "has " + std::to_string(vector.size()) + " numbers, earlier lines " + std::to_string(e.dimensions));
    if (embedded_[q]) r.fail("query", "a second vector for query '" + s_.queries[q].id + "'");
    embedded_[q] = 1;
    std::copy(vector.begin(), vector.end(), e.values.begin() + static_cast<std::ptrdiff_t>(q * e.dimensions));
}

study study_builder::finish() {
    if (s_.info.name.empty()) throw input_error(study_file, 0, "name", "study.json is missing or has no name");
    // A router reads every query's vector, so a partial table would fail far from here.
    for (std::size_t q = 0; q < embedded_.size(); ++q)
        if (!embedded_[q])
            throw input_error(embeddings_file_, 0, "query",
                              "no vector for query '" + s_.queries[q].id + "' (embeddings cover every query or none)");
    return std::move(s_);
}

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
study load_tables(const table_source& source, const json_limits& limits) {
    study_builder builder;
    const std::string info_path = source.path(study_file);
    const std::optional<std::string> info = source.whole(study_file);
    if (!info) throw input_error(info_path, 0, "", "cannot open file");
    builder.info(record(parse_json_bounded(*info, info_path, 1, limits), info_path, 1));
    auto table = [&](const char* file, void (study_builder::*add)(const record&)) {
        source.lines(file, [&](const record& r) { (builder.*add)(r); });
    };
    table(benchmarks_file, &study_builder::benchmark);
    table(queries_file, &study_builder::query);
    table(models_file, &study_builder::model);
    table(generations_file, &study_builder::generation);
    if (source.has(judgments_file)) table(judgments_file, &study_builder::judgment);
    table(grades_file, &study_builder::grade);
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
    info["schema_version"] = s.info.schema_version;
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
    for (const auto& m : s.models)
        out += line({{"id", m.id}, {"family", m.family}, {"tier", m.tier},
                     {"price_input_per_mtok", m.price_input_per_mtok},
                     {"price_output_per_mtok", m.price_output_per_mtok},
                     {"latency_ms_per_token", m.latency_ms_per_token}});
    write_atomically(root / models_file, out);

    out.clear();
    const auto& g = s.generations;
    for (std::size_t i = 0; i < g.size(); ++i)
        out += line({{"id", g.id[i]}, {"query", s.queries[g.query[i]].id}, {"model", s.models[g.model[i]].id},
                     {"budget", g.budget[i]}, {"sample", g.sample[i]}, {"text", g.text[i]},
                     {"finish", to_string(g.finish[i])}, {"input_tokens", g.input_tokens[i]},
                     {"output_tokens", g.output_tokens[i]}, {"latency_ms", g.latency_ms[i]}});
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
                         {"status", to_string(t.status[i])}, {"score", t.score[i]}};
        if (!t.answer[i].empty()) row["answer"] = t.answer[i];
        if (!t.rules[t.rule[i]].empty()) row["rule"] = t.rules[t.rule[i]];
        if (!t.detail[i].empty()) row["detail"] = t.detail[i];
        out += line(row);
    }
    write_atomically(root / grades_file, out);
}

} // namespace headroom
