// One run: prepare, spawn, watch, kill, clean up, classify.
//
// [SECTION] helpers          small wrappers over descriptors and the clock
// [SECTION] prepare          source memfd, working directory, pipes, argv/envp
// [SECTION] watch            the parent's poll loop: output, driver mark, exit, clock
// [SECTION] run_python       the sequence, and why each step is where it is
#include "sandbox/sandbox.h"

#include "sandbox/capture.h"
#include "sandbox/driver.h"
#include "sandbox/fresh_root.h"
#include "sandbox/isolation.h"
#include "sandbox/seccomp.h"
#include "sandbox/stale.h"
#include "sandbox/unique_fd.h"
#include "sandbox/verdict.h"

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <mutex>
#include <poll.h>
#include <sys/prctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

namespace headroom::sandbox {

std::string_view to_string(exec_verdict verdict) {
    switch (verdict) {
    case exec_verdict::passed: return "passed";
    case exec_verdict::failed: return "failed";
    case exec_verdict::timeout: return "timeout";
    case exec_verdict::memory: return "memory";
    case exec_verdict::sandbox_error: return "sandbox_error";
    }
    return "sandbox_error";
}

std::string describe_isolation(const sandbox_config& config) {
    return detail::describe(
        detail::probe_isolation(config.allow_namespaces, config.temp_root, config.uid_base),
        config.uid_base);
}

namespace {
using namespace detail;
using steady = std::chrono::steady_clock;

// [SECTION] helpers

bool write_all(int fd, std::string_view data) {
    while (!data.empty()) {
        ssize_t wrote = ::write(fd, data.data(), data.size());
        if (wrote < 0) {
            if (errno == EINTR) continue;
            return false;
        }
        data.remove_prefix(static_cast<std::size_t>(wrote));
    }
    return true;
}

struct pipe_pair {
    unique_fd read, write;
};

// Close-on-exec both ends (the child dup2s what it needs); the parent's end is
// non-blocking so a quiet or stuck child can never block the grader.
bool make_pipe(pipe_pair& p) {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) return false;
    p.read.reset(fds[0]);
    p.write.reset(fds[1]);
    return ::fcntl(fds[0], F_SETFL, O_NONBLOCK) == 0;
}

double ms_between(steady::time_point a, steady::time_point b) {
    return std::chrono::duration<double, std::milli>(b - a).count();
}

// Reads what is there now, up to `budget` bytes; closes the descriptor at EOF.
void read_available(unique_fd& fd, capped_output& sink, std::size_t budget) {
    char buffer[65536];
    while (fd && budget > 0) {
        ssize_t got = ::read(fd.get(), buffer, std::min(sizeof buffer, budget));
        if (got > 0) {
            sink.append(std::string_view(buffer, static_cast<std::size_t>(got)));
            budget -= static_cast<std::size_t>(got);
        } else if (got == 0) {
            fd.reset();
        } else if (errno != EINTR) {
            if (errno != EAGAIN) fd.reset();
            return;
        }
    }
}

// fd 4: the in-process driver's one mark byte, or the records driver's records.
void read_status(unique_fd& fd, driver_mark& mark, std::string& report, std::size_t cap) {
    char buffer[65536];
    while (fd) {
        ssize_t got = ::read(fd.get(), buffer, sizeof buffer);
        if (got > 0) {
            mark = static_cast<driver_mark>(buffer[got - 1]);
            report.append(buffer, std::min(static_cast<std::size_t>(got), cap + 1 - std::min(cap + 1, report.size())));
            if (report.size() > cap) return;
        } else if (got == 0 || errno != EINTR) {
            if (got == 0 || errno != EAGAIN) fd.reset();
            return;
        }
    }
}

// [SECTION] prepare

struct prepared {
    std::string workdir;
    unique_fd source;
    pipe_pair out, err, status, error;
    std::vector<std::string> env_storage;
    std::vector<char*> argv, envp;
    child_setup setup;
};

// Returns an empty string on success, else what failed.
std::string prepare(prepared& p, std::string_view program, std::string_view tests, const char* driver,
                    const exec_limits& limits, const sandbox_config& config,
                    const isolation_plan& plan) {
    // The code travels in a memfd: no file for the program to find and edit, no
    // size limit as with argv, and no pipe the parent would have to feed.
    p.source.reset(::memfd_create("headroom-candidate", MFD_CLOEXEC));
    if (!p.source) return std::string("memfd_create: ") + std::strerror(errno);
    // The tests start on the line after the program, so their line numbers read true.
    // (The records driver's payload comes whole, as `program`, with no tests.)
    const bool in_process = driver == python_driver;
    const bool needs_newline = in_process && !program.empty() && program.back() != '\n';
    if (!write_all(p.source.get(), program) ||
        (needs_newline && !write_all(p.source.get(), "\n")) ||
        (in_process && (!write_all(p.source.get(), tests) || !write_all(p.source.get(), "\n"))) ||
        ::lseek(p.source.get(), 0, SEEK_SET) != 0)
        return std::string("writing the program: ") + std::strerror(errno);

    p.workdir = workdir_template(config.temp_root);
    if (::mkdtemp(p.workdir.data()) == nullptr) {
        std::string why = "mkdtemp in " + config.temp_root + ": " + std::strerror(errno);
        p.workdir.clear();
        return why;
    }
    if (!make_pipe(p.out) || !make_pipe(p.err) || !make_pipe(p.status) || !make_pipe(p.error))
        return std::string("pipe2: ") + std::strerror(errno);

    child_setup& s = p.setup;
    s.plan = &plan;
    s.workdir = p.workdir.c_str();
    s.python = config.python.c_str();
    if (plan.fresh_root) {
        const std::string prefix = interpreter_prefix(config.python);
        if (prefix.size() >= sizeof s.interpreter_prefix)
            return "the interpreter's directory is too long to bind: " + prefix;
        prefix.copy(s.interpreter_prefix, prefix.size());
    }
    const std::uint64_t tmpfs_bytes = std::max<std::uint64_t>(4 * limits.file_size_bytes, 8u << 20);
    prepare_identity(s, config.uid_base, tmpfs_bytes);
    s.filter = syscall_filter();
    if (plan.root && ::chown(s.workdir, s.uid, s.gid) != 0)
        return std::string("chown of the working directory: ") + std::strerror(errno);

    // No inherited environment: an API key in the grader's must not reach the program.
    p.env_storage = {"PATH=/usr/bin:/bin", "LANG=C.UTF-8", "HOME=" + p.workdir,
                     "TMPDIR=" + p.workdir};
    for (std::string& entry : p.env_storage) p.envp.push_back(entry.data());
    p.envp.push_back(nullptr);
    static const char* const args[] = {"python3", "-I", "-S", "-B", "-c"};
    for (const char* arg : args) p.argv.push_back(const_cast<char*>(arg));
    p.argv.push_back(const_cast<char*>(driver));
    p.argv.push_back(nullptr);
    s.argv = p.argv.data();
    s.envp = p.envp.data();

    s.stdout_fd = p.out.write.get();
    s.stderr_fd = p.err.write.get();
    s.source_fd = p.source.get();
    s.status_fd = p.status.write.get();
    s.error_fd = p.error.write.get();
    const auto cpu = static_cast<rlim_t>(std::max(1, limits.cpu_seconds));
    s.cpu = {cpu, cpu + 1};  // SIGXCPU first, SIGKILL a second later if it is ignored
    s.address_space = {limits.address_space_bytes, limits.address_space_bytes};
    s.file_size = {limits.file_size_bytes, limits.file_size_bytes};
    const auto processes = static_cast<rlim_t>(std::max(1, limits.max_processes));
    s.processes = {processes, processes};
    return {};
}

// [SECTION] watch

struct watched {
    int wait_status = 0;
    rusage usage{};
    bool killed_for_wall = false;
    bool killed_for_output = false;
};

void kill_tree(pid_t pid) {
    ::kill(pid, SIGKILL);   // the namespace's init: its death takes the namespace down
    ::kill(-pid, SIGKILL);  // its process group (all there is without a pid namespace)
}

void reap(pid_t pid, watched& w) {
    while (::wait4(pid, &w.wait_status, 0, &w.usage) < 0 && errno == EINTR) {
    }
}

void watch(pid_t pid, prepared& p, const exec_limits& limits, steady::time_point start,
           capped_output& out, capped_output& err, driver_mark& mark, std::string& report, watched& w) {
    // A pidfd turns "the child exited" into one more readable descriptor: no SIGCHLD
    // handler, which a library must not install, and no sleeping.
    unique_fd pidfd(static_cast<int>(::syscall(SYS_pidfd_open, pid, 0)));
    const auto deadline = start + std::chrono::duration_cast<steady::duration>(
                                      std::chrono::duration<double>(limits.wall_seconds));
    for (;;) {
        const auto now = steady::now();
        if (now >= deadline) {
            w.killed_for_wall = true;
            break;
        }
        auto wait_ms = std::chrono::ceil<std::chrono::milliseconds>(deadline - now).count();
        if (!pidfd) wait_ms = std::min<long long>(wait_ms, 10);  // old kernel: poll for exit
        pollfd fds[4] = {{p.out.read.get(), POLLIN, 0}, {p.err.read.get(), POLLIN, 0},
                         {p.status.read.get(), POLLIN, 0}, {pidfd.get(), POLLIN, 0}};
        int ready = ::poll(fds, 4, static_cast<int>(wait_ms));
        if (ready < 0 && errno != EINTR) break;  // cannot watch: treat as a wall timeout below
        read_available(p.out.read, out, 1 << 20);
        read_available(p.err.read, err, 1 << 20);
        read_status(p.status.read, mark, report, limits.report_bytes);
        if (out.total() + err.total() > limits.output_flood_bytes || report.size() > limits.report_bytes) {
            w.killed_for_output = true;
            break;
        }
        if (!pidfd || (fds[3].revents & POLLIN)) {
            // Exited, but left unreaped (WNOWAIT): while it is a zombie its pid, and so
            // its process group and session ids, cannot be reused, which keeps the
            // fallback's kill(-pid) and session sweep aimed at our tree alone.
            siginfo_t info{};
            if (::waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOHANG | WNOWAIT) == 0 &&
                info.si_pid == pid)
                return;
        }
    }
    if (!w.killed_for_output) w.killed_for_wall = true;
    kill_tree(pid);
}

// [SECTION] run_python

exec_result run(std::string_view program_text, std::string_view test_text, const char* driver,
                const exec_limits& limits, const sandbox_config& config) {
    exec_result result;
    const isolation_plan& plan =
        probe_isolation(config.allow_namespaces, config.temp_root, config.uid_base);
    prepared p;
    auto remove_workdir = [&p] {
        if (p.workdir.empty()) return;
        std::error_code ignored;
        std::filesystem::remove_all(p.workdir, ignored);
        p.workdir.clear();
    };
    auto setup_error = [&](const std::string& why) {
        remove_workdir();
        result.verdict = exec_verdict::sandbox_error;
        result.reason = "sandbox setup failed: " + why;
        return result;
    };

    if (std::string why = prepare(p, program_text, test_text, driver, limits, config, plan); !why.empty())
        return setup_error(why);

    if (plan.root && !plan.pid_ns) {
        // Without a pid namespace, orphans of the sandbox would go to init, which may
        // take its time reaping them; their zombies would count against this uid's
        // RLIMIT_NPROC in the next run. As a subreaper we get them and reap them.
        static std::once_flag subreaper;
        std::call_once(subreaper, [] { ::prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0); });
    }

    const auto start = steady::now();
    const pid_t pid = spawn_child(p.setup);
    if (pid < 0) return setup_error(std::string("clone: ") + std::strerror(errno));
    result.pid = pid;
    result.uid = p.setup.uid;
    // Our copies of the child's ends go now, or we would never see EOF on them.
    p.out.write.reset();
    p.err.write.reset();
    p.status.write.reset();
    p.error.write.reset();
    p.source.reset();

    // The setup reports through the close-on-exec error pipe: EOF means execve ran.
    watched w;
    {
        pollfd fd{p.error.read.get(), POLLIN, 0};
        setup_failure failure;
        ssize_t got = -1;
        if (::poll(&fd, 1, 10'000) > 0) {
            ::fcntl(p.error.read.get(), F_SETFL, 0);
            while ((got = ::read(p.error.read.get(), &failure, sizeof failure)) < 0 && errno == EINTR) {
            }
        }
        if (got != 0) {
            kill_tree(pid);
            reap(pid, w);
            if (got == static_cast<ssize_t>(sizeof failure))
                return setup_error(std::string(to_string(static_cast<setup_stage>(failure.stage))) +
                                   (failure.stage == static_cast<int>(setup_stage::exec)
                                        ? " of " + config.python : std::string()) +
                                   ": " + std::strerror(failure.error));
            return setup_error("no word from the child within 10 s of clone");
        }
    }

    capped_output out(limits.output_bytes), err(limits.output_bytes);
    driver_mark mark = driver_mark::none;
    std::string report;
    watch(pid, p, limits, start, out, err, mark, report, w);
    if (!plan.pid_ns) {
        // Without a pid namespace, descendants may outlive the interpreter.
        ::kill(-pid, SIGKILL);
        if (plan.root) kill_uid(p.setup.uid, pid);
        else kill_session(pid);
    }
    reap(pid, w);
    result.wall_ms = ms_between(start, steady::now());
    // What the tree wrote before it died is still in the pipes; writers are gone, so
    // this is bounded by the pipe buffers.
    read_available(p.out.read, out, 1 << 20);
    read_available(p.err.read, err, 1 << 20);
    read_status(p.status.read, mark, report, limits.report_bytes);
    remove_workdir();
    if (driver == records_driver) {
        // Its records are data, not a mark: the exit status says whether it reached the end.
        const bool exited = WIFEXITED(w.wait_status);
        mark = exited && WEXITSTATUS(w.wait_status) == 0 ? driver_mark::passed
             : exited && WEXITSTATUS(w.wait_status) == 1 ? driver_mark::raised : driver_mark::none;
        if (report.size() > limits.report_bytes) w.killed_for_output = true;
        result.report = std::move(report);
    }

    result.stdout_text = out.text();
    result.stderr_text = err.text();
    result.stdout_total = out.total();
    result.stderr_total = err.total();
    auto to_ms = [](const timeval& t) { return t.tv_sec * 1000.0 + t.tv_usec / 1000.0; };
    result.cpu_ms = to_ms(w.usage.ru_utime) + to_ms(w.usage.ru_stime);

    run_outcome outcome;
    outcome.wait_status = w.wait_status;
    outcome.mark = mark;
    outcome.killed_for_wall = w.killed_for_wall;
    outcome.killed_for_output = w.killed_for_output;
    outcome.cpu_ms = result.cpu_ms;
    outcome.max_rss_bytes = static_cast<std::uint64_t>(w.usage.ru_maxrss) * 1024;
    outcome.stderr_tail = err.tail(4096);
    classify(outcome, limits, result);
    return result;
}

} // namespace

exec_result run_python(std::string_view program_text, std::string_view test_text,
                       const exec_limits& limits, const sandbox_config& config) {
    return run(program_text, test_text, python_driver, limits, config);
}

exec_result run_records(std::string_view payload, const exec_limits& limits, const sandbox_config& config) {
    return run(payload, {}, records_driver, limits, config);
}

} // namespace headroom::sandbox
