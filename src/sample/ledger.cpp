#include "sample/ledger.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <stdexcept>
#include <sys/stat.h>
#include <unistd.h>

namespace headroom::sample {

namespace {

std::string read_all(int fd, const std::string& path) {
    std::string content;
    char buffer[1 << 16];
    for (;;) {
        const ssize_t n = ::read(fd, buffer, sizeof buffer);
        if (n < 0) {
            if (errno == EINTR) continue;
            throw std::runtime_error("cannot read " + path + ": " + std::strerror(errno));
        }
        if (n == 0) return content;
        content.append(buffer, static_cast<std::size_t>(n));
    }
}

void write_all(int fd, std::string_view data, const std::string& path) {
    while (!data.empty()) {
        const ssize_t n = ::write(fd, data.data(), data.size());
        if (n < 0) {
            if (errno == EINTR) continue;
            throw std::runtime_error("cannot write " + path + ": " + std::strerror(errno));
        }
        data.remove_prefix(static_cast<std::size_t>(n));
    }
}

} // namespace

ledger::ledger(std::string path, std::size_t batch_lines, std::chrono::milliseconds batch_time)
    : path_(std::move(path)), batch_lines_(batch_lines), batch_time_(batch_time) {
    fd_ = ::open(path_.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd_ < 0) throw std::runtime_error("cannot open the ledger " + path_ + ": " + std::strerror(errno));
    const std::string content = read_all(fd_, path_);

    // Everything after the last newline is a line whose write was interrupted. A last
    // line that ends in a newline was written whole (lines go out in one write with it).
    const std::size_t end = content.rfind('\n') == std::string::npos ? 0 : content.rfind('\n') + 1;
    torn_bytes_ = content.size() - end;
    if (torn_bytes_ > 0 && ::ftruncate(fd_, static_cast<off_t>(end)) != 0)
        throw std::runtime_error("cannot cut the torn last line of " + path_ + ": " + std::strerror(errno));

    std::size_t start = 0;
    while (start < end) {
        const std::size_t stop = content.find('\n', start);
        ++lines_;
        json_value value = parse_json_bounded(std::string_view(content).substr(start, stop - start), path_, lines_);
        start = stop + 1;
        const record r(value, path_, lines_);
        const std::string key = r.str("key");
        const std::string status = r.str("status");
        if (status == "failed") {
            if (done_.count(key)) r.fail("status", "a unit already done is recorded as failed later");
            continue;
        }
        if (done_.count(key)) r.fail("key", "this unit is already done on an earlier line (duplicate)");
        value.erase("request");  // the final tables never need it, and it is most of a line
        done_.emplace(key, std::move(value));
    }
    if (::lseek(fd_, 0, SEEK_END) < 0) throw std::runtime_error("cannot seek in " + path_);
}

ledger::~ledger() {
    try {
        sync();
    } catch (...) {
        // Destructors must not throw; what was not synced is redone by the next run.
    }
    if (fd_ >= 0) ::close(fd_);
}

void ledger::append(const json_value& entry) {
    const std::string key = entry.at("key").get<std::string>();
    if (entry.at("status").get<std::string>() != "failed") {
        json_value kept = entry;
        kept.erase("request");
        if (!done_.emplace(key, std::move(kept)).second) throw std::logic_error("ledger: unit done twice: " + key);
    }
    if (pending_lines_ == 0) oldest_ = std::chrono::steady_clock::now();
    pending_ += entry.dump();
    pending_ += '\n';
    ++pending_lines_;
    if (pending_lines_ >= batch_lines_ || std::chrono::steady_clock::now() - oldest_ >= batch_time_) sync();
}

void ledger::sync() {
    if (pending_.empty()) return;
    write_all(fd_, pending_, path_);
    if (::fsync(fd_) != 0) throw std::runtime_error("cannot fsync " + path_ + ": " + std::strerror(errno));
    pending_.clear();
    pending_lines_ = 0;
}

} // namespace headroom::sample
