#include "cli/job_pool.h"

#include <algorithm>
#include <atomic>
#include <exception>
#include <system_error>
#include <thread>
#include <vector>

namespace headroom::cli {

void run_on_threads(std::size_t count, const std::function<void(std::size_t)>& job, unsigned threads) {
    if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
    const std::size_t workers = std::min<std::size_t>(threads, count);
    std::vector<std::exception_ptr> failure(count);
    std::atomic<std::size_t> next = 0;
    // After a failure no new job starts; every lower-numbered one has already started
    // (jobs go out in index order), so the one rethrown is the one run_in_turn would.
    std::atomic<bool> failed = false;
    auto work = [&] {
        for (std::size_t i; !failed && (i = next.fetch_add(1)) < count;) {
            try {
                job(i);
            } catch (...) {
                failure[i] = std::current_exception();
                failed = true;
            }
        }
    };
    std::vector<std::thread> pool;
    try {
        for (std::size_t w = 1; w < workers; ++w) pool.emplace_back(work);
    } catch (const std::system_error&) {
        // No more threads to be had: those started, and this one, do all the jobs.
    }
    work();  // the calling thread is one of the workers
    for (auto& t : pool) t.join();
    for (const auto& f : failure)
        if (f) std::rethrow_exception(f);
}

} // namespace headroom::cli
