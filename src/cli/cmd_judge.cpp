#include "cli/commands.h"
#include "cli/progress.h"
#include "sample/judging.h"

#include <cstdio>

namespace headroom::cli {

void add_judge(CLI::App& app) {
    auto* cmd = app.add_subcommand("judge", "Send every generation of a study to the plan's judges (judgments.jsonl)");
    static std::string dir, plan_path;
    cmd->add_option("dir", dir, "study directory (as `headroom sample` wrote it)")->required();
    cmd->add_option("--plan", plan_path, "PLAN.json naming one or two judges")->required();
    cmd->callback([] {
        const sample::plan p = sample::load_plan(plan_path);
        progress_line progress("judge");
        const sample::judge_summary summary =
            sample::run_judging(p, dir, [&](std::size_t done, std::size_t total) { progress.update(done, total); });
        progress.finish();
        std::fprintf(stderr, "%s\n-> %s\n", sample::summary_text(summary).c_str(), dir.c_str());
        if (summary.failed) throw std::runtime_error(std::to_string(summary.failed) +
                                                     " judgments failed (see judge_ledger.jsonl); rerun to retry them");
    });
}

} // namespace headroom::cli
