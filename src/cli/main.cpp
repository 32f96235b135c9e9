// headroom: the native command line. It regenerates and inspects studies; the browser
// app runs the same core over what `headroom pack` writes.
#include "cli/commands.h"
#include "core/base/jsonl.h"

#include <cstdio>
#include <exception>

int main(int argc, char** argv) {
    CLI::App app{"Headroom: how much is there really to gain by routing queries between LLMs?"};
    app.require_subcommand(1);
    headroom::cli::add_simulate(app);
    headroom::cli::add_grade(app);
    headroom::cli::add_pack(app);
    headroom::cli::add_report(app);
    headroom::cli::add_decompose(app);
    headroom::cli::add_route(app);
    headroom::cli::add_routers(app);
    headroom::cli::add_sample(app);
    headroom::cli::add_merge(app);
    headroom::cli::add_import(app);
    headroom::cli::add_judge(app);
    headroom::cli::add_judges(app);
    headroom::cli::add_claims(app);
    headroom::cli::add_describe(app);
    headroom::cli::add_embed(app);
    headroom::cli::add_serve(app);
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return app.exit(e);
    } catch (const headroom::input_error& e) {
        std::fprintf(stderr, "headroom: error: %s\n", e.what());
        return 2;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "headroom: error: %s\n", e.what());
        return 1;
    }
    return 0;
}
