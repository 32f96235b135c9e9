#include "cli/commands.h"
#include "cli/job_pool.h"
#include "cli/route_options.h"
#include "cli/study_source.h"
#include "core/features/feature_cache.h"
#include "core/routing/router.h"

#include <nlohmann/json.hpp>
#include <cstdio>

namespace headroom::cli {

void add_routers(CLI::App& app) {
    auto* cmd = app.add_subcommand(
        "routers", "Every router under every policy: accuracy, cost, collapse, gaps, APGR, AIQ, label-noise cost");
    static std::string path;
    static bool json = false;
    static unsigned threads = 0;
    static evaluation_flags flags;
    static std::string test_text = "corrected", train_text = "naive";
    cmd->add_option("study", path, "study directory or .pack file")->required();
    cmd->add_option("--protocol", test_text,
                    "the labels routers are tested on (default corrected): naive, corrected, or changes to one, "
                    "e.g. \"corrected budget=192\"");
    cmd->add_option("--train-protocol", train_text, "the noisy labels of the label-noise cost (default naive)");
    cmd->add_flag("--json", json, "print JSON instead of a table");
    cmd->add_option("--threads", threads,
                    "routers trained side by side (0: one per core; each holds its own copy of the labels); the numbers do not depend on it")
        ->check(CLI::Range(0u, 256u));
    flags.add_to(cmd);
    cmd->footer(routers_help());
    cmd->callback([] {
        flags.apply_features();
        const study s = open_study(path);
        const study_index index(s);
        feature_cache features(s);
        const routers_table t = evaluate_routers(
            s, index, protocol_named(train_text, s, "--train-protocol"), protocol_named(test_text, s, "--protocol"),
            flags.options, features,
            [](std::size_t count, const std::function<void(std::size_t)>& job) { run_on_threads(count, job, threads); });
        if (json) std::printf("%s\n", to_json(t).dump(2).c_str());
        else std::printf("%s", to_text(t).c_str());
    });
}

} // namespace headroom::cli
