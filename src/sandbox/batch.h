// Many sandboxes at once: the exec grader's entry point for a whole study.
#pragma once
#include "sandbox/sandbox.h"

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

namespace headroom::sandbox {

struct exec_job {
    std::string program_text;   // records: the call protocol's framed payload
    std::string test_text;      // records: empty
    bool records = false;       // run_records instead of run_python
};

struct batch_progress {
    std::size_t jobs_done = 0;     // duplicates count as done with their original
    std::size_t jobs_total = 0;
    std::size_t runs_done = 0;     // distinct (program, tests) pairs executed so far
    std::size_t runs_total = 0;
};

struct batch_options {
    std::size_t parallelism = 0;   // 0: the CPUs this process may run on
    exec_limits limits;
    sandbox_config config;
    // Called on the calling thread (never from a worker), after each finished run.
    std::function<void(const batch_progress&)> progress;
    // Called on the calling thread as each distinct run ends (before `progress`), with
    // every job index that shares the run: a caller's journal gets each verdict then.
    std::function<void(const std::vector<std::size_t>& jobs, const exec_result&)> finished;
};

struct batch_result {
    std::vector<exec_result> results;  // one per job, in input order
    std::size_t runs = 0;              // distinct pairs actually executed
    double wall_ms = 0;
};

// Runs every job in its own sandbox, `parallelism` at a time. Identical (program,
// tests) pairs run once (greedy decoding makes many generations identical) and every
// copy gets that run's result: equal hashes are confirmed by comparing the texts.
batch_result run_batch(const std::vector<exec_job>& jobs, const batch_options& options = {});

// What run_batch uses when parallelism is 0.
std::size_t default_parallelism();

} // namespace headroom::sandbox
