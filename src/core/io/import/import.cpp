#include "core/io/import/import.h"

#include "core/io/import/batch.h"
#include "core/io/import/inspect.h"
#include "core/io/import/lm_eval.h"
#include "core/io/import/long_table.h"
#include "core/io/import/wide_csv.h"

namespace headroom::import {

const std::vector<format>& formats() {
    static const std::vector<format> all{
        {"wide-csv", "one row per query, per model a score column (RouterBench, RouteLLM)", detect_wide_csv,
         parse_wide_csv},
        {"long", "one row per (query, model), CSV or JSON Lines: query id, model, score columns", detect_long, parse_long},
        {"lm-eval", "lm-evaluation-harness --log_samples folders: samples_<task>_<date>.jsonl beside results_<date>.json",
         detect_lm_eval, parse_lm_eval},
        {"inspect", "inspect_ai logs, .json or .eval (a zip): samples, epochs, scores", detect_inspect, parse_inspect},
        {"openai-batch", "OpenAI Batch API output .jsonl, with the input .jsonl it answers (joined on custom_id)",
         detect_openai_batch, parse_openai_batch},
        {"anthropic-batch", "Anthropic Message Batches results .jsonl, with the requests .jsonl (joined on custom_id)",
         detect_anthropic_batch, parse_anthropic_batch},
    };
    return all;
}

const format* find_format(std::string_view name) {
    for (const auto& f : formats())
        if (f.name == name) return &f;
    return nullptr;
}

std::uint32_t query_for(context& ctx, query q, const std::function<std::string(std::string_view)>& answered_by,
                        const row_origin& at) {
    auto& seen = ctx.queries_by_source_id[q.id];
    for (const std::uint32_t index : seen) {
        const auto& existing = ctx.builder.peek().queries[index];
        if (existing.text == q.text && existing.benchmark == q.benchmark &&
            !ctx.builder.find_generation(answered_by(existing.id)))
            return index;
    }
    if (!seen.empty()) {
        q.id += "#" + std::to_string(seen.size() + 1);
        ++ctx.renamed_queries;
    }
    const std::uint32_t index = ctx.builder.add(std::move(q), at);
    seen.push_back(index);
    return index;
}

std::uint32_t benchmark_for(context& ctx, std::string_view id, task_kind kind, const std::string& file,
                            const row_origin& at) {
    if (auto found = ctx.builder.find_benchmark(id)) return *found;
    headroom::benchmark b;
    b.id = std::string(id);
    b.kind = kind;
    b.description = "imported from " + file;
    return ctx.builder.add(std::move(b), at);
}

std::uint16_t model_for(context& ctx, std::string_view id, const row_origin& at) {
    if (auto found = ctx.builder.find_model(id)) return *found;
    headroom::model m;
    m.id = std::string(id);
    return ctx.builder.add(std::move(m), at);
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
    ctx.files = &files;
    result out;
    for (const auto& file : files) {
        const format& f = choose(file, opts);
        out.formats_used.emplace_back(f.name);
        f.parse(file, ctx);
    }
    out.study = ctx.builder.finish();
    out.renamed_queries = ctx.renamed_queries;
    out.failed = std::move(ctx.failed);
    return out;
}

} // namespace headroom::import
