#include "cli/commands.h"
#include "core/io/study_io.h"
#include "sample/merge.h"

#include <cstdio>

namespace headroom::cli {

void add_merge(CLI::App& app) {
    auto* cmd = app.add_subcommand("merge", "Join the shard outputs of `headroom sample --shard i/N` into one study");
    static std::vector<std::string> shards;
    static std::string out;
    cmd->add_option("shards", shards, "the shard study directories, one per shard")->required();
    cmd->add_option("--out,-o", out, "study directory to write")->required();
    cmd->callback([] {
        const study merged = sample::merge_shards(shards);
        write_study_dir(merged, out);
        std::fprintf(stderr, "merged %zu shards: %zu generations -> %s\n", shards.size(), merged.generations.size(),
                     out.c_str());
    });
}

} // namespace headroom::cli
