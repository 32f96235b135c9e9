#include "cli/commands.h"
#include "core/base/jsonl.h"
#include "core/io/import/import.h"
#include "core/io/study_io.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace headroom::cli {

namespace {

namespace fs = std::filesystem;

std::string read_bytes(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw input_error(path.string(), 0, "", "cannot open file");
    std::ostringstream bytes;
    bytes << in.rdbuf();
    return std::move(bytes).str();
}

bool detected(const import::source_file& file) {
    return std::any_of(import::formats().begin(), import::formats().end(), [&](const auto& f) { return f.detect(file); });
}

} // namespace

void add_import(CLI::App& app) {
    auto* cmd = app.add_subcommand("import", "Write a study from other tools' outcome logs (lm-eval, inspect_ai, Batch API files, wide CSV tables)");
    static std::vector<std::string> sources;
    static std::string out;
    static import::options opts;
    static std::vector<std::string> ignore, text_suffixes, cost_suffixes;
    std::string formats = "format of every source (detected when unambiguous):";
    for (const auto& f : import::formats()) formats += " " + std::string(f.name);
    cmd->add_option("sources", sources, "files, or directories of files, to import (merged into one study)")
        ->required()
        ->check(CLI::ExistingPath);
    cmd->add_option("--out,-o", out, "study directory to write")->required();
    cmd->add_option("--format,-f", opts.format, formats);
    cmd->add_option("--grader", opts.grader, "name the outcomes' grader source:<NAME> (default: the format's name)");
    cmd->add_option("--query-column", opts.query_column, "wide-csv and long: the query id column")->capture_default_str();
    cmd->add_option("--benchmark-column", opts.benchmark_column, "wide-csv and long: the benchmark column")->capture_default_str();
    cmd->add_option("--benchmark", opts.benchmark, "wide-csv and batch files: benchmark of queries when no column names one")
        ->capture_default_str();
    cmd->add_option("--prompt-column", opts.prompt_column, "wide-csv and long: the prompt column")->capture_default_str();
    cmd->add_option("--gold-column", opts.gold_column, "wide-csv and long: the gold answer column (none by default)");
    cmd->add_option("--split-column", opts.split_column,
                    "wide-csv and long: the train/test column (wide-csv default: 'train' or 'test' in the file name)");
    cmd->add_option("--ignore-column", ignore, "wide-csv: a column that is not a model (repeatable; default: the "
                                               "unnamed index column and oracle_model_to_route_to)");
    cmd->add_option("--text-suffix", text_suffixes,
                    "wide-csv: suffix of a model's text column (repeatable; default: |model_response and _response)");
    cmd->add_option("--cost-suffix", cost_suffixes,
                    "wide-csv: suffix of a model's dollar cost column (repeatable; default: |total_cost)");
    cmd->add_option("--model-column", opts.model_column, "long: the model column")->capture_default_str();
    cmd->add_option("--score-column", opts.score_column, "long: the score column")->capture_default_str();
    cmd->add_option("--response-column", opts.response_column, "long: the response text column")->capture_default_str();
    cmd->add_option("--cost-column", opts.cost_column, "long: the dollar cost column")->capture_default_str();
    cmd->add_option("--custom-id", opts.custom_id,
                    "batch files: how custom_id names the query, e.g. \"{query}-{model}-{sample}\" (default: the "
                    "whole custom_id is the query)");
    cmd->callback([] {
        if (!ignore.empty()) opts.ignore_columns = ignore;
        if (!text_suffixes.empty()) opts.text_suffixes = text_suffixes;
        if (!cost_suffixes.empty()) opts.cost_suffixes = cost_suffixes;
        // An import never replaces a study already there (its grades may be hours of work).
        if (fs::exists(fs::path(out) / study_file))
            throw input_error(out, 0, "", "already holds a study; import into a new directory");
        std::vector<std::string> bytes;
        std::vector<std::string> paths;
        std::size_t skipped = 0;
        for (const auto& source : sources) {
            if (!fs::is_directory(source)) {
                paths.push_back(source);
                continue;
            }
            std::vector<fs::path> found;
            for (const auto& entry : fs::recursive_directory_iterator(source))
                if (entry.is_regular_file()) found.push_back(entry.path());
            std::sort(found.begin(), found.end());  // a study does not depend on the directory's order
            for (const auto& path : found) paths.push_back(path.string());
        }
        bytes.reserve(paths.size());
        std::vector<import::source_file> files;
        for (const auto& path : paths) {
            bytes.push_back(read_bytes(path));
            import::source_file file{path, bytes.back()};
            const bool named = std::find(sources.begin(), sources.end(), path) != sources.end();
            // A file found in a directory that no format reads (a README) is left out; one
            // named on the command line must be read.
            if (!named && opts.format.empty() && !detected(file)) {
                std::fprintf(stderr, "skipped %s: no format reads it\n", path.c_str());
                ++skipped;
                continue;
            }
            files.push_back(file);
        }
        auto imported = import::import_sources(files, opts);
        write_study_dir(imported.study, out);
        std::size_t missing = 0;
        for (const auto status : imported.study.grades.status) missing += status == grade_status::missing;
        std::fprintf(stderr, "imported %zu files: %zu benchmarks, %zu queries, %zu models, %zu generations, %zu missing outcomes -> %s\n",
                     files.size(), imported.study.benchmarks.size(), imported.study.queries.size(),
                     imported.study.models.size(), imported.study.generations.size(), missing, out.c_str());
        for (const auto& [cause, count] : imported.failed)
            std::fprintf(stderr, "%zu requests without a generation (%s): missing outcomes\n", count, cause.c_str());
        if (imported.renamed_queries > 0)
            std::fprintf(stderr, "%zu repeated query ids with another prompt were told apart as <id>#<n>\n",
                         imported.renamed_queries);
    });
}

} // namespace headroom::cli
