// headroom_sandbox: runs model-written Python against a task's tests, one fresh
// interpreter per program, inside the strongest isolation this kernel allows.
// This is the engine of the `exec` grader. Native (Linux) only: headroom_core stays
// free of OS headers, so nothing here is reachable from the browser build.
//
// One run, from the parent's side:
//   1. a fresh working directory is made under config.temp_root;
//   2. a child is cloned into new pid/net/mount/ipc/uts namespaces (whatever the
//      probe in probe.cpp found usable), becomes its own session and process
//      group, gets rlimits, drops to an unprivileged uid and execs
//      `python -I -S -B -c <driver>`; the driver reads program + tests from fd 3;
//   3. the parent alone owns the wall clock: it polls the output pipes and a pidfd
//      and SIGKILLs the whole tree on timeout or output flood;
//   4. the working directory is removed and the outcome classified.
//
// Isolation choices (describe_isolation() says which are active on this machine):
// - Root grader: the child drops to uid `uid_base + thread id`, a uid no one else
//   uses. RLIMIT_NPROC is ignored for root, and per uid otherwise, so a uid shared by
//   all sandboxes (nobody) would let one fork bomb starve the next sandbox's exec;
//   a uid per running sandbox makes the limit exact, keeps the grader unsignalable,
//   and without a pid namespace lets a kill(-1) sweep as that uid reach every
//   escaped descendant. We chose this over a cgroup pids limit because cgroups need
//   a delegated subtree (here the grader's own cgroup belongs to someone else).
// - Unprivileged grader: a user namespace mapping only our own uid, which also
//   makes RLIMIT_NPROC count per sandbox.
// - Both: pid, network, ipc, uts and mount namespaces when the kernel allows them.
// - Both: a seccomp filter (seccomp.cpp) refuses namespace, mount, ptrace, bpf and
//   keyring calls.
// - Both: a fresh root (fresh_root.h) of read-only binds of what the interpreter
//   needs: the grader's files (its home, cwd, /tmp) are absent, which matters most for
//   the unprivileged grader, whose identity-mapped uid could read them. Where the
//   kernel refuses it, the host's tree is made read-only and /sys is hidden instead.
// Not covered: RLIMIT_AS is per process, so memory across a whole tree is bounded by
// max_processes x address_space_bytes only.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace headroom::sandbox {

// The exec values of headroom::grade_status, with the same spellings (to_string), so
// the grader maps one onto the other by name.
enum class exec_verdict : std::uint8_t { passed, failed, timeout, memory, sandbox_error };
std::string_view to_string(exec_verdict verdict);

struct exec_limits {
    int cpu_seconds = 3;                               // RLIMIT_CPU, per process
    double wall_seconds = 5.0;                         // enforced by the parent
    std::uint64_t address_space_bytes = 1ull << 30;    // RLIMIT_AS
    std::uint64_t file_size_bytes = 16ull << 20;       // RLIMIT_FSIZE (also sizes the tmpfs)
    int max_processes = 16;                            // processes + threads (RLIMIT_NPROC)
    std::size_t output_bytes = 64 << 10;               // kept per stream (head and tail)
    std::size_t output_flood_bytes = 4 << 20;          // total output that gets the program killed
    std::size_t report_bytes = 4 << 20;                // the call protocol's records; more gets it killed
};

// How to run, as opposed to how much: paths and switches, mostly for tests.
struct sandbox_config {
    std::string python = "/usr/bin/python3";
    std::string temp_root = "/tmp";        // working directories are made here (must be
                                           // searchable by others, as /tmp is)
    bool allow_namespaces = true;          // false: exercise the no-namespace fallback
    std::uint32_t uid_base = 0x70000000u;  // root parent: sandbox uid = uid_base + thread id
};

struct exec_result {
    exec_verdict verdict = exec_verdict::sandbox_error;
    int exit_code = -1;        // when the interpreter exited normally
    int signal = 0;            // when it was killed by a signal
    std::string reason;        // one line, why this verdict (empty for passed)
    std::string stdout_text;   // capped: head and tail of the stream
    std::string stderr_text;
    std::uint64_t stdout_total = 0;  // bytes the program wrote, before capping
    std::uint64_t stderr_total = 0;
    std::string report;        // run_records: the driver's records (fd 4), whole
    double wall_ms = 0;
    double cpu_ms = 0;         // user + system of the interpreter and reaped children
    // For checking that nothing outlives the run: the child's pid in the parent's pid
    // namespace and the uid it ran as.
    int pid = 0;
    std::uint32_t uid = 0;
};

// Runs `program_text`, then `test_text`, in one fresh interpreter. Passed iff the
// tests ran to their end and the interpreter exited with status 0: a program that
// exits early (sys.exit(0), os._exit(0)) before the tests finish has failed.
exec_result run_python(std::string_view program_text, std::string_view test_text,
                       const exec_limits& limits = {}, const sandbox_config& config = {});

// The call protocol (core/grading/calls.h): `payload` is the framed items the records
// driver reads. `passed` here means only that the driver reached its end; the records
// in exec_result::report decide the grade, on the trusted side.
exec_result run_records(std::string_view payload, const exec_limits& limits = {},
                        const sandbox_config& config = {});

// What isolation run_python applies on this machine for this user, in one paragraph
// (namespaces in use, uid, limits, and what is missing when the kernel refuses).
std::string describe_isolation(const sandbox_config& config = {});

} // namespace headroom::sandbox
