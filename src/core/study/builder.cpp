#include "core/study/builder.h"

#include "core/study/table_files.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>

namespace headroom {

namespace {

[[noreturn]] void fail_at(const row_origin& at, const char* field, const std::string& message) {
    throw input_error(at.file, at.line, field, message);
}

row_origin origin_of(const record& r) { return {r.file(), r.line()}; }

template <class Map>
std::uint32_t lookup(const Map& ids, const record& r, const char* field, const char* table) {
    const std::string id = r.str(field);
    auto it = ids.find(id);
    if (it == ids.end()) r.fail(field, "unknown " + std::string(table) + " id '" + id + "'");
    return static_cast<std::uint32_t>(it->second);
}

template <class Map>
void add_unique(Map& ids, const std::string& id, std::size_t index, const row_origin& at) {
    if (id.empty()) fail_at(at, "id", "must not be empty");
    auto [it, inserted] = ids.emplace(id, static_cast<std::uint32_t>(index));
    if (!inserted) fail_at(at, "id", "duplicate id '" + it->first + "'");
}

template <class Map>
auto find_id(const Map& ids, std::string_view id) -> std::optional<typename Map::mapped_type> {
    auto it = ids.find(std::string(id));
    if (it == ids.end()) return std::nullopt;
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

double non_negative_or_unknown(const record& r, const char* field) {
    const auto v = r.number_opt(field);
    if (!v) return std::numeric_limits<double>::quiet_NaN();
    if (*v < 0) r.fail(field, "must not be negative");
    return *v;
}

std::uint32_t tokens_or_unknown(const record& r, const char* field) {
    if (!r.has(field)) return unknown_tokens;
    // Some tools write counts as 12.0: accept a whole number in either spelling.
    const double v = r.number(field);
    if (v < 0 || v != std::floor(v) || v >= static_cast<double>(unknown_tokens))
        r.fail(field, "must be a whole number of tokens");
    return static_cast<std::uint32_t>(v);
}

} // namespace

std::optional<std::string> normalised_number(std::string_view text) {
    std::string plain;
    plain.reserve(text.size());
    // Separators only between digit groups of three, as "1,800" and "12,345.6" have them.
    std::size_t since_comma = 0;
    bool comma_seen = false, dot_seen = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c == ',') {
            if (dot_seen || plain.empty() || plain == "-" || (comma_seen && since_comma != 3)) return std::nullopt;
            comma_seen = true;
            since_comma = 0;
            continue;
        }
        if (c == '.') {
            if (comma_seen && since_comma != 3) return std::nullopt;
            dot_seen = true;
        } else if (c >= '0' && c <= '9' && !dot_seen) {
            ++since_comma;
        }
        plain.push_back(c);
    }
    if (comma_seen && !dot_seen && since_comma != 3) return std::nullopt;
    if (!is_number_text(plain)) return std::nullopt;
    return plain;
}

void study_builder::info(const record& r) {
    r.allow_only({"schema_version", "name", "description", "simulated", "provenance"});
    const auto version = r.signed_integer("schema_version", 0, 1'000'000);
    if (version < oldest_schema_version || version > schema_version)
        r.fail("schema_version", "unsupported schema version " + std::to_string(version) + " (this build reads " +
                                     std::to_string(oldest_schema_version) + " to " + std::to_string(schema_version) + ")");
    study_info i;
    i.schema_version = static_cast<int>(version);
    i.name = r.str("name");
    i.description = r.str_or("description", "");
    i.simulated = r.boolean_or("simulated", false);
    i.provenance = r.compact_json_or_empty("provenance");
    info(std::move(i), origin_of(r));
}

void study_builder::info(study_info i, const row_origin& at) {
    if (i.name.empty()) fail_at(at, "name", "must not be empty");
    s_.info = std::move(i);
}

void study_builder::benchmark(const record& r) {
    r.allow_only({"id", "kind", "mirrors", "description"});
    headroom::benchmark b;
    b.id = r.str("id");
    const std::string kind = r.str("kind");
    auto parsed = parse_task_kind(kind);
    if (!parsed) r.fail("kind", "unknown task kind '" + kind + "' (mcq, numeric, code or open)");
    b.kind = *parsed;
    b.mirrors = r.str_or("mirrors", "");
    b.description = r.str_or("description", "");
    add(std::move(b), origin_of(r));
}

std::uint32_t study_builder::add(headroom::benchmark b, const row_origin& at) {
    const auto index = static_cast<std::uint32_t>(s_.benchmarks.size());
    add_unique(benchmark_ids_, b.id, index, at);
    s_.benchmarks.push_back(std::move(b));
    return index;
}

void study_builder::query(const record& r) {
    r.allow_only({"id", "benchmark", "subject", "text", "options", "gold", "tests", "latent", "split"});
    headroom::query q;
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
    add(std::move(q), origin_of(r));
}

std::uint32_t study_builder::add(headroom::query q, const row_origin& at) {
    if (q.benchmark >= s_.benchmarks.size()) fail_at(at, "benchmark", "no benchmark at index " + std::to_string(q.benchmark));
    // A study of imported outcomes may hold queries whose gold lives in the grading tool.
    const bool gold_optional = allow_missing_gold_ || s_.info.schema_version >= 2;
    switch (s_.benchmarks[q.benchmark].kind) {
    case task_kind::mcq:
        if (q.options.size() > 26 || (q.options.size() < 2 && !(gold_optional && q.options.empty())))
            fail_at(at, "options", "an mcq query needs 2 to 26 options");
        if (q.gold.empty() && gold_optional) break;
        if (q.gold.size() != 1 || q.gold[0] < 'A' || q.gold[0] >= 'A' + static_cast<int>(q.options.size()))
            fail_at(at, "gold", q.gold.empty() ? "is missing (an mcq query needs its letter)"
                                               : "must be one of the option letters, not '" + q.gold + "'");
        break;
    case task_kind::numeric:
        if (q.gold.empty()) {
            if (gold_optional) break;
            fail_at(at, "gold", "is missing (a numeric query needs its number)");
        }
        if (auto plain = normalised_number(q.gold)) q.gold = std::move(*plain);
        else fail_at(at, "gold", "must be a number like -12.5 or 1,800, not '" + q.gold + "'");
        break;
    case task_kind::code:
        if (q.tests.empty() && !gold_optional) fail_at(at, "tests", "is missing (a code query needs its test program)");
        break;
    case task_kind::open: break;
    }
    const auto index = static_cast<std::uint32_t>(s_.queries.size());
    add_unique(query_ids_, q.id, index, at);
    s_.queries.push_back(std::move(q));
    return index;
}

void study_builder::model(const record& r) {
    r.allow_only({"id", "family", "tier", "price_input_per_mtok", "price_output_per_mtok", "latency_ms_per_token",
                  "price_source", "price_date"});
    headroom::model m;
    m.id = r.str("id");
    m.family = r.str_or("family", "");
    m.tier = static_cast<int>(r.has("tier") ? r.signed_integer("tier", 0, 1000) : 0);
    auto non_negative = [&](const char* field) {
        const double v = r.has(field) ? r.number(field) : 0.0;
        if (v < 0) r.fail(field, "must not be negative");
        return v;
    };
    m.price_input_per_mtok = non_negative("price_input_per_mtok");
    m.price_output_per_mtok = non_negative("price_output_per_mtok");
    m.latency_ms_per_token = non_negative("latency_ms_per_token");
    m.price_source = r.str_or("price_source", "");
    m.price_date = r.str_or("price_date", "");
    add(std::move(m), origin_of(r));
}

std::uint16_t study_builder::add(headroom::model m, const row_origin& at) {
    if (s_.models.size() >= 65535) fail_at(at, "id", "too many models (at most 65535)");
    for (const double v : {m.price_input_per_mtok, m.price_output_per_mtok, m.latency_ms_per_token})
        if (!(v >= 0)) fail_at(at, "price_input_per_mtok", "prices and latency must be non-negative numbers");
    const auto index = static_cast<std::uint16_t>(s_.models.size());
    add_unique(model_ids_, m.id, index, at);
    s_.models.push_back(std::move(m));
    return index;
}

void study_builder::generation(const record& r) {
    r.allow_only({"id", "query", "model", "budget", "sample", "text", "finish", "input_tokens", "output_tokens",
                  "latency_ms", "cost_usd"});
    generation_row g;
    g.id = r.str("id");
    g.query = lookup(query_ids_, r, "query", "query");
    g.model = static_cast<std::uint16_t>(lookup(model_ids_, r, "model", "model"));
    if (r.has("budget")) {
        g.budget = static_cast<std::uint32_t>(r.integer("budget"));
        if (g.budget == 0) r.fail("budget", "must be at least 1 token");
    }
    if (r.has("sample")) g.sample = static_cast<std::uint16_t>(r.integer("sample", 65534));
    const std::string finish = r.str_or("finish", "unknown");
    const auto reason = parse_finish_reason(finish);
    if (!reason)
        r.fail("finish", "must be \"stop\", \"length\", \"content_filter\" or \"unknown\", not '" + finish + "'");
    g.finish = *reason;
    g.input_tokens = tokens_or_unknown(r, "input_tokens");
    g.output_tokens = tokens_or_unknown(r, "output_tokens");
    g.latency_ms = non_negative_or_unknown(r, "latency_ms");
    g.cost_usd = non_negative_or_unknown(r, "cost_usd");
    const std::string text = r.str_or("text", "");
    g.text = text;
    add(std::move(g), origin_of(r));
}

std::uint32_t study_builder::add(generation_row row, const row_origin& at) {
    auto& g = s_.generations;
    if (row.query >= s_.queries.size()) fail_at(at, "query", "no query at index " + std::to_string(row.query));
    if (row.model >= s_.models.size()) fail_at(at, "model", "no model at index " + std::to_string(row.model));
    if (row.sample == 65535) fail_at(at, "sample", "must be at most 65534");
    if (known(row.latency_ms) && !(row.latency_ms >= 0)) fail_at(at, "latency_ms", "must not be negative");
    if (known(row.cost_usd) && !(row.cost_usd >= 0)) fail_at(at, "cost_usd", "must not be negative");
    const auto index = static_cast<std::uint32_t>(g.size());
    const generation_key key{(std::uint64_t{row.query} << 32) | row.budget,
                             (std::uint32_t{row.model} << 16) | row.sample};
    if (auto [it, inserted] = generation_keys_.emplace(key, index); !inserted)
        fail_at(at, "sample", "the same query, model, budget and sample already appear as generation '" +
                                  g.id[it->second] + "'");
    add_unique(generation_ids_, row.id, index, at);
    g.id.push_back(std::move(row.id));
    g.query.push_back(row.query);
    g.model.push_back(row.model);
    g.budget.push_back(row.budget);
    g.sample.push_back(row.sample);
    g.finish.push_back(row.finish);
    g.input_tokens.push_back(row.input_tokens);
    g.output_tokens.push_back(row.output_tokens);
    g.latency_ms.push_back(row.latency_ms);
    // The column begins at the first measured cost (NaN before it); on row 0 that is the row itself.
    if (known(row.cost_usd) && g.cost_usd.empty()) g.cost_usd.assign(index, std::numeric_limits<double>::quiet_NaN());
    if (known(row.cost_usd) || !g.cost_usd.empty()) g.cost_usd.push_back(row.cost_usd);
    g.text.push_back(row.text);
    return index;
}

void study_builder::judgment(const record& r) {
    r.allow_only({"generation", "judge", "scale", "reply"});
    judgment_row j;
    j.generation = lookup(generation_ids_, r, "generation", "generation");
    const std::string judge = r.str("judge");
    j.judge = judge;
    const std::string scale = r.str("scale");
    if (scale != "rubric" && scale != "ten") r.fail("scale", "must be \"rubric\" (0-2) or \"ten\" (1-10), not '" + scale + "'");
    j.scale = scale == "rubric" ? judge_scale::rubric : judge_scale::ten;
    const std::string reply = r.str("reply");
    j.reply = reply;
    add(j, origin_of(r));
}

void study_builder::add(const judgment_row& row, const row_origin& at) {
    auto& j = s_.judgments;
    if (row.generation >= s_.generations.size())
        fail_at(at, "generation", "no generation at index " + std::to_string(row.generation));
    if (row.judge.empty() || row.judge.find(':') != std::string_view::npos)
        fail_at(at, "judge", "must be a plain, non-empty name");
    const std::uint16_t judge = j.judge_index(row.judge);
    if (auto [it, inserted] = judgment_keys_.emplace((std::uint64_t{row.generation} << 16) | judge, j.size()); !inserted)
        fail_at(at, "judge", "generation '" + s_.generations.id[row.generation] + "' already has a reply from judge '" +
                                 std::string(row.judge) + "'");
    j.generation.push_back(row.generation);
    j.judge.push_back(judge);
    j.scale.push_back(row.scale);
    j.reply.push_back(row.reply);
}

void study_builder::grade(const record& r) {
    r.allow_only({"generation", "grader", "status", "score", "answer", "rule", "detail"});
    grade_row g;
    g.generation = lookup(generation_ids_, r, "generation", "generation");
    const std::string grader = r.str("grader");
    g.grader = grader;
    const std::string status_text = r.str("status");
    auto status = parse_grade_status(status_text);
    if (!status) r.fail("status", "unknown grade status '" + status_text + "'");
    g.status = *status;
    // A missing outcome has no score; every other grade has one.
    g.score = *status == grade_status::missing && !r.has("score") ? 0.0f : static_cast<float>(r.number("score"));
    const std::string rule = r.str_or("rule", ""), answer = r.str_or("answer", ""), detail = r.str_or("detail", "");
    g.rule = rule;
    g.answer = answer;
    g.detail = detail;
    add(g, origin_of(r));
}

void study_builder::add(const grade_row& row, const row_origin& at) {
    auto& t = s_.grades;
    if (row.generation >= s_.generations.size())
        fail_at(at, "generation", "no generation at index " + std::to_string(row.generation));
    if (!valid_grader_name(row.grader))
        fail_at(at, "grader", "unknown grader '" + std::string(row.grader) +
                                  "' (strict, lenient, exec:strict, exec:lenient, judge:<name> or source:<name>)");
    if (row.status == grade_status::missing && !is_source_grader(row.grader))
        fail_at(at, "status", "only a source:<name> grade may be missing (Headroom's own graders always decide)");
    const std::uint16_t grader = t.grader_index(row.grader);
    if (auto [it, inserted] = grade_keys_.emplace((std::uint64_t{row.generation} << 16) | grader, t.size()); !inserted)
        fail_at(at, "grader", "generation '" + s_.generations.id[row.generation] + "' already has a '" +
                                  std::string(row.grader) + "' grade");
    t.generation.push_back(row.generation);
    t.grader.push_back(grader);
    t.status.push_back(row.status);
    t.score.push_back(row.score);
    t.rule.push_back(t.rule_index(row.rule));
    t.answer.push_back(row.answer);
    t.detail.push_back(row.detail);
}

std::optional<std::uint32_t> study_builder::find_benchmark(std::string_view id) const { return find_id(benchmark_ids_, id); }
std::optional<std::uint32_t> study_builder::find_query(std::string_view id) const { return find_id(query_ids_, id); }
std::optional<std::uint16_t> study_builder::find_model(std::string_view id) const {
    auto found = find_id(model_ids_, id);
    if (!found) return std::nullopt;
    return static_cast<std::uint16_t>(*found);
}
std::optional<std::uint32_t> study_builder::find_generation(std::string_view id) const {
    return find_id(generation_ids_, id);
}

void study_builder::reserve_generations(std::size_t rows, std::size_t text_chars) {
    auto& g = s_.generations;
    g.id.reserve(rows);
    g.query.reserve(rows);
    g.model.reserve(rows);
    g.budget.reserve(rows);
    g.sample.reserve(rows);
    g.finish.reserve(rows);
    g.input_tokens.reserve(rows);
    g.output_tokens.reserve(rows);
    g.latency_ms.reserve(rows);
    g.text.reserve(rows, text_chars);
    generation_keys_.reserve(rows);
    generation_ids_.reserve(rows);
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
    // The version the study needs, as write_study_dir writes it: a version 2 file that
    // holds nothing of version 2 reads back the same as a version 1 file.
    s_.info.schema_version = s_.needed_schema_version();
    // A router reads every query's vector, so a partial table would fail far from here.
    for (std::size_t q = 0; q < embedded_.size(); ++q)
        if (!embedded_[q])
            throw input_error(embeddings_file_, 0, "query",
                              "no vector for query '" + s_.queries[q].id + "' (embeddings cover every query or none)");
    return std::move(s_);
}

} // namespace headroom
