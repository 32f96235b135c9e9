#include "sandbox/seccomp.h"

#include <cerrno>
#include <initializer_list>
#include <mutex>
#include <sched.h>
#include <seccomp.h>
#include <sys/mman.h>
#include <unistd.h>
#include <vector>

namespace headroom::sandbox::detail {
namespace {

std::vector<sock_filter> build() {
    scmp_filter_ctx ctx = ::seccomp_init(SCMP_ACT_ALLOW);
    if (!ctx) return {};
    bool ok = true;
    const auto refuse = [&](int call) { ok = ok && ::seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), call, 0) == 0; };
    for (int call : {SCMP_SYS(unshare), SCMP_SYS(setns), SCMP_SYS(mount), SCMP_SYS(umount2), SCMP_SYS(pivot_root),
                     SCMP_SYS(open_tree), SCMP_SYS(move_mount), SCMP_SYS(fsopen), SCMP_SYS(fsconfig),
                     SCMP_SYS(fsmount), SCMP_SYS(fspick), SCMP_SYS(mount_setattr), SCMP_SYS(ptrace),
                     SCMP_SYS(process_vm_readv), SCMP_SYS(process_vm_writev), SCMP_SYS(bpf),
                     SCMP_SYS(perf_event_open), SCMP_SYS(userfaultfd), SCMP_SYS(add_key), SCMP_SYS(request_key),
                     SCMP_SYS(keyctl)})
        refuse(call);
    ok = ok && ::seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS), SCMP_SYS(clone3), 0) == 0;
    for (scmp_datum_t flag : std::initializer_list<scmp_datum_t>{
             CLONE_NEWUSER, CLONE_NEWNS, CLONE_NEWPID, CLONE_NEWNET, CLONE_NEWIPC, CLONE_NEWUTS, CLONE_NEWCGROUP,
             CLONE_NEWTIME})
        ok = ok && ::seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(clone), 1,
                                      SCMP_A0(SCMP_CMP_MASKED_EQ, flag, flag)) == 0;
    std::vector<sock_filter> program;
    // libseccomp writes the BPF to a descriptor: a memfd, read back into memory.
    const int fd = ::memfd_create("headroom-seccomp", MFD_CLOEXEC);
    if (ok && fd >= 0 && ::seccomp_export_bpf(ctx, fd) == 0) {
        const off_t size = ::lseek(fd, 0, SEEK_END);
        if (size > 0 && size % sizeof(sock_filter) == 0 && ::lseek(fd, 0, SEEK_SET) == 0) {
            program.resize(static_cast<std::size_t>(size) / sizeof(sock_filter));
            if (::read(fd, program.data(), static_cast<std::size_t>(size)) != size) program.clear();
        }
    }
    if (fd >= 0) ::close(fd);
    ::seccomp_release(ctx);
    return program;
}

} // namespace

const sock_fprog* syscall_filter() {
    static std::vector<sock_filter> program;
    static sock_fprog fprog{};
    static std::once_flag once;
    std::call_once(once, [] {
        program = build();
        fprog.len = static_cast<unsigned short>(program.size());
        fprog.filter = program.data();
    });
    return program.empty() ? nullptr : &fprog;
}

} // namespace headroom::sandbox::detail
