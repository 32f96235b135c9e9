#include "support.h"

#include <chrono>
#include <dirent.h>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>

namespace headroom::sandbox::testing {

temp_root::temp_root() {
    std::string pattern = "/tmp/headroom-sandbox-test-XXXXXX";
    if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    // Searchable by others: without a mount namespace the sandbox uid walks this path.
    ::chmod(pattern.c_str(), 0711);
    path = pattern;
}

temp_root::~temp_root() {
    std::error_code ignored;
    std::filesystem::remove_all(path, ignored);
}

std::size_t temp_root::entries() const {
    std::size_t count = 0;
    std::error_code error;
    for (auto it = std::filesystem::directory_iterator(path, error);
         !error && it != std::filesystem::directory_iterator(); it.increment(error))
        ++count;
    return count;
}

sandbox_config config_in(const temp_root& root) {
    sandbox_config config;
    config.temp_root = root.path;
    return config;
}

std::size_t processes_of_uid(std::uint32_t uid) {
    std::size_t count = 0;
    DIR* proc = ::opendir("/proc");
    if (proc == nullptr) return 0;
    while (dirent* entry = ::readdir(proc)) {
        if (entry->d_name[0] < '0' || entry->d_name[0] > '9') continue;
        std::ifstream status(std::string("/proc/") + entry->d_name + "/status");
        std::string line;
        while (std::getline(status, line)) {
            if (line.rfind("Uid:", 0) != 0) continue;
            if (std::stoul(line.substr(4)) == uid) ++count;
            break;
        }
    }
    ::closedir(proc);
    return count;
}

std::size_t processes_with_token(const std::string& token) {
    std::size_t count = 0;
    DIR* proc = ::opendir("/proc");
    if (proc == nullptr) return 0;
    while (dirent* entry = ::readdir(proc)) {
        if (entry->d_name[0] < '0' || entry->d_name[0] > '9') continue;
        std::ifstream file(std::string("/proc/") + entry->d_name + "/cmdline");
        std::string cmdline((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
        if (cmdline.find(token) != std::string::npos) ++count;
    }
    ::closedir(proc);
    return count;
}

bool left_nothing(const exec_result& result, const temp_root& root) {
    if (result.uid != 0 && result.uid != ::getuid()) {
        // The kernel tears a pid namespace down before the parent can reap its init,
        // so this should hold at once; allow a moment for the fallbacks' sweeps.
        for (int i = 0; i < 50 && processes_of_uid(result.uid) != 0; ++i)
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        if (processes_of_uid(result.uid) != 0) return false;
    }
    return root.entries() == 0;
}

std::string nonce() {
    static std::mt19937_64 generator(std::random_device{}() ^
                                     static_cast<std::uint64_t>(::getpid()) << 32);
    return std::to_string(generator());
}

} // namespace headroom::sandbox::testing
