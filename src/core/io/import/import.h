// Importers: other tools' outcome logs turned into a study. They read bytes in memory
// (the CLI reads the files, the browser hands over a dropped file) and add rows through
// one study_builder, so several sources (one per model, or per task) merge into one study
// with the study format's own checks.
#pragma once
#include "core/study/builder.h"

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace headroom::import {

// One file of a source: its path as the user named it (relative inside a directory).
struct source_file {
    std::string path;
    std::string_view bytes;
};

// How columns of a table map onto the study; the defaults read RouterBench's tables.
struct options {
    std::string format;            // empty: detect
    std::string grader;            // outcomes' grader is source:<grader>; empty: the format's name
    std::string query_column = "sample_id";
    std::string benchmark_column = "eval_name";
    std::string prompt_column = "prompt";
    std::string gold_column;       // none by default: RouterBench has no gold column
    std::string split_column;      // none: the split comes from `train`/`test` in the file name
    std::vector<std::string> ignore_columns{"", "oracle_model_to_route_to"};
    std::vector<std::string> text_suffixes{"|model_response", "_response"};
    std::vector<std::string> cost_suffixes{"|total_cost"};
    std::string benchmark = "imported";  // the benchmark of rows without a benchmark column
};

// What importing every source shares: the study being built and the queries seen, so a
// query repeated across sources (one per model) is joined and one repeated with another
// prompt is told apart.
struct context {
    study_builder builder;
    options opts;
    // query id as the source gives it -> ids given to it in the study, in order of appearance
    std::unordered_map<std::string, std::vector<std::uint32_t>> queries_by_source_id;
    std::size_t renamed_queries = 0;  // repeated ids given a "#<n>" suffix
};

struct format {
    std::string_view name;
    std::string_view summary;  // what the format is, for the list in an error
    bool (*detect)(const source_file& file);
    void (*parse)(const source_file& file, context& into);
};

const std::vector<format>& formats();
const format* find_format(std::string_view name);

// Imports every file into one study. Throws input_error naming the file, line and field
// of a bad row, or, when no format is named and detection is ambiguous or fails, one
// listing the formats and what was seen.
struct result {
    headroom::study study;
    std::size_t renamed_queries = 0;
    std::vector<std::string> formats_used;  // per file, in order
};
result import_sources(const std::vector<source_file>& files, const options& opts);

} // namespace headroom::import
