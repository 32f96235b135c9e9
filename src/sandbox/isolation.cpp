// The child's side of a run, from clone() to execve(), and what the parent prepares
// for it.
//
// [SECTION] parent side   clone flags, stage names, the sandbox's identity
// [SECTION] child side    runs in a process cloned from a possibly multithreaded
//                         parent, so it is system calls only: no allocation, no stdio,
//                         no glibc set*id wrappers (those broadcast to threads the child
//                         does not have). Failures go to the parent through the error pipe.
#include "sandbox/isolation.h"

#include "sandbox/fresh_root.h"

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <fcntl.h>
#include <linux/close_range.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace headroom::sandbox::detail {

// [SECTION] parent side

unsigned long isolation_plan::clone_flags() const {
    unsigned long flags = 0;
    if (user_ns) flags |= CLONE_NEWUSER;
    if (pid_ns) flags |= CLONE_NEWPID;
    if (net_ns) flags |= CLONE_NEWNET;
    if (ipc_ns) flags |= CLONE_NEWIPC;
    if (uts_ns) flags |= CLONE_NEWUTS;
    if (mount_ns) flags |= CLONE_NEWNS;
    return flags;
}

const char* to_string(setup_stage stage) {
    switch (stage) {
    case setup_stage::clone: return "clone";
    case setup_stage::user_map: return "writing the user namespace's id maps";
    case setup_stage::session: return "setsid";
    case setup_stage::signals: return "resetting signals";
    case setup_stage::mount_private: return "making the mount tree private";
    case setup_stage::mount_readonly: return "making the filesystem read-only";
    case setup_stage::mount_workdir: return "mounting the working directory";
    case setup_stage::mount_proc: return "mounting /proc";
    case setup_stage::stdio: return "redirecting standard streams";
    case setup_stage::workdir: return "entering the working directory";
    case setup_stage::rlimits: return "setting resource limits";
    case setup_stage::drop_groups: return "dropping supplementary groups";
    case setup_stage::drop_gid: return "setresgid";
    case setup_stage::drop_uid: return "setresuid";
    case setup_stage::no_new_privs: return "PR_SET_NO_NEW_PRIVS";
    case setup_stage::parent_death: return "PR_SET_PDEATHSIG";
    case setup_stage::exec: return "execve";
    case setup_stage::hide_sys: return "hiding /sys";
    case setup_stage::syscall_filter: return "installing the seccomp filter";
    case setup_stage::fresh_root: return "building the fresh root";
    case setup_stage::pivot_root: return "pivot_root into the fresh root";
    }
    return "unknown stage";
}

std::uint32_t sandbox_uid(std::uint32_t uid_base) {
    // Thread ids are unique among live tasks of this pid namespace, and each thread
    // runs one sandbox at a time; pid_max is at most 2^22, which keeps the default
    // base (0x70000000) inside the range systemd documents as unused.
    return uid_base + static_cast<std::uint32_t>(::gettid());
}

void prepare_identity(child_setup& s, std::uint32_t uid_base, std::uint64_t tmpfs_bytes) {
    if (s.plan->root) {
        s.uid = sandbox_uid(uid_base);
        s.gid = s.uid;
    } else {
        s.uid = ::geteuid();
        s.gid = ::getegid();
    }
    std::snprintf(s.uid_map, sizeof s.uid_map, "%u %u 1\n", unsigned(s.uid), unsigned(s.uid));
    std::snprintf(s.gid_map, sizeof s.gid_map, "%u %u 1\n", unsigned(s.gid), unsigned(s.gid));
    std::snprintf(s.tmpfs_options, sizeof s.tmpfs_options,
                  "size=%llu,nr_inodes=4096,mode=0700,uid=%u,gid=%u",
                  static_cast<unsigned long long>(tmpfs_bytes), unsigned(s.uid), unsigned(s.gid));
}

// [SECTION] child side

namespace {

// Writes a whole small buffer to a /proc control file.
bool write_control(const char* path, const char* text) {
    int fd = ::open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0) return false;
    std::size_t length = 0;
    while (text[length] != '\0') ++length;
    bool ok = ::write(fd, text, length) == static_cast<ssize_t>(length);
    ::close(fd);
    return ok;
}

// Moves a descriptor above the range 0..4 that the child is about to fill, so that
// dup2 into 0..4 can never clobber a source it still needs.
int lift(int fd) { return fd < 0 ? -1 : ::fcntl(fd, F_DUPFD_CLOEXEC, 10); }

[[noreturn]] void fail(int error_fd, setup_stage stage) {
    setup_failure failure{static_cast<int>(stage), errno};
    if (::write(error_fd, &failure, sizeof failure) < 0) {
        // Nothing left to report through; the exit status still says 127.
    }
    ::_exit(127);
}

void set_mounts(const child_setup& s, int error_fd) {
    const isolation_plan& plan = *s.plan;
    // Private first: without it our mounts would propagate back to the host.
    if (::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0)
        fail(error_fd, setup_stage::mount_private);
    if (plan.fresh_root) {
        setup_stage failed{};
        if (!enter_fresh_root(s, failed)) fail(error_fd, failed);
        return;
    }
    if (plan.readonly_root) {
        mount_attr attr{};
        attr.attr_set = MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID;
        if (::mount_setattr(AT_FDCWD, "/", AT_RECURSIVE, &attr, sizeof attr) != 0)
            fail(error_fd, setup_stage::mount_readonly);
    }
    if (plan.tmpfs_workdir) {
        // A fresh tmpfs: capped in size, owned by the sandbox uid, and freed by the
        // kernel with the mount namespace even if nobody cleans up after us.
        if (::mount("headroom", s.workdir, "tmpfs", MS_NOSUID | MS_NODEV, s.tmpfs_options) != 0)
            fail(error_fd, setup_stage::mount_workdir);
    } else if (plan.readonly_root) {
        // No tmpfs: make just the working directory writable again.
        if (::mount(s.workdir, s.workdir, nullptr, MS_BIND, nullptr) != 0 ||
            ::mount(nullptr, s.workdir, nullptr, MS_REMOUNT | MS_BIND | MS_NOSUID, nullptr) != 0)
            fail(error_fd, setup_stage::mount_workdir);
    }
    // /sys names the host's devices and network interfaces: an empty read-only tmpfs
    // covers it.
    if (plan.hidden_sys &&
        ::mount("headroom", "/sys", "tmpfs", MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, "size=4k,mode=0555") != 0)
        fail(error_fd, setup_stage::hide_sys);
    if (plan.fresh_proc &&
        ::mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, nullptr) != 0)
        fail(error_fd, setup_stage::mount_proc);
}

void set_limits(const child_setup& s, int error_fd) {
    const rlimit no_core{0, 0};
    const rlimit files{256, 256};
    if (::setrlimit(RLIMIT_CPU, &s.cpu) != 0 || ::setrlimit(RLIMIT_AS, &s.address_space) != 0 ||
        ::setrlimit(RLIMIT_FSIZE, &s.file_size) != 0 ||
        ::setrlimit(RLIMIT_NPROC, &s.processes) != 0 || ::setrlimit(RLIMIT_CORE, &no_core) != 0 ||
        ::setrlimit(RLIMIT_NOFILE, &files) != 0)
        fail(error_fd, setup_stage::rlimits);
}

[[noreturn]] void child_main(const child_setup& s) {
    const isolation_plan& plan = *s.plan;
    int error_fd = s.error_fd;

    if (plan.user_ns) {
        // Identity map of our own uid/gid only: no root inside, and each sandbox's
        // RLIMIT_NPROC is counted in its own user namespace.
        if (!write_control("/proc/self/setgroups", "deny") ||
            !write_control("/proc/self/uid_map", s.uid_map) ||
            !write_control("/proc/self/gid_map", s.gid_map))
            fail(error_fd, setup_stage::user_map);
    }
    // Own session and process group: kill(-pid) reaches the tree, and the program
    // has no controlling terminal to play with.
    if (::setsid() < 0) fail(error_fd, setup_stage::session);

    // Threads of the parent may block or ignore signals; ignored ones survive execve.
    sigset_t none;
    sigemptyset(&none);
    if (::sigprocmask(SIG_SETMASK, &none, nullptr) != 0) fail(error_fd, setup_stage::signals);
    struct sigaction default_action {};
    default_action.sa_handler = SIG_DFL;
    for (int sig = 1; sig < NSIG; ++sig) ::sigaction(sig, &default_action, nullptr);

    if (plan.mount_ns) set_mounts(s, error_fd);

    error_fd = lift(error_fd);
    const int out = lift(s.stdout_fd), err = lift(s.stderr_fd);
    const int source = lift(s.source_fd), status = lift(s.status_fd);
    const int null_in = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (error_fd < 0 || out < 0 || err < 0 || source < 0 || status < 0 || null_in < 0 ||
        ::dup2(null_in, 0) < 0 || ::dup2(out, 1) < 0 || ::dup2(err, 2) < 0 ||
        ::dup2(source, 3) < 0 || ::dup2(status, 4) < 0)
        fail(error_fd < 0 ? s.error_fd : error_fd, setup_stage::stdio);

    if (::chdir(s.workdir) != 0) fail(error_fd, setup_stage::workdir);
    set_limits(s, error_fd);

    if (plan.root) {
        if (::syscall(SYS_setgroups, 0, nullptr) != 0) fail(error_fd, setup_stage::drop_groups);
        if (::syscall(SYS_setresgid, s.gid, s.gid, s.gid) != 0) fail(error_fd, setup_stage::drop_gid);
        if (::syscall(SYS_setresuid, s.uid, s.uid, s.uid) != 0) fail(error_fd, setup_stage::drop_uid);
    }
    if (::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) fail(error_fd, setup_stage::no_new_privs);
    // After the uid change, which clears it: if the grader dies, so does the sandbox
    // (with a pid namespace, the whole tree).
    if (::prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) != 0) fail(error_fd, setup_stage::parent_death);
    // Descriptors the embedding program opened without O_CLOEXEC must not leak in.
    if (::close_range(5, ~0u, CLOSE_RANGE_CLOEXEC) != 0) {
        for (int fd = 5; fd < 4096; ++fd) ::fcntl(fd, F_SETFD, FD_CLOEXEC);
    }

    if (s.filter == nullptr || ::prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, s.filter, 0, 0) != 0)
        fail(error_fd, setup_stage::syscall_filter);

    if (s.probe_only) ::_exit(0);
    ::execve(s.python, s.argv, s.envp);
    fail(error_fd, setup_stage::exec);
}

} // namespace

pid_t spawn_child(const child_setup& setup) {
    // Raw clone: glibc's fork() cannot create namespaces, and unshare(CLONE_NEWPID)
    // would need a second fork. With a null stack this behaves like fork().
    long pid = ::syscall(SYS_clone, setup.plan->clone_flags() | SIGCHLD, nullptr, nullptr,
                         nullptr, nullptr);
    if (pid == 0) child_main(setup);
    return static_cast<pid_t>(pid);
}

} // namespace headroom::sandbox::detail
