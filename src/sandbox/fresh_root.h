// The sandbox's own root directory: a small tmpfs holding read-only binds of what the
// interpreter needs and nothing else, entered with pivot_root. The grader's files
// (its home, its cwd, /tmp, /work, /var, /root) are not merely unreadable, which an
// identity-mapped user namespace would not ensure, but absent from the tree.
#pragma once
#include "sandbox/isolation.h"

#include <string>

namespace headroom::sandbox::detail {

// Parent side: the directory to bind besides the system's when the interpreter lives
// outside it (/opt/python3.12 for /opt/python3.12/bin/python3), else empty.
std::string interpreter_prefix(const std::string& python);

// Child side, system calls only (see isolation.cpp). Builds the root over the host's
// working directory, mounts the working dir's tmpfs and /proc in it, pivots and
// detaches the host's tree. False with errno set and `failed` naming the step.
bool enter_fresh_root(const child_setup& setup, setup_stage& failed);

} // namespace headroom::sandbox::detail
