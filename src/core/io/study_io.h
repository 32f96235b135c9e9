// A study on disk: a directory of JSON Lines tables plus study.json (schema in README).
// Loading validates every field and every cross-reference; the first problem found
// is thrown as an input_error naming file, line and field.
#pragma once
#include "core/base/jsonl.h"
#include "core/study/study.h"
#include "core/study/table_files.h"

#include <functional>
#include <optional>
#include <string>
#include <string_view>

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

} // namespace headroom
