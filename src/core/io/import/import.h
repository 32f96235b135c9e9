// Importers: other tools' outcome logs turned into a study. They read bytes in memory
// (the CLI reads the files, the browser hands over a dropped file) and add rows through
// one study_builder, so several sources (one per model, or per task) merge into one study
// with the study format's own checks.
#pragma once
#include "core/study/builder.h"

#include <any>
#include <functional>
#include <map>
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
    // Long tables: one row per (query, model), each column found by the first of its
    // names the header holds (the option, then common spellings).
    std::string model_column = "model";
    std::string score_column = "score";
    std::string response_column = "response";
    std::string cost_column = "cost_usd";
    // Batch files: how a custom_id names the query, model and sample ("{query}", "{model}",
    // "{sample}" between literal text); empty: the whole custom_id is the query.
    std::string custom_id;
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
    // Requests a log holds no generation for (an errored sample, a failed batch line):
    // their pairs are missing outcomes, counted here and by cause.
    std::map<std::string, std::size_t> failed;
    // Every file of the import, for formats whose files refer to each other (a samples
    // file to its results file, a batch output to its input).
    const std::vector<source_file>* files = nullptr;
    // What a format keeps between its files (a batch input's requests), by format name.
    std::map<std::string, std::any> state;
};

// The study's query for a source's query: an existing query with the same source id,
// text and benchmark that has no generation `answered_by(existing id)` yet is the same
// query (one file per model); any other repeat of an id is a different query, told
// apart as "<id>#<n>" (RouterBench repeats sample ids with different prompts).
std::uint32_t query_for(context& ctx, query q, const std::function<std::string(std::string_view)>& answered_by,
                        const row_origin& at);
// The study's benchmark of this id, added (with `kind`) when new.
std::uint32_t benchmark_for(context& ctx, std::string_view id, task_kind kind, const std::string& file,
                            const row_origin& at);
std::uint16_t model_for(context& ctx, std::string_view id, const row_origin& at);

struct format {
    std::string_view name;
    std::string_view summary;  // what the format is, for the list in an error
    // Whether the file is this format's; reads at most the start of the file and its name.
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
    std::map<std::string, std::size_t> failed;  // requests without a generation, by cause
};
result import_sources(const std::vector<source_file>& files, const options& opts);

} // namespace headroom::import
