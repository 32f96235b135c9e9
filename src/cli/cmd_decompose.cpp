#include "cli/commands.h"
#include "cli/study_source.h"
#include "core/analysis/decomposition_report.h"

#include <nlohmann/json.hpp>
#include <cstdio>
#include <stdexcept>

namespace headroom::cli {

void add_decompose(CLI::App& app) {
    auto* cmd = app.add_subcommand(
        "decompose", "Split the naive protocol's unsolvable share into truncation, format and judge artifacts");
    static std::string path, order_text = "truncation,format,judge", json_out, csv_out;
    static decomposition_options options;
    cmd->add_option("study", path, "study directory or .pack file")->required();
    cmd->add_option("--resamples", options.resamples, "bootstrap resamples")->check(CLI::Range(0, 100000));
    cmd->add_option("--noise-simulations", options.noise_simulations, "deals of the noise null per section")
        ->check(CLI::Range(0, 100000));
    cmd->add_option("--seed", options.seed, "bootstrap and noise-null seed");
    cmd->add_option("--order", order_text, "order of the sequential attribution");
    cmd->add_option("--json", json_out, "also write the full result as JSON to this file ('-' for stdout)");
    cmd->add_option("--csv", csv_out, "also write one row per quantity as CSV to this file ('-' for stdout)");
    cmd->callback([] {
        // The order: three distinct artifact names separated by commas.
        std::size_t filled = 0, pos = 0;
        unsigned seen = 0;
        while (pos <= order_text.size() && filled < 3) {
            const std::size_t end = std::min(order_text.find(',', pos), order_text.size());
            const std::string name = order_text.substr(pos, end - pos);
            bool known = false;
            for (artifact a : all_artifacts) {
                if (to_string(a) == name && !(seen & (1u << static_cast<unsigned>(a)))) {
                    options.order[filled++] = a;
                    seen |= 1u << static_cast<unsigned>(a);
                    known = true;
                }
            }
            if (!known) throw CLI::ValidationError("--order", "expected truncation, format and judge once each, got '" + name + "'");
            pos = end + 1;
        }
        if (filled != 3) throw CLI::ValidationError("--order", "name all three artifacts");
        const study s = open_study(path);
        const study_index index(s);
        const analysis a = analyse(s, index, naive_protocol(s), corrected_protocol(s), options);
        const bool quiet = json_out == "-" || csv_out == "-";
        if (!quiet) std::printf("%s", to_text(a).c_str());
        if (!json_out.empty()) {
            const std::string text = to_json(a).dump(2) + "\n";
            if (json_out == "-") std::printf("%s", text.c_str());
            else write_file_atomically(json_out, text);
        }
        if (!csv_out.empty()) {
            if (csv_out == "-") std::printf("%s", to_csv(a).c_str());
            else write_file_atomically(csv_out, to_csv(a));
        }
    });
}

} // namespace headroom::cli
