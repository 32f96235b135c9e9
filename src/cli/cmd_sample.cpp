#include "cli/commands.h"
#include "cli/progress.h"
#include "sample/batch_api.h"
#include "sample/sampler.h"

#include <cstdio>
#include <filesystem>

namespace headroom::cli {

namespace {

void run_batch_files(const sample::plan& p, const std::string& out, const sample::shard& part,
                     const std::string& write_batch, const std::string& read_batch) {
    std::filesystem::create_directories(out);
    const study queries = sample::load_plan_queries(p);
    const std::string ledger_path = (std::filesystem::path(out) / sample::ledger_file).string();
    if (!write_batch.empty()) {
        const sample::ledger l(ledger_path);
        const auto counts = sample::write_batch_input(p, queries, l, part, write_batch);
        std::fprintf(stderr, "batch input: %zu requests for %zu units -> %s\n", counts.requests, counts.units,
                     write_batch.c_str());
        return;
    }
    {
        sample::ledger l(ledger_path);
        const auto counts = sample::read_batch_output(p, queries, l, read_batch);
        std::fprintf(stderr, "batch output: %zu requests read, %zu units done, %zu failed\n", counts.requests,
                     counts.units, counts.failed);
    }
    sample::write_sampled_study(p, out, part);
}

} // namespace

void add_sample(CLI::App& app) {
    auto* cmd = app.add_subcommand("sample", "Sample a plan's models over OpenAI-compatible endpoints into a study");
    static std::string plan_path, out, shard_text = "0/1", write_batch, read_batch;
    cmd->add_option("plan", plan_path, "PLAN.json")->required();
    cmd->add_option("--out,-o", out, "study directory to write (its ledger lets a rerun resume)")->required();
    cmd->add_option("--shard", shard_text, "i/N: do only shard i (from 0) of N; join the outputs with `headroom merge`");
    auto* write = cmd->add_option("--write-batch", write_batch,
                                  "send nothing: write the OpenAI Batch API input for the work not done yet");
    cmd->add_option("--read-batch", read_batch,
                    "send nothing: read a Batch API output file into the ledger and write the study")
        ->excludes(write);
    cmd->callback([] {
        sample::run_options options;
        try {
            options.part = sample::parse_shard(shard_text);
        } catch (const std::invalid_argument& e) {
            throw CLI::ValidationError("--shard", e.what());
        }
        const sample::plan p = sample::load_plan(plan_path);
        if (!write_batch.empty() || !read_batch.empty()) {
            run_batch_files(p, out, options.part, write_batch, read_batch);
            return;
        }
        progress_line progress("sample");
        options.on_progress = [&](std::size_t done, std::size_t total) { progress.update(done, total); };
        const sample::run_summary summary = sample::run_sampling(p, out, options);
        progress.finish();
        std::fprintf(stderr, "%s\n-> %s\n", sample::summary_text(summary).c_str(), out.c_str());
        if (summary.failed) throw std::runtime_error(std::to_string(summary.failed) +
                                                     " units failed (see the ledger); rerun the same command to retry them");
    });
}

} // namespace headroom::cli
