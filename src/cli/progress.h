// A one-line progress display for long work: done/total, rate and time left, redrawn
// in place on a terminal and silent otherwise (logs stay clean).
#pragma once
#include <chrono>
#include <cstddef>
#include <string>

namespace headroom::cli {

class progress_line {
public:
    explicit progress_line(std::string label);
    void update(std::size_t done, std::size_t total);
    void finish();

private:
    std::string label_;
    bool tty_;
    std::chrono::steady_clock::time_point start_, last_;
    bool drawn_ = false;
};

} // namespace headroom::cli
