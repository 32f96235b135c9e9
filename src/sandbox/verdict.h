// From what the parent observed about a finished run to a verdict and a one-line
// reason. Pure (no system calls), so the rules are unit-tested without processes.
#pragma once
#include "sandbox/driver.h"
#include "sandbox/sandbox.h"

#include <cstdint>
#include <string>

namespace headroom::sandbox::detail {

struct run_outcome {
    int wait_status = 0;              // from wait4 on the interpreter
    driver_mark mark = driver_mark::none;
    bool killed_for_wall = false;     // the parent's clock ran out
    bool killed_for_output = false;   // the program flooded its pipes
    double cpu_ms = 0;
    std::uint64_t max_rss_bytes = 0;
    std::string stderr_tail;          // last few KB of stderr
};

// Sets verdict, reason, exit_code and signal.
void classify(const run_outcome& outcome, const exec_limits& limits, exec_result& result);

} // namespace headroom::sandbox::detail
