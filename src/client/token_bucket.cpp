#include "client/token_bucket.h"

#include <algorithm>

namespace headroom::client {

token_bucket::token_bucket(double per_minute, double burst) {
    if (per_minute <= 0) return;
    rate_ = per_minute / 60.0;
    capacity_ = burst > 0 ? burst : std::max(1.0, per_minute / 6.0);
    tokens_ = capacity_;
}

void token_bucket::refill(double now) {
    if (!started_) {
        started_ = true;
        last_ = now;
        return;
    }
    if (now > last_) {
        tokens_ = std::min(capacity_, tokens_ + (now - last_) * rate_);
        last_ = now;
    }
}

double token_bucket::wait_seconds(double cost, double now) {
    if (unlimited()) return 0;
    refill(now);
    const double need = std::min(cost, capacity_);
    return tokens_ >= need ? 0 : (need - tokens_) / rate_;
}

bool token_bucket::try_take(double cost, double now) {
    if (unlimited()) return true;
    if (wait_seconds(cost, now) > 0) return false;
    tokens_ -= std::min(cost, capacity_);
    return true;
}

} // namespace headroom::client
