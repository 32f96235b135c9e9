// An event-driven HTTP/1.1 client on libcurl's multi interface: any number of
// transfers in flight on the calling thread, connections kept alive and reused
// between requests to the same host. It only moves bytes: limits, retries and
// meaning live above it (dispatcher.h).
#pragma once
#include "client/http_result.h"

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace headroom::client {

struct http_request {
    std::string url;
    std::string body;                  // POSTed when non-empty, else GET
    std::vector<std::string> headers;  // "Name: value"; may hold secrets, never logged
    double timeout_s = 120;
};

class http_client {
public:
    using callback = std::function<void(http_result&&)>;

    explicit http_client(std::size_t max_body_bytes = 64u << 20);
    ~http_client();
    http_client(const http_client&) = delete;
    http_client& operator=(const http_client&) = delete;

    // Starts a transfer; `done` runs inside a later poll(), never inside start().
    void start(http_request request, callback done);
    // Waits up to timeout_ms for network activity, advances every transfer and runs the
    // callbacks of those that finished (they may start new transfers).
    void poll(int timeout_ms);
    std::size_t active() const { return active_; }

private:
    struct transfer;
    struct impl;
    std::unique_ptr<impl> impl_;
    std::size_t active_ = 0;
};

} // namespace headroom::client
