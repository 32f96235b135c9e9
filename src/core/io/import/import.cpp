#include "core/io/import/import.h"

#include "core/io/import/wide_csv.h"

namespace headroom::import {

const std::vector<format>& formats() {
    static const std::vector<format> all{
        {"wide-csv", "one row per query, per model a score column (RouterBench, RouteLLM)", detect_wide_csv,
         parse_wide_csv},
    };
    return all;
}

const format* find_format(std::string_view name) {
    for (const auto& f : formats())
        if (f.name == name) return &f;
    return nullptr;
}

namespace {

std::string format_list() {
    std::string out;
    for (const auto& f : formats()) out += "\n  " + std::string(f.name) + ": " + std::string(f.summary);
    return out;
}

std::string first_line(std::string_view bytes) {
    const auto end = bytes.find_first_of("\r\n");
    std::string line(bytes.substr(0, std::min<std::size_t>(end, 120)));
    if (end > 120 && end != std::string_view::npos) line += "...";
    if (end == std::string_view::npos && bytes.size() > 120) line += "...";
    return line;
}

const format& choose(const source_file& file, const options& opts) {
    if (!opts.format.empty()) {
        if (const auto* f = find_format(opts.format)) return *f;
        throw input_error(file.path, 0, "format", "unknown format '" + opts.format + "'; the formats are:" + format_list());
    }
    std::vector<const format*> matches;
    for (const auto& f : formats())
        if (f.detect(file)) matches.push_back(&f);
    if (matches.size() == 1) return *matches.front();
    std::string seen = "its first line reads '" + first_line(file.bytes) + "'";
    if (matches.empty())
        throw input_error(file.path, 0, "format", "no format recognises this file (" + seen +
                                                      "); name one with --format:" + format_list());
    std::string names;
    for (const auto* f : matches) names += (names.empty() ? "" : ", ") + std::string(f->name);
    throw input_error(file.path, 0, "format", "several formats could read this file (" + names + "; " + seen +
                                                  "); name one with --format:" + format_list());
}

} // namespace

result import_sources(const std::vector<source_file>& files, const options& opts) {
    context ctx;
    ctx.opts = opts;
    study_info info;
    info.name = "imported";
    info.description = "outcomes imported from other tools' logs";
    ctx.builder.info(info);
    ctx.builder.allow_missing_gold(true);
    result out;
    for (const auto& file : files) {
        const format& f = choose(file, opts);
        out.formats_used.emplace_back(f.name);
        f.parse(file, ctx);
    }
    out.study = ctx.builder.finish();
    out.renamed_queries = ctx.renamed_queries;
    return out;
}

} // namespace headroom::import
