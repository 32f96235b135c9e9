// Shared by the sandbox tests: a private temp root per test, and the leftover checks
// every test ends with (the machine must be unharmed after each hostile program).
#pragma once
#include "sandbox/sandbox.h"

#include <cstddef>
#include <cstdint>
#include <string>

namespace headroom::sandbox::testing {

// A fresh temp root (searchable by the sandbox uid) removed at the end of the test.
struct temp_root {
    temp_root();
    ~temp_root();
    temp_root(const temp_root&) = delete;
    temp_root& operator=(const temp_root&) = delete;
    std::string path;
    std::size_t entries() const;  // what runs left behind in it
};

sandbox_config config_in(const temp_root& root);

// Processes (in any pid namespace, zombies included: they still count against the
// uid's RLIMIT_NPROC) whose real uid is `uid`, from /proc.
std::size_t processes_of_uid(std::uint32_t uid);

// Processes whose command line contains `token` (a marker a test's program puts in
// the argv of the processes it spawns, to find them from outside any namespace).
std::size_t processes_with_token(const std::string& token);

// True when the run left nothing behind: no process of its uid, an empty temp root.
bool left_nothing(const exec_result& result, const temp_root& root);

// A unique token for file names and random output.
std::string nonce();

} // namespace headroom::sandbox::testing
