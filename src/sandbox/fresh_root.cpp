// [SECTION] parent side   where the interpreter lives
// [SECTION] child side    building the root and pivoting into it: system calls only,
//                         paths in stack buffers (the child of a multithreaded parent
//                         must not allocate)
#include "sandbox/fresh_root.h"

#include <cerrno>
#include <fcntl.h>
#include <filesystem>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace headroom::sandbox::detail {
namespace {

// What an interpreter reads: its binary, libraries and modules, and /etc (locale, time
// zone, passwd). /etc's secrets (shadow, host keys) are root's and not world-readable,
// and the sandbox never runs as root nor as their group.
constexpr const char* system_paths[] = {"/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", "/etc"};
// Character devices programs open by name; /dev itself (shm, pts, the host's disks) stays out.
constexpr const char* device_paths[] = {"/dev/null", "/dev/zero", "/dev/full", "/dev/random", "/dev/urandom"};
constexpr const char* root_options = "size=1m,nr_inodes=512,mode=0755";

bool under_system_path(const std::string& path) {
    for (const char* top : system_paths) {
        const std::string prefix = std::string(top) + "/";
        if (path.compare(0, prefix.size(), prefix) == 0) return true;
    }
    return false;
}

} // namespace

// [SECTION] parent side

std::string interpreter_prefix(const std::string& python) {
    std::error_code error;
    const std::filesystem::path real = std::filesystem::canonical(python, error);
    // A missing interpreter stays missing: execve reports it as a setup failure.
    if (error || under_system_path(real.string())) return {};
    const std::filesystem::path prefix = real.parent_path().parent_path();
    return prefix == prefix.root_path() ? real.parent_path().string() : prefix.string();
}

// [SECTION] child side

namespace {

constexpr std::size_t path_max = 4096;

bool join(char (&out)[path_max], const char* a, const char* b) {
    std::size_t n = 0;
    for (const char* part : {a, b})
        for (; *part != '\0'; ++part) {
            if (n + 1 >= path_max) {
                errno = ENAMETOOLONG;
                return false;
            }
            out[n++] = *part;
        }
    out[n] = '\0';
    return true;
}

// mkdir -p of every component of `path` after the first `from` bytes (which exist).
bool make_dirs(char* path, std::size_t from, bool last_too) {
    for (char* at = path + from + 1; *at != '\0'; ++at) {
        if (*at != '/') continue;
        *at = '\0';
        const bool ok = ::mkdir(path, 0755) == 0 || errno == EEXIST;
        *at = '/';
        if (!ok) return false;
    }
    return !last_too || ::mkdir(path, 0755) == 0 || errno == EEXIST;
}

std::size_t length(const char* text) {
    std::size_t n = 0;
    while (text[n] != '\0') ++n;
    return n;
}

// Recreates host path `host` under `root`: a symlink as the same symlink (merged /usr
// makes /bin one), a directory or file as a bind of the host's. Absent is fine.
bool bind_into(const char* root, const char* host) {
    char target[path_max];
    if (!join(target, root, host)) return false;
    const std::size_t root_length = length(root);
    char link[path_max];
    const ssize_t link_length = ::readlink(host, link, path_max - 1);
    if (link_length >= 0) {
        link[link_length] = '\0';
        return make_dirs(target, root_length, false) && ::symlink(link, target) == 0;
    }
    if (errno == ENOENT) return true;
    if (errno != EINVAL) return false;  // EINVAL: exists and is not a symlink
    struct stat info {};
    if (::stat(host, &info) != 0) return false;
    if (S_ISDIR(info.st_mode)) {
        if (!make_dirs(target, root_length, true)) return false;
    } else {
        if (!make_dirs(target, root_length, false)) return false;
        const int fd = ::open(target, O_CREAT | O_WRONLY | O_CLOEXEC, 0644);
        if (fd < 0) return false;
        ::close(fd);
    }
    return ::mount(host, target, nullptr, MS_BIND | MS_REC, nullptr) == 0;
}

} // namespace

bool enter_fresh_root(const child_setup& s, setup_stage& failed) {
    const isolation_plan& plan = *s.plan;
    // The host's working directory is the mount point: it exists, is ours, and once
    // we have pivoted away nothing else refers to it.
    const char* root = s.workdir;
    failed = setup_stage::fresh_root;
    if (::mount("headroom-root", root, "tmpfs", MS_NOSUID | MS_NODEV, root_options) != 0) return false;
    for (const char* path : system_paths)
        if (!bind_into(root, path)) return false;
    if (s.interpreter_prefix[0] != '\0' && !bind_into(root, s.interpreter_prefix)) return false;
    for (const char* path : device_paths)
        if (!bind_into(root, path)) return false;
    char proc[path_max], work[path_max];
    if (!join(proc, root, "/proc") || !join(work, root, s.workdir)) return false;
    if (plan.fresh_proc && ::mkdir(proc, 0555) != 0) return false;
    if (!make_dirs(work, length(root), true)) return false;

    if (plan.readonly_root) {
        failed = setup_stage::mount_readonly;
        mount_attr attr{};
        attr.attr_set = MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID;
        if (::mount_setattr(AT_FDCWD, root, AT_RECURSIVE, &attr, sizeof attr) != 0) return false;
    }
    failed = setup_stage::mount_workdir;
    if (::mount("headroom", work, "tmpfs", MS_NOSUID | MS_NODEV, s.tmpfs_options) != 0) return false;
    // Before the pivot: an unprivileged user may mount a proc only while a fully
    // visible one is in its mount namespace, and the host's goes with the pivot.
    failed = setup_stage::mount_proc;
    if (plan.fresh_proc && ::mount("proc", proc, "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, nullptr) != 0)
        return false;

    // pivot_root(".", ".") stacks the old root on the new one; detaching it leaves no
    // path back to the host's tree.
    failed = setup_stage::pivot_root;
    return ::chdir(root) == 0 && ::syscall(SYS_pivot_root, ".", ".") == 0 &&
           ::umount2(".", MNT_DETACH) == 0 && ::chdir("/") == 0;
}

} // namespace headroom::sandbox::detail
