#include "sandbox/batch.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <sched.h>
#include <string_view>
#include <thread>
#include <unordered_map>

namespace headroom::sandbox {

std::size_t default_parallelism() {
    cpu_set_t set;
    if (::sched_getaffinity(0, sizeof set, &set) == 0) {
        int count = CPU_COUNT(&set);
        if (count > 0) return static_cast<std::size_t>(count);
    }
    return std::max(1u, std::thread::hardware_concurrency());
}

namespace {

// Groups jobs by content: `owner[i]` is the index into `distinct` of job i's run.
struct dedupe {
    std::vector<std::size_t> distinct;     // first job of each distinct pair
    std::vector<std::size_t> owner;        // per job
    std::vector<std::size_t> copies;       // per distinct pair: how many jobs share it
    std::vector<std::vector<std::size_t>> members;  // per distinct pair: its jobs

    explicit dedupe(const std::vector<exec_job>& jobs) : owner(jobs.size()) {
        std::unordered_map<std::size_t, std::vector<std::size_t>> by_hash;
        const std::hash<std::string_view> hash;
        for (std::size_t i = 0; i < jobs.size(); ++i) {
            const exec_job& job = jobs[i];
            // Lengths go in too, so "a"+"bc" and "ab"+"c" differ before the compare.
            std::size_t key = hash(job.program_text) * 1000003u ^ hash(job.test_text) ^
                              (job.program_text.size() << 20) ^ job.test_text.size();
            std::vector<std::size_t>& bucket = by_hash[key];
            auto same = std::find_if(bucket.begin(), bucket.end(), [&](std::size_t d) {
                const exec_job& other = jobs[distinct[d]];
                return other.program_text == job.program_text && other.test_text == job.test_text &&
                       other.records == job.records;
            });
            if (same != bucket.end()) {
                owner[i] = *same;
                ++copies[*same];
                members[*same].push_back(i);
            } else {
                owner[i] = distinct.size();
                bucket.push_back(distinct.size());
                distinct.push_back(i);
                copies.push_back(1);
                members.push_back({i});
            }
        }
    }
};

} // namespace

batch_result run_batch(const std::vector<exec_job>& jobs, const batch_options& options) {
    const auto start = std::chrono::steady_clock::now();
    const dedupe groups(jobs);
    const std::size_t runs_total = groups.distinct.size();
    std::vector<exec_result> run_results(runs_total);

    std::mutex mutex;
    std::condition_variable changed;
    batch_progress progress{0, jobs.size(), 0, runs_total};
    std::atomic<std::size_t> next{0};
    std::vector<std::size_t> ended;  // distinct runs finished but not yet handed to `finished`

    auto worker = [&] {
        for (std::size_t d; (d = next.fetch_add(1)) < runs_total;) {
            const exec_job& job = jobs[groups.distinct[d]];
            exec_result result;
            try {
                result = job.records ? run_records(job.program_text, options.limits, options.config)
                                     : run_python(job.program_text, job.test_text, options.limits, options.config);
            } catch (const std::exception& error) {  // e.g. bad_alloc: this job only
                result.verdict = exec_verdict::sandbox_error;
                result.reason = std::string("sandbox failed: ") + error.what();
            }
            std::lock_guard lock(mutex);
            run_results[d] = std::move(result);
            ++progress.runs_done;
            progress.jobs_done += groups.copies[d];
            ended.push_back(d);
            changed.notify_one();
        }
    };

    const std::size_t wanted = options.parallelism ? options.parallelism : default_parallelism();
    const std::size_t thread_count = std::max<std::size_t>(1, std::min(wanted, runs_total));
    std::vector<std::thread> threads;
    threads.reserve(thread_count);
    for (std::size_t t = 0; t < thread_count && runs_total > 0; ++t) threads.emplace_back(worker);

    // The caller's thread reports progress, so callbacks need no locking of their own.
    std::size_t reported = 0;
    for (;;) {
        batch_progress snapshot;
        std::vector<std::size_t> newly;
        {
            std::unique_lock lock(mutex);
            changed.wait(lock, [&] { return progress.runs_done != reported || progress.runs_done == runs_total; });
            snapshot = progress;
            newly.swap(ended);
        }
        // run_results[d] is written once, before d enters `ended`, and never again.
        if (options.finished)
            for (std::size_t d : newly) options.finished(groups.members[d], run_results[d]);
        if (snapshot.runs_done != reported || runs_total == 0) {
            reported = snapshot.runs_done;
            if (options.progress) options.progress(snapshot);
        }
        if (snapshot.runs_done == runs_total) break;
    }
    for (std::thread& thread : threads) thread.join();

    batch_result out;
    out.runs = runs_total;
    out.results.reserve(jobs.size());
    for (std::size_t i = 0; i < jobs.size(); ++i) out.results.push_back(run_results[groups.owner[i]]);
    out.wall_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    return out;
}

} // namespace headroom::sandbox
