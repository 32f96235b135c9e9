// Working directories a grader left behind when it was killed (SIGKILL skips every
// cleanup) or failed mid-run. Each name carries its grader's pid
// (headroom-exec-<pid>-XXXXXX), so a directory is stale only when that process is gone:
// a grader running beside this one keeps its own.
#pragma once
#include <cstddef>
#include <string>

namespace headroom::sandbox {

// Removes the stale ones under `temp_root`; returns how many.
std::size_t remove_stale_workdirs(const std::string& temp_root);

// The mkdtemp template of this process's working directories.
std::string workdir_template(const std::string& temp_root);

} // namespace headroom::sandbox
