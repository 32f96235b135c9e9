#include "cli/commands.h"
#include "cli/progress.h"
#include "sample/embedding.h"

#include <cstdio>

namespace headroom::cli {

void add_embed(CLI::App& app) {
    auto* cmd = app.add_subcommand("embed", "Embed every query of a study at an OpenAI-compatible endpoint (embeddings.jsonl)");
    static std::string dir;
    static sample::embed_options options;
    cmd->add_option("dir", dir, "study directory")->required();
    cmd->add_option("--endpoint", options.endpoint, "base URL of the API, e.g. http://127.0.0.1:8000/v1")->required();
    cmd->add_option("--model", options.model, "the embedding model, as the endpoint names it")->required();
    cmd->add_option("--api-key-env", options.api_key_env, "environment variable holding the API key (never printed)");
    cmd->add_option("--batch", options.batch, "queries per request")->check(CLI::Range(1, 2048));
    cmd->add_option("--max-concurrency", options.max_concurrency, "requests in flight at once")->check(CLI::Range(1, 1024));
    cmd->callback([] {
        progress_line progress("embed");
        const sample::embed_summary summary =
            sample::run_embedding(options, dir, [&](std::size_t done, std::size_t total) { progress.update(done, total); });
        progress.finish();
        std::fprintf(stderr, "embedded %zu queries (%zu numbers each) in %zu requests, %zu retried\n-> %s/embeddings.jsonl\n",
                     summary.queries, summary.dimensions, summary.requests, summary.retries, dir.c_str());
    });
}

} // namespace headroom::cli
