// The sandbox's system-call filter: refuses (EPERM) the calls that open kernel attack
// surface a test program never needs: new namespaces (unshare, setns, clone with a
// CLONE_NEW* flag; clone3, whose flags a filter cannot read, gets ENOSYS so the C
// library falls back to clone), mounts of every kind, ptrace and process_vm_*, bpf,
// perf_event_open, userfaultfd, and the keyring. Built once, in the parent, with
// libseccomp; the child only installs it (one prctl), as it may not allocate.
#pragma once
#include <linux/filter.h>

namespace headroom::sandbox::detail {

// Null if libseccomp could not build it (then runs report sandbox_error at that stage).
const sock_fprog* syscall_filter();

} // namespace headroom::sandbox::detail
