// Which isolation this kernel, this container and this user allow, found by trying:
// a probe child does the full setup of a real run and exits just before execve. Any
// stage that fails drops the feature responsible and the probe tries again, so runs
// never hit a refusal the plan did not expect (a refusal during a run is a
// sandbox_error, never a silent weakening).
#include "sandbox/isolation.h"
#include "sandbox/seccomp.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <list>
#include <mutex>
#include <sched.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <utility>

namespace headroom::sandbox::detail {
namespace {

struct attempt_outcome {
    bool ok = false;
    setup_stage stage = setup_stage::clone;
    int error = 0;
};

attempt_outcome attempt(const isolation_plan& plan, const std::string& temp_root,
                        std::uint32_t uid_base) {
    std::string dir = temp_root + "/headroom-probe-XXXXXX";
    if (::mkdtemp(dir.data()) == nullptr) return {false, setup_stage::workdir, errno};
    child_setup s;
    s.plan = &plan;
    s.probe_only = true;
    s.filter = syscall_filter();
    s.workdir = dir.c_str();
    prepare_identity(s, uid_base, 1 << 20);
    if (plan.root && ::chown(dir.c_str(), s.uid, s.gid) != 0) {
        int error = errno;
        ::rmdir(dir.c_str());
        return {false, setup_stage::workdir, error};
    }
    int null_fd = ::open("/dev/null", O_RDWR | O_CLOEXEC);
    int error_pipe[2];
    if (null_fd < 0 || ::pipe2(error_pipe, O_CLOEXEC) != 0) {
        int error = errno;
        if (null_fd >= 0) ::close(null_fd);
        ::rmdir(dir.c_str());
        return {false, setup_stage::stdio, error};
    }
    s.stdout_fd = s.stderr_fd = s.source_fd = s.status_fd = null_fd;
    s.error_fd = error_pipe[1];
    s.cpu = {10, 10};
    s.address_space = {1ull << 30, 1ull << 30};
    s.file_size = {1 << 20, 1 << 20};
    s.processes = {64, 64};

    attempt_outcome outcome;
    pid_t pid = spawn_child(s);
    int clone_error = errno;
    ::close(error_pipe[1]);
    if (pid < 0) {
        outcome = {false, setup_stage::clone, clone_error};
    } else {
        setup_failure failure;
        ssize_t got;
        while ((got = ::read(error_pipe[0], &failure, sizeof failure)) < 0 && errno == EINTR) {
        }
        int status = 0;
        while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
        }
        if (got == static_cast<ssize_t>(sizeof failure))
            outcome = {false, static_cast<setup_stage>(failure.stage), failure.error};
        else if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
            outcome.ok = true;
        else
            outcome = {false, setup_stage::exec, 0};
    }
    ::close(error_pipe[0]);
    ::close(null_fd);
    ::rmdir(dir.c_str());
    return outcome;
}

bool clone_works(unsigned long flags) {
    long pid = ::syscall(SYS_clone, flags | SIGCHLD, nullptr, nullptr, nullptr, nullptr);
    if (pid == 0) ::_exit(0);
    if (pid < 0) return false;
    int status = 0;
    while (::waitpid(static_cast<pid_t>(pid), &status, 0) < 0 && errno == EINTR) {
    }
    return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

void note(isolation_plan& plan, const std::string& text) {
    if (!plan.notes.empty()) plan.notes += "; ";
    plan.notes += text;
}

// Features depend on each other: keep the plan consistent after dropping one.
void normalize(isolation_plan& plan) {
    if (!plan.root && !plan.user_ns)  // an unprivileged user gets namespaces via a user ns only
        plan.pid_ns = plan.net_ns = plan.ipc_ns = plan.uts_ns = plan.mount_ns = false;
    if (!plan.mount_ns) plan.readonly_root = plan.tmpfs_workdir = plan.fresh_proc = plan.hidden_sys = false;
    if (!plan.pid_ns) plan.fresh_proc = false;
    // The fresh root is built over the host's working directory, so the working dir
    // inside it must be a tmpfs of its own.
    if (!plan.tmpfs_workdir) plan.fresh_root = false;
}

// A clone with the whole set was refused: find which flags the kernel refuses alone.
void drop_refused_flags(isolation_plan& plan) {
    const unsigned long base = plan.user_ns ? CLONE_NEWUSER : 0;
    if (plan.user_ns && !clone_works(CLONE_NEWUSER)) {
        plan.user_ns = false;
        note(plan, "user namespaces refused");
        normalize(plan);
        return;
    }
    struct flag_switch { unsigned long flag; bool isolation_plan::*on; const char* name; };
    const flag_switch switches[] = {
        {CLONE_NEWPID, &isolation_plan::pid_ns, "pid"},
        {CLONE_NEWNET, &isolation_plan::net_ns, "network"},
        {CLONE_NEWIPC, &isolation_plan::ipc_ns, "ipc"},
        {CLONE_NEWUTS, &isolation_plan::uts_ns, "uts"},
        {CLONE_NEWNS, &isolation_plan::mount_ns, "mount"},
    };
    for (const flag_switch& sw : switches) {
        if (plan.*sw.on && !clone_works(base | sw.flag)) {
            plan.*sw.on = false;
            note(plan, std::string(sw.name) + " namespace refused");
        }
    }
    normalize(plan);
}

isolation_plan probe(bool allow_namespaces, const std::string& temp_root, std::uint32_t uid_base) {
    isolation_plan plan;
    plan.root = ::geteuid() == 0;
    if (!allow_namespaces) {
        note(plan, "namespaces disabled by configuration");
        return plan;
    }
    plan.user_ns = !plan.root;
    plan.pid_ns = plan.net_ns = plan.ipc_ns = plan.uts_ns = plan.mount_ns = true;
    plan.readonly_root = plan.tmpfs_workdir = plan.fresh_proc = plan.hidden_sys = true;
    plan.fresh_root = true;
    for (int round = 0; round < 16; ++round) {
        attempt_outcome outcome = attempt(plan, temp_root, uid_base);
        if (outcome.ok) return plan;
        std::string why = std::string(to_string(outcome.stage)) + " failed (" +
                          std::strerror(outcome.error) + ")";
        switch (outcome.stage) {
        case setup_stage::clone: {
            const unsigned long before = plan.clone_flags();
            drop_refused_flags(plan);
            if (plan.clone_flags() == before) {  // each alone works, together not: give up
                note(plan, why + "; namespaces off");
                plan.user_ns = plan.pid_ns = plan.net_ns = plan.ipc_ns = plan.uts_ns = false;
                plan.mount_ns = false;
                normalize(plan);
            }
            break;
        }
        case setup_stage::user_map: plan.user_ns = false; break;
        case setup_stage::mount_private: plan.mount_ns = false; break;
        case setup_stage::mount_readonly: plan.readonly_root = false; break;
        case setup_stage::mount_workdir:
            if (plan.tmpfs_workdir) plan.tmpfs_workdir = false;
            else plan.readonly_root = false;
            break;
        case setup_stage::mount_proc: plan.fresh_proc = false; break;
        case setup_stage::hide_sys: plan.hidden_sys = false; break;
        case setup_stage::fresh_root:
        case setup_stage::pivot_root: plan.fresh_root = false; break;
        default:
            // Not a namespace feature: every run will fail the same way and say so.
            note(plan, why + "; runs will report sandbox_error");
            return plan;
        }
        if (outcome.stage != setup_stage::clone) note(plan, why);
        normalize(plan);
    }
    return plan;
}

} // namespace

const isolation_plan& probe_isolation(bool allow_namespaces, const std::string& temp_root,
                                      std::uint32_t uid_base) {
    // Keyed by euid too: a process that forks and drops privileges must probe again.
    struct entry { uid_t euid; bool allow; isolation_plan plan; };
    static std::mutex mutex;
    static std::list<entry> cache;  // a list: references stay valid as it grows
    std::lock_guard lock(mutex);
    const uid_t euid = ::geteuid();
    for (const entry& e : cache)
        if (e.euid == euid && e.allow == allow_namespaces) return e.plan;
    cache.push_back({euid, allow_namespaces, probe(allow_namespaces, temp_root, uid_base)});
    return cache.back().plan;
}

std::string describe(const isolation_plan& plan, std::uint32_t uid_base) {
    std::string text;
    auto add = [&text](const std::string& part) {
        if (!text.empty()) text += "; ";
        text += part;
    };
    if (plan.pid_ns)
        add("pid namespace (the interpreter is its init: when it exits or is killed, the "
            "kernel kills every descendant, setsid() or not)");
    if (plan.net_ns) add("network namespace (no interfaces up: no sockets, not even to 127.0.0.1)");
    if (plan.ipc_ns) add("ipc namespace");
    if (plan.uts_ns) add("uts namespace");
    if (plan.mount_ns) {
        std::string mounts = "private mount namespace";
        if (plan.fresh_root)
            mounts += ", fresh root (pivot_root): only /usr, /bin, /sbin, /lib*, /etc and five "
                      "/dev nodes bound from the host, so /home, /root, /tmp, /var, /work, /sys "
                      "and the grader's cwd are not there at all";
        if (plan.readonly_root) mounts += ", every mount read-only and nosuid";
        mounts += plan.tmpfs_workdir ? ", working directory a private size-capped tmpfs"
                                     : ", working directory a host directory";
        if (plan.fresh_proc) mounts += ", fresh /proc of the sandbox's pid namespace";
        else if (plan.fresh_root) mounts += ", no /proc";
        if (plan.hidden_sys && !plan.fresh_root) mounts += ", /sys hidden under an empty tmpfs";
        add(mounts);
    }
    if (plan.root)
        add("runs as uid " + std::to_string(uid_base) +
            "+thread id with no groups (root parent: a uid of its own per sandbox, so "
            "RLIMIT_NPROC, which root ignores, counts this sandbox alone, and a kill(-1) "
            "sweep as that uid reaches exactly its processes)");
    else if (plan.user_ns)
        add(std::string("runs as the grader's uid inside its own user namespace (identity map, no "
                        "capabilities after exec; RLIMIT_NPROC counted per namespace)") +
            (plan.fresh_root ? "" : ": NO fresh root, so the program can read every file the "
                                    "grader's user can, its 0600 files included"));
    else
        add("runs as the grader's own uid (no user namespace: the program can read every file "
            "the grader's user can, its 0600 files included, could signal the grader, and "
            "RLIMIT_NPROC counts all of this user's processes)");
    add("seccomp filter refusing namespace, mount, ptrace, bpf, perf and keyring calls");
    add("own session and process group; rlimits on CPU time, address space, file size, "
        "processes and core size; no_new_privs; parent-death SIGKILL; empty environment "
        "but PATH, LANG, HOME and TMPDIR; wall clock kept by the parent, which kills the tree");
    if (!plan.pid_ns) {
        add(plan.root ? "no pid namespace: the tree is killed by process group, then by a "
                        "kill(-1) sweep as the sandbox uid; the grader becomes a child "
                        "subreaper to reap what that leaves"
                      : "no pid namespace: the tree is killed by process group and session; "
                        "a process that calls setsid() can outlive the run");
    }
    if (!plan.net_ns) add("NO network namespace: the program can open sockets");
    if (!plan.readonly_root)
        add("filesystem NOT read-only: writes outside the working directory are limited only "
            "by file permissions");
    if (!plan.notes.empty()) add("probe notes: " + plan.notes);
    return text;
}

} // namespace headroom::sandbox::detail
