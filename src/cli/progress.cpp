#include "cli/progress.h"

#include <cstdio>
#include <unistd.h>

namespace headroom::cli {

progress_line::progress_line(std::string label)
    : label_(std::move(label)), tty_(isatty(STDERR_FILENO) != 0), start_(std::chrono::steady_clock::now()),
      last_(start_) {}

void progress_line::update(std::size_t done, std::size_t total) {
    if (!tty_) return;
    const auto now = std::chrono::steady_clock::now();
    // Redraw at most ten times a second, and always at the end.
    if (done != total && now - last_ < std::chrono::milliseconds(100)) return;
    last_ = now;
    const double seconds = std::chrono::duration<double>(now - start_).count();
    const double rate = seconds > 0 ? static_cast<double>(done) / seconds : 0;
    const double left = rate > 0 ? static_cast<double>(total - done) / rate : 0;
    std::fprintf(stderr, "\r%s: %zu/%zu (%.0f%%)  %.0f/s  %.0f s left   ", label_.c_str(), done, total,
                 total ? 100.0 * static_cast<double>(done) / static_cast<double>(total) : 100.0, rate, left);
    drawn_ = true;
}

void progress_line::finish() {
    if (drawn_) std::fprintf(stderr, "\n");
    drawn_ = false;
}

} // namespace headroom::cli
