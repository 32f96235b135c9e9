#include "serve/server.h"

#include "serve/completions.h"
#include "serve/connection.h"
#include "serve/connection_queue.h"
#include "serve/embeddings.h"
#include "serve/loopback.h"

#include <httplib.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <stdexcept>
#include <sys/resource.h>

namespace headroom::serve {

namespace {

// Every waiting connection is an open descriptor. Past the process's limit accept()
// fails and new clients wait in the kernel's backlog behind the flood, so the soft
// limit is raised toward the hard one and the queue's bound kept below it: while the
// bound holds, the accepting thread never stops and a new client is first in line.
std::size_t pending_bound(int threads, std::size_t wanted) {
    const rlim_t reserve = 64;  // listening socket, stdio, files the pool reads
    const rlim_t needed = static_cast<rlim_t>(threads) + wanted + reserve;
    rlimit files{};
    if (::getrlimit(RLIMIT_NOFILE, &files) != 0) return wanted;
    if (files.rlim_cur < needed) {
        files.rlim_cur = std::min(needed, files.rlim_max);
        ::setrlimit(RLIMIT_NOFILE, &files);
        ::getrlimit(RLIMIT_NOFILE, &files);
    }
    const rlim_t spare = files.rlim_cur > static_cast<rlim_t>(threads) + reserve
                             ? files.rlim_cur - static_cast<rlim_t>(threads) - reserve : 1;
    return static_cast<std::size_t>(std::min<rlim_t>(wanted, std::max<rlim_t>(spare, 1)));
}

} // namespace

struct server::impl {
    impl(const simulated_pool& p, server_options o) : pool(p), options(o), faults(o.faults, o.fault_seed) {}

    // Waits up to `ms`, returning early (false) when the server stops or `give_up` says so.
    template <class GiveUp>
    bool wait(double ms, GiveUp give_up) {
        using clock = std::chrono::steady_clock;
        const auto until = clock::now() + std::chrono::duration_cast<clock::duration>(
                                              std::chrono::duration<double, std::milli>(std::min(ms, 1e12)));
        std::unique_lock lock(mutex);
        while (!stopping) {
            if (give_up()) return false;
            const auto step = std::min(until, clock::now() + std::chrono::milliseconds(50));
            if (woken.wait_until(lock, step, [&] { return stopping; })) return false;
            if (clock::now() >= until) return true;
        }
        return false;
    }

    void chat(const httplib::Request& req, httplib::Response& res);

    const simulated_pool& pool;
    server_options options;
    fault_injector faults;
    server_stats stats;
    httplib::Server http;
    std::mutex mutex;
    std::condition_variable woken;
    bool stopping = false;
};

namespace {

constexpr const char* json_type = "application/json";

// A reply that never completes: httplib closes the connection when a provider fails.
void abort_reply(httplib::Response& res) {
    res.set_content_provider(1, json_type, [](std::size_t, std::size_t, httplib::DataSink&) { return false; });
}

} // namespace

void server::impl::chat(const httplib::Request& req, httplib::Response& res) {
    stats.requests.fetch_add(1, std::memory_order_relaxed);
    const fault_draw draw = faults.draw(req.body);
    stats.faults[static_cast<std::size_t>(draw.kind)].fetch_add(1, std::memory_order_relaxed);
    stats.ignored_n.fetch_add(draw.ignore_n, std::memory_order_relaxed);
    switch (draw.kind) {
    case fault::rate_limited:
        res.status = 429;
        res.set_header("Retry-After", std::to_string(options.faults.retry_after_s));
        res.set_content(error_body("Rate limit reached for requests (simulated fault)", "requests", {},
                                   "rate_limit_exceeded"),
                        json_type);
        return;
    case fault::server_error:
        res.status = 500;
        res.set_content(error_body("The server had an error while processing your request (simulated fault)",
                                   "server_error"),
                        json_type);
        return;
    case fault::unavailable:
        res.status = 503;
        res.set_content(error_body("The server is overloaded (simulated fault)", "server_error", {}, "overloaded"),
                        json_type);
        return;
    case fault::hang: {
        const int fd = find_connection(req.remote_addr, req.remote_port, req.local_port);
        wait(1e12, [&] { return fd >= 0 && peer_closed(fd); });
        abort_reply(res);
        return;
    }
    case fault::reset:
        if (const int fd = find_connection(req.remote_addr, req.remote_port, req.local_port); fd >= 0) reset_on_close(fd);
        abort_reply(res);
        return;
    case fault::none:
    case fault::malformed: break;
    }
    reply out = complete_chat(pool, req.body, draw.ignore_n);
    if (options.realistic_latency && out.status == 200 && !wait(out.latency_ms, [] { return false; })) {
        abort_reply(res);  // stopping
        return;
    }
    res.status = out.status;
    if (draw.kind == fault::malformed) out.body.resize(out.body.size() / 2);
    res.set_content(std::move(out.body), json_type);
}

server::server(const simulated_pool& pool, server_options options) : impl_(std::make_unique<impl>(pool, options)) {
    auto& http = impl_->http;
    const int threads = options.threads;
    const std::size_t max_pending = pending_bound(threads, options.max_pending_connections);
    http.new_task_queue = [threads, max_pending] {
        return new connection_queue(static_cast<std::size_t>(threads), max_pending);
    };
    http.set_tcp_nodelay(true);  // small replies on kept-alive connections: no Nagle delay
    http.set_keep_alive_max_count(std::numeric_limits<std::size_t>::max());
    // An idle connection holds a thread until this runs out (a sampler sends its next
    // request at once, so two seconds are plenty); a request's head and body must keep
    // arriving within the read timeout.
    http.set_keep_alive_timeout(options.idle_timeout_s);
    http.set_read_timeout(options.read_timeout_s);
    http.set_write_timeout(options.read_timeout_s);
    http.set_payload_max_length(max_request_bytes);
    http.Get("/health", [](const httplib::Request&, httplib::Response& res) {
        res.set_content(R"({"status":"ok"})", json_type);
    });
    http.Get("/v1/models", [this](const httplib::Request&, httplib::Response& res) {
        res.set_content(list_models(impl_->pool), json_type);
    });
    http.Post("/v1/chat/completions",
              [this](const httplib::Request& req, httplib::Response& res) { impl_->chat(req, res); });
    http.Post("/v1/embeddings", [](const httplib::Request& req, httplib::Response& res) {
        reply out = embed(req.body);
        res.status = out.status;
        res.set_content(std::move(out.body), json_type);
    });
    // httplib's own refusals (no such route, body too large) get an OpenAI-style body too.
    http.set_error_handler([](const httplib::Request& req, httplib::Response& res) {
        if (!res.body.empty() || res.content_length_ > 0) return;
        if (res.status == 413)
            res.set_content(error_body("The request body is larger than " + std::to_string(max_request_bytes >> 20) +
                                           " MiB",
                                       "invalid_request_error"),
                            json_type);
        else if (res.status == 404)
            res.set_content(error_body("No route " + req.method + " " + req.path +
                                           " (GET /v1/models, POST /v1/chat/completions, POST /v1/embeddings, GET /health)",
                                       "invalid_request_error", {}, "unknown_url"),
                            json_type);
        else
            res.set_content(error_body("HTTP " + std::to_string(res.status), "invalid_request_error"), json_type);
    });
}

server::~server() { stop(); }

int server::bind(int port) {
    const int bound = bind_loopback(impl_->http, port);
    if (bound <= 0) throw std::runtime_error("cannot listen on 127.0.0.1:" + std::to_string(port));
    return bound;
}

void server::run() { impl_->http.listen_after_bind(); }

void server::stop() {
    {
        const std::lock_guard lock(impl_->mutex);
        impl_->stopping = true;
    }
    impl_->woken.notify_all();
    impl_->http.stop();
}

const server_stats& server::stats() const { return impl_->stats; }

} // namespace headroom::serve
