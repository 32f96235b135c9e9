#include "cli/commands.h"
#include "cli/exec_journal.h"
#include "cli/progress.h"
#include "core/grading/calls.h"
#include "core/grading/grade.h"
#include "core/grading/test_cases.h"
#include "core/io/study_io.h"
#include "sandbox/batch.h"
#include "sandbox/stale.h"

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <map>

namespace headroom::cli {

namespace {

constexpr const char* journal_name = "grades.jsonl.partial";
// More sandbox failures than this share of the runs means the machine, not the
// models, decided too many grades: grade warns at any, and fails above this.
constexpr double sandbox_error_share_limit = 0.01;
// The weaker guarantee's mark on a grade's rule (see README, threat model).
constexpr const char* in_process_suffix = "+in-process";

// Exit status when too many runs ended in sandbox_error (grades.jsonl is still written).
constexpr int exit_sandbox_errors = 3;

struct exec_summary {
    std::size_t programs = 0, runs = 0, resumed = 0, in_process = 0, sandbox_errors = 0;
    std::size_t queries = 0, queries_in_process = 0;
};

// Per query: its tests read into cases and run once in a clean process. The
// candidate's runs then receive only the arguments.
std::map<std::uint32_t, oracle> run_oracles(const study& s, const std::vector<exec_job>& jobs,
                                            std::map<std::uint32_t, std::string>& why_not) {
    std::map<std::uint32_t, case_plan> plans;
    for (const exec_job& job : jobs) {
        const std::uint32_t q = s.generations.query[job.generation];
        if (!plans.count(q)) plans.emplace(q, plan_cases(s.queries[q].tests));
    }
    std::vector<sandbox::exec_job> batch;
    std::vector<std::uint32_t> batch_query;
    for (const auto& [q, plan] : plans) {
        if (!plan.usable) {
            why_not[q] = plan.why_not;
            continue;
        }
        batch.push_back({oracle_payload(plan), {}, true});
        batch_query.push_back(q);
    }
    std::map<std::uint32_t, oracle> oracles;
    const sandbox::batch_result result = sandbox::run_batch(batch, {});
    for (std::size_t i = 0; i < batch.size(); ++i) {
        const std::uint32_t q = batch_query[i];
        const sandbox::exec_result& run = result.results[i];
        oracle o = read_oracle(plans[q], run.verdict == sandbox::exec_verdict::passed, run.report, run.reason);
        if (!o.usable) why_not[q] = o.why_not;
        else oracles.emplace(q, std::move(o));
    }
    return oracles;
}

// The exec graders: plan in the core, run in the sandbox, judge and record in the core.
// Verdicts already in the journal are not run again.
exec_summary grade_programs(study& s, exec_journal& journal) {
    exec_summary sum;
    const std::vector<exec_job> jobs = plan_exec(s);
    if (jobs.empty()) return sum;
    const auto started = std::chrono::steady_clock::now();
    const auto grader_of = [](const exec_job& job) { return job.lenient ? "exec:lenient" : "exec:strict"; };
    const auto tests_of = [&](const exec_job& job) -> const std::string& {
        return s.queries[s.generations.query[job.generation]].tests;
    };
    sum.programs = jobs.size();
    std::vector<std::string> fingerprints;
    fingerprints.reserve(jobs.size());
    for (const auto& job : jobs) fingerprints.push_back(program_fingerprint(job.program, tests_of(job)));

    std::vector<exec_outcome> outcomes(jobs.size());
    std::vector<std::size_t> pending;
    for (std::size_t i = 0; i < jobs.size(); ++i) {
        const std::string& id = s.generations.id[jobs[i].generation];
        if (const exec_outcome* known = journal.find(id, grader_of(jobs[i]), fingerprints[i])) {
            outcomes[i] = *known;
            ++sum.resumed;
        } else {
            pending.push_back(i);
        }
    }
    if (sum.resumed)
        std::fprintf(stderr, "exec: resuming, %zu of %zu verdicts already in %s\n", sum.resumed, jobs.size(),
                     journal_name);

    std::vector<exec_job> pending_jobs;
    for (std::size_t i : pending) pending_jobs.push_back(jobs[i]);
    std::map<std::uint32_t, std::string> why_not;
    const std::map<std::uint32_t, oracle> oracles = run_oracles(s, pending_jobs, why_not);
    for (const auto& [q, why] : why_not)
        std::fprintf(stderr, "exec: query %s graded in-process (weaker guarantee): %s\n", s.queries[q].id.c_str(),
                     clean_detail(why, 200).c_str());

    // One sandbox job per pending program; run_batch runs identical texts once.
    std::vector<sandbox::exec_job> batch;
    std::vector<const oracle*> oracle_of;
    for (std::size_t i : pending) {
        const exec_job& job = jobs[i];
        const auto it = oracles.find(s.generations.query[job.generation]);
        if (it != oracles.end()) batch.push_back({call_payload(job.program, it->second), {}, true});
        else batch.push_back({job.program, tests_of(job), false});
        oracle_of.push_back(it != oracles.end() ? &it->second : nullptr);
    }
    progress_line progress("exec");
    sandbox::batch_options options;
    options.progress = [&](const sandbox::batch_progress& p) { progress.update(p.jobs_done, p.jobs_total); };
    options.finished = [&](const std::vector<std::size_t>& members, const sandbox::exec_result& run) {
        ++sum.runs;
        std::vector<journal_entry> entries;
        for (std::size_t b : members) {
            const std::size_t i = pending[b];
            const auto status =
                parse_grade_status(sandbox::to_string(run.verdict)).value_or(grade_status::sandbox_error);
            exec_outcome outcome{status, run.reason, {}};
            if (oracle_of[b] && status == grade_status::passed) outcome = judge_calls(*oracle_of[b], run.report, jobs[i].program);
            if (!oracle_of[b]) outcome.rule = std::string(jobs[i].rule) + in_process_suffix;
            outcome.detail = clean_detail(outcome.detail);
            if (outcome.status == grade_status::sandbox_error) ++sum.sandbox_errors;
            if (!oracle_of[b]) ++sum.in_process;
            outcomes[i] = outcome;
            entries.push_back({s.generations.id[jobs[i].generation], grader_of(jobs[i]), fingerprints[i], outcome});
        }
        journal.append(entries);
    };
    sandbox::run_batch(batch, options);
    progress.finish();
    add_exec_grades(s, jobs, outcomes);
    std::fprintf(stderr,
                 "exec: %zu programs, %zu distinct runs now (%zu verdicts resumed), %zu graded in-process "
                 "(weaker guarantee, rule *%s), %zu sandbox_error, %.1f s\n",
                 jobs.size(), sum.runs, sum.resumed, sum.in_process, in_process_suffix, sum.sandbox_errors,
                 std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
    return sum;
}

} // namespace

void add_grade(CLI::App& app) {
    auto* cmd = app.add_subcommand(
        "grade",
        "Grade every generation of a study directory (writes grades.jsonl). Exits with status 3, after writing, "
        "when more than 1% of the programs run ended in sandbox_error (the machine, not the model, failed)");
    static std::string dir;
    cmd->add_option("dir", dir, "study directory")->required()->check(CLI::ExistingDirectory);
    cmd->callback([] {
        study s = load_study_dir(dir);
        // Working directories a killed grader left behind (none of a live one's).
        sandbox::remove_stale_workdirs(sandbox::sandbox_config{}.temp_root);
        // Opened before any work, so a journal that cannot be read or written stops
        // the run at once.
        exec_journal journal((std::filesystem::path(dir) / journal_name).string());
        grade_extractions(s);
        grade_judgments(s);
        const exec_summary sum = grade_programs(s, journal);
        write_grades_file(s, dir);
        journal.remove();
        std::fprintf(stderr, "graded %zu generations: %zu grades in %s/grades.jsonl\n", s.generations.size(),
                     s.grades.size(), dir.c_str());
        const std::size_t fresh = sum.programs - sum.resumed;
        if (sum.sandbox_errors > 0) {
            std::fprintf(stderr,
                         "warning: %zu of %zu programs run ended in sandbox_error (the sandbox failed, not the "
                         "program): see the grades' detail\n",
                         sum.sandbox_errors, fresh);
            if (static_cast<double>(sum.sandbox_errors) > sandbox_error_share_limit * static_cast<double>(fresh)) {
                // CLI11 prints nothing for a RuntimeError: say it here.
                std::fprintf(stderr, "headroom: error: too many sandbox errors (more than 1%% of the runs); the "
                                     "grades are written, but fix the machine and grade again\n");
                throw CLI::RuntimeError(exit_sandbox_errors);
            }
        }
    });
}

} // namespace headroom::cli
