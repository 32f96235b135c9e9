#include "serve/connection_queue.h"

namespace headroom::serve {

connection_queue::connection_queue(std::size_t threads, std::size_t max_pending) : max_pending_(max_pending) {
    threads_.reserve(threads);
    for (std::size_t i = 0; i < threads; ++i) threads_.emplace_back([this] { work(); });
}

connection_queue::~connection_queue() { shutdown(); }

void connection_queue::enqueue(std::function<void()> fn) {
    {
        std::unique_lock lock(mutex_);
        room_.wait(lock, [&] { return pending_.size() < max_pending_ || stopping_; });
        pending_.push_back(std::move(fn));
    }
    ready_.notify_one();
}

void connection_queue::shutdown() {
    {
        const std::lock_guard lock(mutex_);
        if (stopping_ && threads_.empty()) return;
        stopping_ = true;
    }
    ready_.notify_all();
    room_.notify_all();
    for (auto& t : threads_) t.join();
    threads_.clear();
}

void connection_queue::work() {
    for (;;) {
        std::function<void()> fn;
        {
            std::unique_lock lock(mutex_);
            ready_.wait(lock, [&] { return !pending_.empty() || stopping_; });
            // At shutdown the waiting connections are still served, so each is closed.
            if (pending_.empty()) return;
            fn = std::move(pending_.back());
            pending_.pop_back();
        }
        room_.notify_one();
        fn();
    }
}

} // namespace headroom::serve
