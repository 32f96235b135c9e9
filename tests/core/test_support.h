// Shared helpers of the core's tests: fixture paths, scratch directories, file
// surgery for the bad-input cases, and a field-by-field comparison of two studies.
// Everything here works natively and in WebAssembly (node with NODERAWFS).
#pragma once
#include "core/base/jsonl.h"
#include "core/labels/labels.h"
#include "core/study/study.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

namespace headroom::test {

namespace fs = std::filesystem;

// A label matrix from its values, query by query (`models` values each).
inline label_matrix matrix(std::size_t models, std::vector<double> values) {
    label_matrix l;
    l.models = models;
    l.queries = models == 0 ? 0 : values.size() / models;
    l.value = std::move(values);
    return l;
}

// tests/core/fixtures and the repository root, baked in at compile time (absolute paths:
// the WASM build reads them through NODERAWFS).
inline std::string fixture(const std::string& name) { return std::string(HEADROOM_TEST_FIXTURES) + "/" + name; }
inline std::string source_root() { return HEADROOM_SOURCE_ROOT; }

inline std::string read_file(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    REQUIRE(in.good());
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

inline std::vector<std::uint8_t> read_bytes(const fs::path& path) {
    const std::string s = read_file(path);
    return {s.begin(), s.end()};
}

inline void write_file(const fs::path& path, std::string_view content) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(content.data(), static_cast<std::streamsize>(content.size()));
    out.close();
    REQUIRE(out.good());
}

// A fresh directory under the system temp dir, removed with everything in it at scope
// exit. Named from a random device and the clock: in WASM getpid() is a constant and
// CTest runs many test processes at once.
class temp_dir {
public:
    temp_dir() {
        std::random_device rd;
        const auto now = static_cast<std::uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count());
        for (int attempt = 0;; ++attempt) {
            const std::uint64_t tag = (static_cast<std::uint64_t>(rd()) << 32) ^ rd() ^ now ^ static_cast<std::uint64_t>(attempt);
            path_ = fs::temp_directory_path() / ("headroom-test-" + std::to_string(tag));
            if (fs::create_directory(path_)) break;
            REQUIRE(attempt < 100);
        }
    }
    ~temp_dir() {
        std::error_code ec;
        fs::remove_all(path_, ec);
    }
    temp_dir(const temp_dir&) = delete;
    temp_dir& operator=(const temp_dir&) = delete;
    const fs::path& path() const { return path_; }
    std::string str() const { return path_.string(); }
    fs::path operator/(const std::string& name) const { return path_ / name; }

private:
    fs::path path_;
};

// Copies a fixture study directory into `dir`/name and returns its path.
inline std::string copy_fixture(const temp_dir& dir, const std::string& name, const std::string& as = "study") {
    const fs::path to = dir / as;
    fs::copy(fixture(name), to, fs::copy_options::recursive);
    return to.string();
}

// Replaces the one occurrence of `from` in the file (the test fails if there is not exactly one).
inline void replace_once(const fs::path& path, std::string_view from, std::string_view to) {
    std::string text = read_file(path);
    const auto at = text.find(from);
    INFO("replacing '" << from << "' in " << path.string());
    REQUIRE(at != std::string::npos);
    REQUIRE(text.find(from, at + 1) == std::string::npos);
    text.replace(at, from.size(), to);
    write_file(path, text);
}

// 1-based number of the line holding `needle` (which must occur once).
inline std::size_t line_of(const fs::path& path, std::string_view needle) {
    const std::string text = read_file(path);
    const auto at = text.find(needle);
    INFO("looking for '" << needle << "' in " << path.string());
    REQUIRE(at != std::string::npos);
    return 1 + static_cast<std::size_t>(std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(at), '\n'));
}

// Runs f and returns the input_error it throws; nothing when it throws none. Any other
// exception propagates, so Catch reports it as a failure.
template <class F>
std::optional<input_error> input_error_of(F&& f) {
    try {
        f();
    } catch (const input_error& e) {
        return e;
    }
    return std::nullopt;
}

inline bool ends_with(std::string_view s, std::string_view suffix) {
    return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}
inline bool contains(std::string_view s, std::string_view part) { return s.find(part) != std::string_view::npos; }

// Checks that f throws an input_error at file (a path suffix), line and field, whose
// message contains `message_part`.
template <class F>
void check_input_error(F&& f, const std::string& file_suffix, std::size_t line, const std::string& field,
                       const std::string& message_part) {
    const auto e = input_error_of(std::forward<F>(f));
    INFO("expected an input_error at " << file_suffix << ":" << line << " field '" << field << "'");
    REQUIRE(e.has_value());
    INFO("got: " << e->what());
    CHECK(ends_with(e->file(), file_suffix));
    CHECK(e->line() == line);
    CHECK(e->field() == field);
    CHECK(contains(e->message(), message_part));
    // what() repeats all of it, in the "file:line: field 'x': message" form the CLI prints.
    CHECK(contains(e->what(), e->file()));
    CHECK(contains(e->what(), e->message()));
    if (line) CHECK(contains(e->what(), ":" + std::to_string(line) + ":"));
    if (!field.empty()) CHECK(contains(e->what(), "field '" + field + "'"));
}

// The test's own CSV reading: RFC 4180 by a character state machine, independent of the
// importer's csv_reader, so that tests of the real fixtures check the importer against it.
inline std::vector<std::vector<std::string>> csv_rows(const std::string& t) {
    std::vector<std::vector<std::string>> rows(1, std::vector<std::string>(1));
    bool quoted = false;
    for (std::size_t i = 0; i < t.size(); ++i) {
        const char ch = t[i];
        if (quoted) {
            if (ch == '"' && i + 1 < t.size() && t[i + 1] == '"') rows.back().back() += '"', ++i;
            else if (ch == '"') quoted = false;
            else rows.back().back() += ch;
        } else if (ch == '"') quoted = true;
        else if (ch == ',') rows.back().emplace_back();
        else if (ch == '\n') rows.emplace_back(1);
        else if (ch != '\r') rows.back().back() += ch;
    }
    if (rows.back().size() == 1 && rows.back()[0].empty()) rows.pop_back();
    return rows;
}

// The six CSV files of the RouterBench subset in ../shared/fixtures, sorted by name; empty,
// with a warning, where ../shared is absent (a user's clone: the fixtures are in CI).
inline std::vector<fs::path> routerbench_fixture_files() {
    const fs::path dir = fs::path(source_root()) / ".." / "shared" / "fixtures" / "routerbench-subset";
    std::vector<fs::path> paths;
    if (!fs::exists(dir)) {
        WARN("skipped: " << dir.string() << " is absent (the shared fixtures are in CI, not in a user's clone)");
        return paths;
    }
    for (const auto& e : fs::directory_iterator(dir))
        if (e.path().extension() == ".csv") paths.push_back(e.path());
    std::sort(paths.begin(), paths.end());
    return paths;
}

// JSON text compared by value (key order ignored), for the opaque provenance/latent blobs.
inline bool same_json_value(const std::string& a, const std::string& b) {
    if (a.empty() || b.empty()) return a == b;
    return nlohmann::json::parse(a) == nlohmann::json::parse(b);
}

enum class blob_compare { exact, by_value };

// "" when the two studies hold the same tables, else the first difference found.
// Grades compare by grader and rule name (their index tables may be ordered differently).
inline std::string first_difference(const study& a, const study& b, blob_compare blobs = blob_compare::exact) {
    auto blob_equal = [&](const std::string& x, const std::string& y) {
        return blobs == blob_compare::exact ? x == y : same_json_value(x, y);
    };
    if (a.info.schema_version != b.info.schema_version || a.info.name != b.info.name ||
        a.info.description != b.info.description || a.info.simulated != b.info.simulated ||
        a.info.texts_omitted != b.info.texts_omitted)
        return "study info differs";
    if (!blob_equal(a.info.provenance, b.info.provenance))
        return "provenance differs:\n  " + a.info.provenance + "\n  " + b.info.provenance;
    if (a.benchmarks.size() != b.benchmarks.size()) return "benchmark count differs";
    for (std::size_t i = 0; i < a.benchmarks.size(); ++i) {
        const auto &x = a.benchmarks[i], &y = b.benchmarks[i];
        if (x.id != y.id || x.kind != y.kind || x.mirrors != y.mirrors || x.description != y.description)
            return "benchmark " + std::to_string(i) + " differs";
    }
    if (a.queries.size() != b.queries.size()) return "query count differs";
    for (std::size_t i = 0; i < a.queries.size(); ++i) {
        const auto &x = a.queries[i], &y = b.queries[i];
        if (x.id != y.id || x.benchmark != y.benchmark || x.subject != y.subject || x.text != y.text ||
            x.options != y.options || x.gold != y.gold || x.tests != y.tests || !blob_equal(x.latent, y.latent) ||
            x.split != y.split)
            return "query " + x.id + " differs";
    }
    if (a.models.size() != b.models.size()) return "model count differs";
    for (std::size_t i = 0; i < a.models.size(); ++i) {
        const auto &x = a.models[i], &y = b.models[i];
        if (x.id != y.id || x.family != y.family || x.tier != y.tier ||
            x.price_input_per_mtok != y.price_input_per_mtok || x.price_output_per_mtok != y.price_output_per_mtok ||
            x.latency_ms_per_token != y.latency_ms_per_token)
            return "model " + x.id + " differs";
    }
    if (a.embeddings.embedder != b.embeddings.embedder || a.embeddings.dimensions != b.embeddings.dimensions ||
        a.embeddings.values != b.embeddings.values)
        return "embeddings differ";
    const auto &g = a.generations, &h = b.generations;
    if (g.size() != h.size() || g.text.size() != h.text.size() || g.id.size() != h.id.size())
        return "generation count differs";
    for (std::size_t i = 0; i < g.size(); ++i) {
        if (g.id[i] != h.id[i] || g.query[i] != h.query[i] || g.model[i] != h.model[i] || g.budget[i] != h.budget[i] ||
            g.sample[i] != h.sample[i] || g.finish[i] != h.finish[i] || g.input_tokens[i] != h.input_tokens[i] ||
            g.output_tokens[i] != h.output_tokens[i] || g.latency_ms[i] != h.latency_ms[i] || g.text[i] != h.text[i])
            return "generation row " + std::to_string(i) + " (" + g.id[i] + ") differs";
    }
    const auto &j = a.judgments, &k = b.judgments;
    if (j.size() != k.size() || j.reply.size() != k.reply.size()) return "judgment count differs";
    for (std::size_t i = 0; i < j.size(); ++i) {
        if (j.generation[i] != k.generation[i] || j.judges[j.judge[i]] != k.judges[k.judge[i]] ||
            j.scale[i] != k.scale[i] || j.reply[i] != k.reply[i])
            return "judgment row " + std::to_string(i) + " differs";
    }
    const auto &s = a.grades, &t = b.grades;
    if (s.size() != t.size() || s.answer.size() != t.answer.size() || s.detail.size() != t.detail.size())
        return "grade count differs";
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s.generation[i] != t.generation[i] || s.graders[s.grader[i]] != t.graders[t.grader[i]] ||
            s.status[i] != t.status[i] || s.score[i] != t.score[i] || s.rules[s.rule[i]] != t.rules[t.rule[i]] ||
            s.answer[i] != t.answer[i] || s.detail[i] != t.detail[i])
            return "grade row " + std::to_string(i) + " differs";
    }
    return "";
}

// A study built in code for the label and router tests: benchmarks, queries and
// models by id, then generations with their strict/lenient grades given directly.
class study_maker {
public:
    study_maker() {
        s.info.name = "made";
    }
    std::uint32_t benchmark(const std::string& id, task_kind kind) {
        s.benchmarks.push_back({id, kind, "", ""});
        return static_cast<std::uint32_t>(s.benchmarks.size() - 1);
    }
    std::uint32_t query(const std::string& id, std::uint32_t bench, const std::string& gold, int options = 4) {
        headroom::query q;
        q.id = id;
        q.benchmark = bench;
        q.text = "text of " + id;
        q.gold = gold;
        if (s.benchmarks[bench].kind == task_kind::mcq)
            for (int i = 0; i < options; ++i) q.options.push_back("option " + std::to_string(i));
        if (s.benchmarks[bench].kind == task_kind::code) q.tests = "assert f() == 1";
        s.queries.push_back(q);
        return static_cast<std::uint32_t>(s.queries.size() - 1);
    }
    std::uint16_t model(const std::string& id) {
        s.models.push_back({id, "fam", static_cast<int>(s.models.size()), 1, 2, 3, "", ""});
        return static_cast<std::uint16_t>(s.models.size() - 1);
    }
    // One generation plus one grade under `grader` with the given answer and score.
    std::uint32_t generation(std::uint32_t q, std::uint16_t m, std::uint32_t budget, std::uint16_t sample,
                             const std::string& answer, float score, const std::string& grader = "strict") {
        auto& g = s.generations;
        const auto row = static_cast<std::uint32_t>(g.size());
        g.id.push_back("g" + std::to_string(row));
        g.query.push_back(q);
        g.model.push_back(m);
        g.budget.push_back(budget);
        g.sample.push_back(sample);
        g.finish.push_back(finish_reason::stop);
        g.input_tokens.push_back(10);
        g.output_tokens.push_back(5);
        g.latency_ms.push_back(1.0);
        g.text.push_back("answer " + answer);
        grade(row, grader, answer, score);
        return row;
    }
    void grade(std::uint32_t generation, const std::string& grader, const std::string& answer, float score) {
        auto& t = s.grades;
        t.generation.push_back(generation);
        t.grader.push_back(t.grader_index(grader));
        t.status.push_back(answer.empty() ? grade_status::invalid : grade_status::ok);
        t.score.push_back(score);
        t.rule.push_back(t.rule_index("made"));
        t.answer.push_back(answer);
        t.detail.push_back("");
    }
    study s;
};

} // namespace headroom::test
