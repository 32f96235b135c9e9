// The study format's tables, as files in a study directory or an archive: the loaders
// read them by these names, the writers write them, and every error names one.
#pragma once

namespace headroom {

// The tables' file names, in the order they are read.
inline constexpr const char* study_file = "study.json";
inline constexpr const char* benchmarks_file = "benchmarks.jsonl";
inline constexpr const char* queries_file = "queries.jsonl";
inline constexpr const char* models_file = "models.jsonl";
inline constexpr const char* generations_file = "generations.jsonl";
inline constexpr const char* judgments_file = "judgments.jsonl";  // optional
inline constexpr const char* grades_file = "grades.jsonl";
inline constexpr const char* embeddings_file = "embeddings.jsonl";  // optional

} // namespace headroom
