// Each subcommand of `headroom` registers itself on the CLI11 app and runs there.
#pragma once
#include <CLI/CLI.hpp>

namespace headroom::cli {

void add_simulate(CLI::App& app);
void add_grade(CLI::App& app);
void add_pack(CLI::App& app);
void add_report(CLI::App& app);
void add_decompose(CLI::App& app);
void add_route(CLI::App& app);
void add_routers(CLI::App& app);
void add_sample(CLI::App& app);
void add_merge(CLI::App& app);
void add_import(CLI::App& app);
void add_judge(CLI::App& app);
void add_judges(CLI::App& app);
void add_claims(CLI::App& app);
void add_describe(CLI::App& app);
void add_embed(CLI::App& app);
void add_serve(CLI::App& app);

} // namespace headroom::cli
