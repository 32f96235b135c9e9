#include "batch.h"
#include "commands.h"
#include "grade.h"
#include "progress.h"
#include "study_io.h"

#include <cstdio>

namespace headroom::cli {

namespace {

// The exec graders: plan in the core, run in the sandbox, record in the core.
void grade_programs(study& s) {
    const std::vector<exec_job> jobs = plan_exec(s);
    if (jobs.empty()) return;
    std::vector<sandbox::exec_job> runs;
    runs.reserve(jobs.size());
    for (const auto& job : jobs) runs.push_back({job.program, s.queries[s.generations.query[job.generation]].tests});
    sandbox::batch_options options;
    progress_line progress("exec");
    options.progress = [&](const sandbox::batch_progress& p) { progress.update(p.jobs_done, p.jobs_total); };
    const sandbox::batch_result result = sandbox::run_batch(runs, options);
    progress.finish();
    std::vector<exec_outcome> outcomes;
    outcomes.reserve(jobs.size());
    for (const auto& r : result.results) {
        const auto status = parse_grade_status(sandbox::to_string(r.verdict));
        outcomes.push_back({status.value_or(grade_status::sandbox_error), r.reason});
    }
    add_exec_grades(s, jobs, outcomes);
    std::fprintf(stderr, "exec: %zu programs, %zu distinct runs, %.1f s\n", jobs.size(), result.runs,
                 result.wall_ms / 1000.0);
}

} // namespace

void add_grade(CLI::App& app) {
    auto* cmd = app.add_subcommand("grade", "Grade every generation of a study directory (writes grades.jsonl)");
    static std::string dir;
    cmd->add_option("dir", dir, "study directory")->required()->check(CLI::ExistingDirectory);
    cmd->callback([] {
        study s = load_study_dir(dir);
        grade_extractions(s);
        grade_judgments(s);
        grade_programs(s);
        write_grades_file(s, dir);
        std::fprintf(stderr, "graded %zu generations: %zu grades in %s/grades.jsonl\n", s.generations.size(),
                     s.grades.size(), dir.c_str());
    });
}

} // namespace headroom::cli
