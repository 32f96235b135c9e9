// `headroom sample` alone: the same command code (src/cli/cmd_sample.cpp) behind a
// main of its own, so the crash test kills exactly the sampler and does not wait on
// the rest of the CLI being buildable.
#include "commands.h"
#include "jsonl.h"

#include <cstdio>

int main(int argc, char** argv) {
    CLI::App app{"headroom (sample only, for the crash test)"};
    app.require_subcommand(1);
    headroom::cli::add_sample(app);
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
