// Each subcommand of `headroom` registers itself on the CLI11 app and runs there.
#pragma once
#include <CLI/CLI.hpp>

namespace headroom::cli {

void add_simulate(CLI::App& app);
void add_grade(CLI::App& app);
void add_pack(CLI::App& app);
void add_report(CLI::App& app);
void add_decompose(CLI::App& app);

} // namespace headroom::cli
