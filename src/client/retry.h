// The one retry layer's decisions, as pure functions: which failures are worth another
// attempt, and how long to wait before it. The dispatcher applies them; nothing else
// in the client retries.
#pragma once
#include "client/http_result.h"

#include <ctime>
#include <optional>
#include <string>
#include <string_view>

namespace headroom {
class rng;
}

namespace headroom::client {

struct retry_policy {
    int max_attempts = 6;           // including the first
    double total_budget_s = 600;    // from the first attempt's start to the last retry's start
    double attempt_timeout_s = 120; // per-attempt deadline
    double base_delay_s = 0.5;      // backoff before the second attempt, before jitter
    double max_delay_s = 30;        // cap on the backoff (Retry-After may exceed it)
};

struct failure {
    bool retryable = false;
    std::string reason;   // short, stable, for the summary: "http_429", "timeout", "insufficient_quota"
    std::string message;  // the server's own message where it gave one
};

// Classifies an attempt. An HTTP 2xx is a failure only when the caller found its body
// malformed (malformed_body names what was wrong); returns nullopt for a success.
std::optional<failure> classify(const http_result& result, const std::optional<std::string>& malformed_body = {});

// Capped exponential backoff with full jitter (uniform in [0, min(cap, base * 2^(k-1)))
// after the k-th failed attempt), never sooner than the server's Retry-After.
double backoff_seconds(const retry_policy& policy, int failed_attempts, std::optional<double> retry_after_s,
                       rng& random);

// Retry-After as seconds from now: delta-seconds or an HTTP-date (RFC 9110 section
// 10.2.3). nullopt when absent or unreadable.
std::optional<double> parse_retry_after(std::string_view header, std::time_t now);

// The error message a server put in its body (OpenAI's {"error": {"message": ...}}),
// or the start of the body itself.
std::string server_message(std::string_view body);

} // namespace headroom::client
