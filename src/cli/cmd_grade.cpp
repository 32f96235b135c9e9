#include "cli/commands.h"
#include "cli/exec_journal.h"
#include "cli/progress.h"
#include "core/grading/grade.h"
#include "core/io/study_io.h"
#include "sandbox/batch.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <unordered_map>

namespace headroom::cli {

namespace {

// Programs run in rounds of this many distinct runs; each round's verdicts reach the
// journal before the next starts, so a kill loses at most one round of work.
constexpr std::size_t runs_per_round = 32;
constexpr const char* journal_name = "grades.jsonl.partial";

// The exec graders: plan in the core, run in the sandbox, record in the core. Verdicts
// already in the journal are not run again.
void grade_programs(study& s, exec_journal& journal) {
    const std::vector<exec_job> jobs = plan_exec(s);
    if (jobs.empty()) return;
    const auto grader_of = [](const exec_job& job) { return job.lenient ? "exec:lenient" : "exec:strict"; };
    std::vector<std::string> fingerprints;
    fingerprints.reserve(jobs.size());
    for (const auto& job : jobs)
        fingerprints.push_back(program_fingerprint(job.program, s.queries[s.generations.query[job.generation]].tests));
    // Identical programs on the same tests run once: one run per fingerprint, and the
    // jobs that share it, in plan order.
    std::vector<std::vector<std::size_t>> runs;
    std::unordered_map<std::string, std::size_t> run_of;
    std::vector<exec_outcome> outcomes(jobs.size());
    std::size_t resumed = 0;
    for (std::size_t i = 0; i < jobs.size(); ++i) {
        const std::string& id = s.generations.id[jobs[i].generation];
        if (const exec_outcome* known = journal.find(id, grader_of(jobs[i]), fingerprints[i])) {
            outcomes[i] = *known;
            ++resumed;
            continue;
        }
        auto [it, added] = run_of.emplace(fingerprints[i], runs.size());
        if (added) runs.emplace_back();
        runs[it->second].push_back(i);
    }
    if (resumed)
        std::fprintf(stderr, "exec: resuming, %zu of %zu verdicts already in %s\n", resumed, jobs.size(),
                     journal_name);
    progress_line progress("exec");
    const auto started = std::chrono::steady_clock::now();
    sandbox::batch_options options;
    for (std::size_t first = 0; first < runs.size(); first += runs_per_round) {
        const std::size_t last = std::min(runs.size(), first + runs_per_round);
        std::vector<sandbox::exec_job> batch;
        for (std::size_t r = first; r < last; ++r) {
            const exec_job& job = jobs[runs[r].front()];
            batch.push_back({job.program, s.queries[s.generations.query[job.generation]].tests});
        }
        options.progress = [&](const sandbox::batch_progress& p) { progress.update(first + p.jobs_done, runs.size()); };
        const sandbox::batch_result result = sandbox::run_batch(batch, options);
        std::vector<journal_entry> entries;
        for (std::size_t r = first; r < last; ++r) {
            const auto& run = result.results[r - first];
            const exec_outcome outcome{parse_grade_status(sandbox::to_string(run.verdict)).value_or(grade_status::sandbox_error),
                                       run.reason};
            for (std::size_t i : runs[r]) {
                outcomes[i] = outcome;
                entries.push_back({s.generations.id[jobs[i].generation], grader_of(jobs[i]), fingerprints[i], outcome});
            }
        }
        journal.append(entries);
    }
    progress.finish();
    add_exec_grades(s, jobs, outcomes);
    std::fprintf(stderr, "exec: %zu programs, %zu distinct runs now (%zu verdicts resumed), %.1f s\n", jobs.size(),
                 runs.size(), resumed,
                 std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
}

} // namespace

void add_grade(CLI::App& app) {
    auto* cmd = app.add_subcommand("grade", "Grade every generation of a study directory (writes grades.jsonl)");
    static std::string dir;
    cmd->add_option("dir", dir, "study directory")->required()->check(CLI::ExistingDirectory);
    cmd->callback([] {
        study s = load_study_dir(dir);
        // Opened before any work, so a journal that cannot be read or written stops
        // the run at once.
        exec_journal journal((std::filesystem::path(dir) / journal_name).string());
        grade_extractions(s);
        grade_judgments(s);
        grade_programs(s, journal);
        write_grades_file(s, dir);
        journal.remove();
        std::fprintf(stderr, "graded %zu generations: %zu grades in %s/grades.jsonl\n", s.generations.size(),
                     s.grades.size(), dir.c_str());
    });
}

} // namespace headroom::cli
