#include "sandbox/capture.h"

#include <algorithm>

namespace headroom::sandbox::detail {

capped_output::capped_output(std::size_t keep_bytes)
    : head_cap_(keep_bytes / 2), tail_cap_(keep_bytes - keep_bytes / 2) {}

void capped_output::append(std::string_view chunk) {
    total_ += chunk.size();
    if (head_.size() < head_cap_) {
        std::size_t take = std::min(chunk.size(), head_cap_ - head_.size());
        head_.append(chunk.substr(0, take));
        chunk.remove_prefix(take);
    }
    if (chunk.empty() || tail_cap_ == 0) return;
    if (chunk.size() >= tail_cap_) {
        tail_.assign(chunk.substr(chunk.size() - tail_cap_));
        return;
    }
    tail_.append(chunk);
    if (tail_.size() > 2 * tail_cap_) tail_.erase(0, tail_.size() - tail_cap_);
}

std::string capped_output::text() const {
    std::string_view kept_tail = tail_;
    if (kept_tail.size() > tail_cap_) kept_tail.remove_prefix(kept_tail.size() - tail_cap_);
    const std::uint64_t kept = head_.size() + kept_tail.size();
    std::string out = head_;
    if (total_ > kept)
        out += "\n...[" + std::to_string(total_ - kept) + " bytes omitted]...\n";
    out.append(kept_tail);
    return out;
}

std::string capped_output::tail(std::size_t bytes) const {
    // While nothing has been dropped, head and tail are contiguous.
    std::string seen = total_ == head_.size() + tail_.size() ? head_ + tail_ : tail_;
    if (seen.size() > bytes) seen.erase(0, seen.size() - bytes);
    return seen;
}

} // namespace headroom::sandbox::detail
