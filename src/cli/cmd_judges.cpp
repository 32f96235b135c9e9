#include "cli/commands.h"
#include "cli/study_source.h"
#include "core/analysis/judge_bias.h"

#include <nlohmann/json.hpp>
#include <cstdio>

namespace headroom::cli {

void add_judges(CLI::App& app) {
    auto* cmd = app.add_subcommand(
        "judges", "Measure the judges' biases: length slope, verbose-wrong and concise-correct pass rates, kappa");
    static std::string path, json_out;
    static judge_bias_options options;
    static std::uint32_t budget = 0;
    static double concise = -1, verbose = -1;
    cmd->add_option("study", path, "study directory or .pack file")->required();
    cmd->add_option("--budget", budget, "budget whose generations are measured (default: the longest)");
    cmd->add_option("--concise", concise, "answers under this many tokens are concise (default: lower quartile)");
    cmd->add_option("--verbose", verbose, "answers over this many tokens are verbose (default: upper quartile)");
    cmd->add_option("--resamples", options.resamples, "bootstrap resamples")->check(CLI::Range(0, 100000));
    cmd->add_option("--seed", options.seed, "bootstrap seed");
    cmd->add_option("--json", json_out, "also write the result as JSON to this file ('-' for stdout)");
    cmd->callback([] {
        if (budget > 0) options.budget = budget;
        if (concise >= 0) options.concise_tokens = concise;
        if (verbose >= 0) options.verbose_tokens = verbose;
        const study s = open_study(path);
        const judge_bias_report r = measure_judge_bias(s, options);
        if (json_out != "-") std::printf("%s", to_text(r).c_str());
        if (!json_out.empty()) {
            const std::string text = to_json(r).dump(2) + "\n";
            if (json_out == "-") std::printf("%s", text.c_str());
            else write_file_atomically(json_out, text);
        }
    });
}

} // namespace headroom::cli
