#include "cli/commands.h"
#include "cli/study_source.h"
#include "core/analysis/fingerprint.h"
#include "core/labels/protocol.h"

#include <nlohmann/json.hpp>
#include <cstdio>
#include <stdexcept>

namespace headroom::cli {

void add_describe(CLI::App& app) {
    auto* cmd = app.add_subcommand(
        "describe", "The study's fingerprint: how its models agree and differ, how varied its texts are, how much of "
                    "the difficulty the text shows, and whether a router collapses onto one model");
    static std::string path;
    static std::string protocol_text = "corrected";
    static bool json = false;
    static fingerprint_options options;
    cmd->add_option("study", path, "study directory or .pack file")->required();
    cmd->add_option("--protocol", protocol_text,
                    "the labels: naive, corrected (default), or changes to one, e.g. \"corrected budget=192\"");
    cmd->add_flag("--json", json, "print JSON instead of text");
    cmd->add_option("--seed", options.seed, "seed of the folds, the near-twin sample and the router's split");
    static bool no_router = false;
    cmd->add_flag("--no-router", no_router, "skip the router (the collapse figure), the slowest part");
    cmd->callback([] {
        const study s = open_study(path);
        const study_index index(s);
        protocol p;
        try {
            p = parse_protocol_named(protocol_text, s);
        } catch (const std::invalid_argument& e) {
            throw CLI::ValidationError("--protocol", e.what());
        }
        options.router = !no_router;
        feature_cache features(s);
        const study_fingerprint f = fingerprint(s, index, p, features, options);
        if (json) std::printf("%s\n", to_json(f).dump(2).c_str());
        else std::printf("%s", to_text(f).c_str());
    });
}

} // namespace headroom::cli
