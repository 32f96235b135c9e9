#include "sandbox/stale.h"

#include <cerrno>
#include <chrono>
#include <csignal>
#include <filesystem>
#include <string_view>
#include <unistd.h>

namespace headroom::sandbox {

namespace fs = std::filesystem;

namespace {
constexpr std::string_view prefix = "headroom-exec-";
// Directories named before pids were part of the name: stale once this old.
constexpr auto unnamed_owner_age = std::chrono::hours(1);
} // namespace

std::string workdir_template(const std::string& temp_root) {
    return temp_root + "/" + std::string(prefix) + std::to_string(::getpid()) + "-XXXXXX";
}

std::size_t remove_stale_workdirs(const std::string& temp_root) {
    std::size_t removed = 0;
    std::error_code error;
    for (fs::directory_iterator it(temp_root, error), end; !error && it != end; it.increment(error)) {
        const std::string name = it->path().filename().string();
        if (name.rfind(prefix, 0) != 0 || !it->is_directory(error) || it->is_symlink(error)) continue;
        const std::string_view rest = std::string_view(name).substr(prefix.size());
        const std::size_t dash = rest.find('-');
        bool stale = false;
        if (dash != std::string_view::npos && dash > 0 &&
            rest.substr(0, dash).find_first_not_of("0123456789") == std::string_view::npos) {
            const pid_t owner = static_cast<pid_t>(std::stol(std::string(rest.substr(0, dash))));
            stale = owner != ::getpid() && ::kill(owner, 0) != 0 && errno == ESRCH;
        } else {
            std::error_code age_error;
            const auto written = fs::last_write_time(it->path(), age_error);
            stale = !age_error && fs::file_time_type::clock::now() - written > unnamed_owner_age;
        }
        if (stale && fs::remove_all(it->path(), error) > 0) ++removed;
        error.clear();
    }
    return removed;
}

} // namespace headroom::sandbox
