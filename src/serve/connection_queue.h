// The server's task queue: which accepted connection a free thread serves next.
// httplib gives a connection a thread for its whole keep-alive life, waiting for the
// next request, so idle connections can hold every thread. Newest first: a client that
// just connected is about to send a request, while the connections that have waited
// longest are the idle ones (each is let go after the idle timeout once served). And a
// bound: past `max_pending` waiting connections the accepting thread waits, so a flood
// costs kernel backlog, not threads or memory.
#pragma once
#include <httplib.h>

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace headroom::serve {

class connection_queue : public httplib::TaskQueue {
public:
    connection_queue(std::size_t threads, std::size_t max_pending);
    ~connection_queue() override;
    void enqueue(std::function<void()> fn) override;
    void shutdown() override;

private:
    void work();
    std::mutex mutex_;
    std::condition_variable ready_, room_;
    std::deque<std::function<void()>> pending_;  // newest at the back
    std::vector<std::thread> threads_;
    std::size_t max_pending_;
    bool stopping_ = false;
};

} // namespace headroom::serve
