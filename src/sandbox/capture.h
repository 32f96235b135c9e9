// Capped capture of one output stream. A program may print a gigabyte; we keep the
// head (where a test's prints start) and the tail (where the traceback ends), count
// everything, and drop the middle, so memory per run stays bounded.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>

namespace headroom::sandbox::detail {

class capped_output {
public:
    explicit capped_output(std::size_t keep_bytes);
    void append(std::string_view chunk);
    std::uint64_t total() const { return total_; }
    // Head, then a marker saying how much was dropped, then tail.
    std::string text() const;
    // The last `bytes` bytes seen (at most what was kept): for the failure reason.
    std::string tail(std::size_t bytes) const;

private:
    std::size_t head_cap_;
    std::size_t tail_cap_;
    std::string head_;
    std::string tail_;  // grows to twice tail_cap_, then drops its front half
    std::uint64_t total_ = 0;
};

} // namespace headroom::sandbox::detail
