// The rules a loaded study must keep, whichever file it came from: a study directory
// (or archive) of JSON Lines tables and a .pack are checked by this one function, so
// a hand-made pack cannot carry what the tables' loader refuses (a repeated sample,
// budget 0, a NaN price, a score off its grader's scale).
#pragma once
#include "core/study/study.h"

#include <functional>
#include <string>
#include <string_view>

namespace headroom {

// Where the rows came from, for the error messages.
struct study_origin {
    // The file that holds a table ("generations.jsonl", ...): the tables' own path, or
    // the pack's name for every table.
    std::function<std::string(const char* table_file)> file_of;
    // JSON Lines tables: row i is line i + 1 of its file. A pack's rows are numbered.
    bool rows_are_lines = false;
};

// Throws input_error naming the file, the line or row, and the field of the first
// problem found.
void validate_study(const study& s, const study_origin& origin);

} // namespace headroom
