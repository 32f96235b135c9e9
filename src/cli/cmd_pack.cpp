#include "cli/commands.h"
#include "cli/study_source.h"
#include "core/io/pack.h"

#include <cstdio>

namespace headroom::cli {

void add_pack(CLI::App& app) {
    auto* cmd = app.add_subcommand("pack", "Pack a study (a directory, or one as .zip, .tar or .tar.gz) into the browser's binary form");
    static std::string dir, out;
    static bool no_texts = false;
    cmd->add_option("study", dir, "study directory, or the directory as .zip, .tar or .tar.gz")
        ->required()
        ->check(CLI::ExistingPath);
    cmd->add_option("--out,-o", out, "output file (e.g. study.pack)")->required();
    cmd->add_flag("--no-texts", no_texts, "leave out generation texts and judge replies (large studies)");
    cmd->callback([] {
        const study s = open_study(dir);
        const auto bytes = pack_study(s, pack_options{!no_texts});
        write_file_atomically(out, std::string(bytes.begin(), bytes.end()));
        std::fprintf(stderr, "packed %s: %zu queries, %zu generations, %zu grades -> %s (%zu bytes)\n",
                     s.info.name.c_str(), s.queries.size(), s.generations.size(), s.grades.size(), out.c_str(),
                     bytes.size());
    });
}

} // namespace headroom::cli
