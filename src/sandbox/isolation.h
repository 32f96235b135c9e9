// Kernel-facing half of the sandbox: which isolation this machine allows (probed
// once per effective uid), the child's setup between clone() and execve(), and the
// parent's tree killers for when there is no pid namespace to do it.
#pragma once
#include <cstdint>
#include <string>
#include <sys/resource.h>
#include <sys/types.h>

namespace headroom::sandbox::detail {

// What a run applies. Each switch is on only if the probe saw it work here.
struct isolation_plan {
    bool root = false;            // parent euid 0: the child drops to a per-thread uid
    bool user_ns = false;         // non-root parent: a user namespace, identity-mapped
    bool pid_ns = false;          // the interpreter is init: its exit kills every descendant
    bool net_ns = false;          // no interfaces, not even loopback up
    bool ipc_ns = false;
    bool uts_ns = false;
    bool mount_ns = false;        // private mount tree (nothing propagates to the host)
    bool readonly_root = false;   // every mount read-only and nosuid, bar the working dir
    bool tmpfs_workdir = false;   // the working dir is a size-capped tmpfs, gone with the ns
    bool fresh_proc = false;      // /proc shows the sandbox's own pid namespace only
    bool hidden_sys = false;      // /sys covered by an empty tmpfs (host devices, interfaces)
    bool fresh_root = false;      // pivot_root into a root holding only what the interpreter needs
    std::string notes;            // what the probe found refused, and why

    unsigned long clone_flags() const;
};

// Probes on first use for this (euid, allow_namespaces) and caches the answer.
const isolation_plan& probe_isolation(bool allow_namespaces, const std::string& temp_root,
                                      std::uint32_t uid_base);
std::string describe(const isolation_plan& plan, std::uint32_t uid_base);

// Where the child failed, reported through a close-on-exec pipe; EOF means execve ran.
enum class setup_stage : int {
    clone, user_map, session, signals, mount_private, mount_readonly, mount_workdir,
    mount_proc, stdio, workdir, rlimits, drop_groups, drop_gid, drop_uid, no_new_privs,
    parent_death, exec, hide_sys, syscall_filter, fresh_root, pivot_root,
};
const char* to_string(setup_stage stage);

struct setup_failure {
    int stage = 0;
    int error = 0;
};

// Everything the child needs, prepared by the parent before clone(): after clone in
// a multithreaded parent the child may only make system calls (no allocation, no
// locks, no glibc set*id broadcast), so strings are pre-built here.
struct child_setup {
    const isolation_plan* plan = nullptr;
    bool probe_only = false;        // do the whole setup, then _exit(0) instead of exec
    const char* workdir = nullptr;
    const char* python = nullptr;
    char* const* argv = nullptr;
    char* const* envp = nullptr;
    uid_t uid = 0;                  // the uid/gid the interpreter runs as
    gid_t gid = 0;
    int stdout_fd = -1, stderr_fd = -1, source_fd = -1, status_fd = -1, error_fd = -1;
    rlimit cpu{}, address_space{}, file_size{}, processes{};
    const struct sock_fprog* filter = nullptr;  // seccomp, installed last before execve
    char tmpfs_options[96] = {};
    char uid_map[48] = {};
    char gid_map[48] = {};
    char interpreter_prefix[256] = {};  // bound into the fresh root too (fresh_root.h)
};

// The sandbox uid for the calling thread when the parent is root: distinct per live
// thread, so RLIMIT_NPROC counts one sandbox only and a sweep kills one sandbox only.
std::uint32_t sandbox_uid(std::uint32_t uid_base);

// Fills the identity part of a setup: uid/gid (per-thread sandbox uid for a root
// parent, our own uid otherwise), the user namespace's id maps and the tmpfs options.
void prepare_identity(child_setup& setup, std::uint32_t uid_base, std::uint64_t tmpfs_bytes);

// clone() into the plan's namespaces; the child runs the setup and execs. Returns the
// child's pid, or -1 with errno.
pid_t spawn_child(const child_setup& setup);

// Kill every process running as `uid` (a fresh process as that uid calls kill(-1)),
// then reap the zombies this subreaper inherited, all but `keep` (the interpreter,
// whose status the caller still wants). Only for a root parent and a sandbox-only uid.
void kill_uid(uid_t uid, pid_t keep);
// Kill every process of session `sid` (scans /proc): the non-root, no-namespace
// fallback, which cannot see processes that left the session with setsid().
void kill_session(pid_t sid);

} // namespace headroom::sandbox::detail
