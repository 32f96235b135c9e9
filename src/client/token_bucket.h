// A token bucket: a rate limit that allows short bursts. Time is passed in (seconds on
// any monotonic clock), so the bucket is deterministic and testable without sleeping.
#pragma once

namespace headroom::client {

class token_bucket {
public:
    // per_minute <= 0 means unlimited. burst is the bucket's size; by default ten
    // seconds' worth, so a fresh run does not fire a whole minute's quota at once.
    explicit token_bucket(double per_minute = 0, double burst = 0);

    bool unlimited() const { return rate_ <= 0; }
    // Seconds from `now` until `cost` tokens are available (0 if they are now). A cost
    // above the bucket's size is treated as the size, or it could never be met.
    double wait_seconds(double cost, double now);
    // Takes `cost` tokens if available now.
    bool try_take(double cost, double now);

private:
    void refill(double now);
    double rate_ = 0;      // tokens per second
    double capacity_ = 0;
    double tokens_ = 0;
    double last_ = 0;
    bool started_ = false;
};

} // namespace headroom::client
