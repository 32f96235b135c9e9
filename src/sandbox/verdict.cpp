#include "sandbox/verdict.h"

#include <csignal>
#include <cstdio>
#include <cstring>
#include <string_view>
#include <sys/wait.h>

namespace headroom::sandbox::detail {
namespace {

std::string signal_name(int sig) {
    const char* abbrev = ::sigabbrev_np(sig);
    return abbrev ? std::string("SIG") + abbrev : "signal " + std::to_string(sig);
}

std::string mib(std::uint64_t bytes) { return std::to_string(bytes >> 20) + " MiB"; }

std::string seconds(double value) {
    char text[32];
    std::snprintf(text, sizeof text, "%g s", value);
    return text;
}

// The last non-blank line of the text, trimmed and capped.
std::string last_line(std::string_view text) {
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' '))
        text.remove_suffix(1);
    std::size_t start = text.rfind('\n');
    std::string_view line = start == std::string_view::npos ? text : text.substr(start + 1);
    while (!line.empty() && line.front() == ' ') line.remove_prefix(1);
    if (line.size() > 300) line = line.substr(0, 300);
    return std::string(line);
}

// "line N" of the innermost frame in the candidate's code, when a traceback has one.
std::string candidate_line(std::string_view text) {
    constexpr std::string_view marker = "File \"<candidate>\", line ";
    std::size_t at = text.rfind(marker);
    if (at == std::string_view::npos) return {};
    std::string_view rest = text.substr(at + marker.size());
    std::size_t end = 0;
    while (end < rest.size() && rest[end] >= '0' && rest[end] <= '9') ++end;
    return end == 0 ? std::string() : " (candidate line " + std::string(rest.substr(0, end)) + ")";
}

bool mentions_memory(std::string_view text) {
    return text.find("MemoryError") != std::string_view::npos ||
           text.find("Cannot allocate memory") != std::string_view::npos ||
           text.find("out of memory") != std::string_view::npos;
}

} // namespace

void classify(const run_outcome& o, const exec_limits& limits, exec_result& r) {
    const bool exited = WIFEXITED(o.wait_status);
    r.exit_code = exited ? WEXITSTATUS(o.wait_status) : -1;
    r.signal = WIFSIGNALED(o.wait_status) ? WTERMSIG(o.wait_status) : 0;
    const bool cpu_spent = o.cpu_ms >= 1000.0 * limits.cpu_seconds * 0.98;
    // Resident memory this close to the address-space cap means an allocation, not a
    // bug, most likely took the process down.
    const bool memory_high = o.max_rss_bytes * 2 >= limits.address_space_bytes;
    r.reason.clear();

    // Which of the two limits strikes first depends on the machine's load, not on the
    // program, and the reason is recorded in the grade: one text for both keeps a grade
    // a function of the program alone.
    const std::string out_of_time = "ran past its time limits (" + std::to_string(limits.cpu_seconds) +
                                    " s of CPU, " + seconds(limits.wall_seconds) +
                                    " wall-clock); the grader stopped it";
    if (o.killed_for_wall) {
        r.verdict = exec_verdict::timeout;
        r.reason = out_of_time;
        return;
    }
    if (o.killed_for_output) {
        r.verdict = exec_verdict::failed;
        r.reason = "printed more than " + std::to_string(limits.output_flood_bytes) +
                   " bytes; the grader killed the process tree";
        return;
    }
    if (r.signal != 0) {
        const std::string name = signal_name(r.signal);
        if (r.signal == SIGXCPU || (r.signal == SIGKILL && cpu_spent)) {
            r.verdict = exec_verdict::timeout;
            r.reason = out_of_time;
        } else if ((r.signal == SIGSEGV || r.signal == SIGBUS || r.signal == SIGABRT) &&
                   (memory_high || mentions_memory(o.stderr_tail))) {
            r.verdict = exec_verdict::memory;
            r.reason = "killed by " + name + " with " + mib(o.max_rss_bytes) +
                       " resident under the " + mib(limits.address_space_bytes) +
                       " address-space limit: an allocation failed in C code";
        } else if (r.signal == SIGKILL && memory_high) {
            r.verdict = exec_verdict::memory;
            r.reason = "killed by SIGKILL (not sent by the grader) with " +
                       mib(o.max_rss_bytes) + " resident: likely the kernel's OOM killer";
        } else {
            r.verdict = exec_verdict::failed;
            r.reason = "killed by " + name;
            if (r.signal == SIGKILL) r.reason += " (not sent by the grader)";
        }
        return;
    }
    switch (o.mark) {
    case driver_mark::passed:
        if (r.exit_code == 0) {
            r.verdict = exec_verdict::passed;
            return;
        }
        r.verdict = exec_verdict::failed;
        r.reason = "the tests finished but the interpreter exited with status " +
                   std::to_string(r.exit_code);
        return;
    case driver_mark::memory:
        r.verdict = exec_verdict::memory;
        r.reason = "MemoryError under the " + mib(limits.address_space_bytes) +
                   " address-space limit" + candidate_line(o.stderr_tail);
        return;
    case driver_mark::exited:
        r.verdict = exec_verdict::failed;
        r.reason = last_line(o.stderr_tail);
        return;
    case driver_mark::raised: {
        const std::string line = last_line(o.stderr_tail);
        if (line.rfind("MemoryError", 0) == 0) {
            r.verdict = exec_verdict::memory;
            r.reason = "MemoryError under the " + mib(limits.address_space_bytes) +
                       " address-space limit" + candidate_line(o.stderr_tail);
        } else {
            r.verdict = exec_verdict::failed;
            r.reason = (line.empty() ? "an exception escaped" : line) +
                       candidate_line(o.stderr_tail);
        }
        return;
    }
    case driver_mark::none:
        break;
    }
    // No report from the driver: the process left without reaching the end.
    if (mentions_memory(o.stderr_tail)) {
        r.verdict = exec_verdict::memory;
        r.reason = "interpreter failed under the " + mib(limits.address_space_bytes) +
                   " address-space limit: " + last_line(o.stderr_tail);
        return;
    }
    r.verdict = exec_verdict::failed;
    r.reason = "exited with status " + std::to_string(r.exit_code) +
               " before the tests finished";
    const std::string line = last_line(o.stderr_tail);
    if (!line.empty()) r.reason += ": " + line;
}

} // namespace headroom::sandbox::detail
