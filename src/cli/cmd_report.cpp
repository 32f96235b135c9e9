#include "cli/commands.h"
#include "cli/study_source.h"
#include "core/analysis/report.h"
#include "core/labels/protocol.h"

#include <nlohmann/json.hpp>
#include <cstdio>
#include <stdexcept>

namespace headroom::cli {

void add_report(CLI::App& app) {
    auto* cmd = app.add_subcommand("report", "Per-model accuracy, best single, oracle, unsolvable and headroom");
    static std::string path;
    static bool json = false;
    static std::vector<std::string> protocols;
    static report_options options;
    cmd->add_option("study", path, "study directory or .pack file")->required();
    cmd->add_flag("--json", json, "print JSON instead of a table");
    cmd->add_option("--protocol", protocols,
                    "extra protocol: naive, corrected, or changes to one, e.g. \"budget=1024 extractor=lenient\" "
                    "(changes to naive) or \"corrected budget=192\" (repeatable)");
    cmd->add_option("--test-fraction", options.test_fraction, "share of each benchmark's queries held out for the routers "
                    "(a benchmark with a published split keeps it)")
        ->check(CLI::Range(0.0, 1.0));
    cmd->add_option("--seed", options.split_seed, "seed of the train/test split");
    cmd->callback([] {
        const study s = open_study(path);
        const study_index index(s);
        auto named = default_protocols(s);
        for (const auto& text : protocols) {
            try {
                named.push_back({text, parse_protocol_named(text, s)});
            } catch (const std::invalid_argument& e) {
                throw CLI::ValidationError("--protocol", e.what());
            }
        }
        const study_report r = make_report(s, index, named, options);
        if (json) std::printf("%s\n", to_json(r).dump(2).c_str());
        else std::printf("%s", to_text(r).c_str());
    });
}

} // namespace headroom::cli
