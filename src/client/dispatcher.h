// Jobs over the HTTP client, with everything a polite and robust caller needs: per-
// endpoint concurrency limits, token buckets for requests and tokens per minute, and
// the one retry layer (retry.h) with its attempt cap, total time budget and per-attempt
// deadline. Single-threaded: the caller drives it with step() or run().
#pragma once
#include "client/http.h"
#include "client/retry.h"
#include "client/token_bucket.h"
#include "core/base/rng.h"

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace headroom::client {

struct endpoint_limits {
    std::size_t max_concurrency = 16;
    double requests_per_minute = 0;  // 0: unlimited
    double tokens_per_minute = 0;    // 0: unlimited
};

struct job_result {
    bool ok = false;
    http_result response;              // the last attempt's
    int attempts = 0;
    std::vector<std::string> retried;  // reasons of the attempts that were retried
    std::string reason;                // when !ok: why it failed (retry.h's reasons)
    std::string message;               // when !ok: the server's or transport's message
};

struct job {
    std::size_t endpoint = 0;
    http_request request;
    double tokens = 0;  // charged to the endpoint's tokens-per-minute bucket
    // Looks at a 2xx body; returns what is malformed about it, or nullopt if usable.
    std::function<std::optional<std::string>(const http_result&)> check;
    std::function<void(job_result&&)> done;
};

class dispatcher {
public:
    dispatcher(http_client& http, retry_policy policy, std::uint64_t seed);

    std::size_t add_endpoint(const endpoint_limits& limits);
    void submit(job j);
    // Jobs not finished yet: queued, waiting out a backoff, or in flight.
    std::size_t pending() const { return pending_; }
    // One turn: start what limits allow, wait up to max_wait_ms for the network, finish
    // what completed (callbacks run here and may submit more jobs).
    void step(int max_wait_ms = 50);
    void run() {
        while (pending_ > 0) step();
    }
    std::size_t retries() const { return retries_; }

private:
    struct state {
        job j;
        int attempts = 0;
        double first_start = 0;
        std::vector<std::string> retried;
    };
    struct endpoint {
        endpoint_limits limits;
        token_bucket requests, tokens;
        std::deque<std::shared_ptr<state>> ready;
        std::size_t in_flight = 0;
    };

    double now() const;
    void launch(endpoint& e, const std::shared_ptr<state>& s, double t);
    void on_result(const std::shared_ptr<state>& s, http_result&& r);
    void finish(const std::shared_ptr<state>& s, job_result&& result);

    http_client& http_;
    retry_policy policy_;
    rng random_;
    std::chrono::steady_clock::time_point epoch_;
    std::vector<endpoint> endpoints_;
    std::multimap<double, std::shared_ptr<state>> waiting_;  // backoffs, by the time they end
    std::size_t pending_ = 0, retries_ = 0;
};

} // namespace headroom::client
