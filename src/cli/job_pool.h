// Independent jobs spread over the machine's cores: the job_runner (routing/evaluate.h)
// behind `headroom routers`. Native only; the core itself never starts a thread, so it
// runs the same in WebAssembly.
#pragma once
#include <cstddef>
#include <functional>

namespace headroom::cli {

// Runs job(0) .. job(count - 1) on up to `threads` threads (0: one per core), each job
// once, handed out in index order as threads come free, none started after one has
// thrown. Returns when all started have ended; then rethrows the exception of the
// lowest-numbered job that threw, if any.
void run_on_threads(std::size_t count, const std::function<void(std::size_t)>& job, unsigned threads = 0);

} // namespace headroom::cli
