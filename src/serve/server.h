// The simulated endpoint over HTTP (cpp-httplib), on loopback only: /v1/models,
// /v1/chat/completions and /health, with realistic latency and fault injection.
#pragma once
#include "serve/faults.h"
#include "serve/pool.h"

#include <array>
#include <atomic>
#include <cstdint>
#include <memory>

namespace headroom::serve {

struct server_options {
    bool realistic_latency = false;  // sleep each reply's simulated latency before sending it
    fault_spec faults;
    std::uint64_t fault_seed = 1;
    // httplib gives each open connection a thread for its keep-alive life, so this
    // caps the concurrent connections served (a client bench opens 256).
    int threads = 512;
    // Idle and slow connections must not starve the others (connection_queue.h).
    int idle_timeout_s = 2;               // between requests on a kept-alive connection
    int read_timeout_s = 5;               // for each read of a request (slow headers)
    // Accepted, waiting for a thread; past it the accepting thread waits. Each is an
    // idle socket and a few bytes, so the default is high: 4,096 made /health wait
    // 18.5 s behind 10,000 idle connections. Capped below the open-files limit.
    std::size_t max_pending_connections = 65536;
};

struct server_stats {
    std::atomic<std::uint64_t> requests{0};  // to /v1/chat/completions
    std::array<std::atomic<std::uint64_t>, 7> faults{};  // by fault, fault::none first
    std::atomic<std::uint64_t> ignored_n{0};
};

class server {
public:
    server(const simulated_pool& pool, server_options options);
    ~server();
    server(const server&) = delete;
    server& operator=(const server&) = delete;

    // Binds 127.0.0.1:port (0: any free port) and returns the port; throws std::runtime_error.
    int bind(int port);
    // Serves until stop(); call after bind().
    void run();
    // From any thread (a signal handler's watcher, a test): ends run() and any hang.
    void stop();

    const server_stats& stats() const;

private:
    struct impl;
    std::unique_ptr<impl> impl_;
};

} // namespace headroom::serve
