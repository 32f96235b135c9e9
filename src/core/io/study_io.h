// A study on disk: a directory of JSON Lines tables plus study.json (schema in README).
// Loading validates every field and every cross-reference; the first problem found
// is thrown as an input_error naming file, line and field.
#pragma once
#include "core/base/jsonl.h"
#include "core/study/study.h"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace headroom {

study load_study_dir(const std::string& dir, const json_limits& limits = {});
// The same tables held in memory (the files of an archive): `table(file)` gives one
// table's text, or nullopt when there is none; errors name the file as `where + file`.
study load_study_texts(const std::function<std::optional<std::string_view>(const char* file)>& table,
                       const std::string& where, const json_limits& limits = {});
// Writes every table to a temporary file first and renames it into place, so a crash
// never leaves a half-written table behind.
void write_study_dir(const study& s, const std::string& dir);
// Rewrites grades.jsonl alone (after grading), the same way.
void write_grades_file(const study& s, const std::string& dir);
// Writes embeddings.jsonl alone (after `headroom embed`), the same way.
void write_embeddings_file(const study& s, const std::string& dir);

// The tables' file names, in the order they are read.
inline constexpr const char* study_file = "study.json";
inline constexpr const char* benchmarks_file = "benchmarks.jsonl";
inline constexpr const char* queries_file = "queries.jsonl";
inline constexpr const char* models_file = "models.jsonl";
inline constexpr const char* generations_file = "generations.jsonl";
inline constexpr const char* judgments_file = "judgments.jsonl";  // optional
inline constexpr const char* grades_file = "grades.jsonl";
inline constexpr const char* embeddings_file = "embeddings.jsonl";  // optional
// Bounds on a study's embeddings: the widest real embedders have a few thousand
// dimensions, and the browser must hold every vector (1 GiB of floats at most).
inline constexpr std::size_t max_embedding_dimensions = 65536;
inline constexpr std::uint64_t max_embedding_values = std::uint64_t{1} << 28;

// Table-by-table building blocks, shared by the directory loader and by loaders of
// other containers (the browser's dropped files).
class study_builder {
public:
    void info(const record& r);
    void benchmark(const record& r);
    void query(const record& r);
    void model(const record& r);
    void generation(const record& r);
    void judgment(const record& r);
    void grade(const record& r);
    void embedding(const record& r);
    study finish();  // checks what needs the whole study (every query has a gold, ...)

private:
    study s_;
    std::unordered_map<std::string, std::uint32_t> benchmark_ids_, query_ids_, model_ids_, generation_ids_;
    std::unordered_map<std::string, std::size_t> generation_keys_, grade_keys_, judgment_keys_;
    std::vector<char> embedded_;  // per query, once embeddings.jsonl has begun
    std::string embeddings_file_;
};

} // namespace headroom
