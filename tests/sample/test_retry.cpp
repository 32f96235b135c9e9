// The retry layer's decisions for every status and failure the issue lists, the
// backoff's bounds, Retry-After, and the token bucket.
#include "client/retry.h"
#include "client/token_bucket.h"
#include "core/base/rng.h"

#include <catch2/catch.hpp>

using namespace headroom::client;

namespace {

http_result status(long code, std::string body = "{}") {
    http_result r;
    r.status = code;
    r.body = std::move(body);
    return r;
}

http_result transport(transport_error e) {
    http_result r;
    r.error = e;
    r.error_text = "curl says no";
    return r;
}

} // namespace

TEST_CASE("retryable statuses and failures are retried", "[retry]") {
    for (long code : {408L, 409L, 429L, 500L, 502L, 503L, 504L, 599L}) {
        const auto f = classify(status(code));
        REQUIRE(f);
        CHECK(f->retryable);
        CHECK(f->reason == "http_" + std::to_string(code));
    }
    for (auto e : {transport_error::timeout, transport_error::connect, transport_error::reset,
                   transport_error::too_large}) {
        const auto f = classify(transport(e));
        REQUIRE(f);
        CHECK(f->retryable);
    }
    CHECK(classify(transport(transport_error::timeout))->reason == "timeout");
    CHECK(classify(transport(transport_error::reset))->reason == "connection_reset");
    const auto malformed = classify(status(200), std::string("body is not JSON"));
    REQUIRE(malformed);
    CHECK(malformed->retryable);
    CHECK(malformed->reason == "malformed_body");
    CHECK(malformed->message == "body is not JSON");
}

TEST_CASE("a usable 2xx is no failure", "[retry]") {
    CHECK_FALSE(classify(status(200)));
    CHECK_FALSE(classify(status(201)));
}

TEST_CASE("other 4xx and insufficient_quota are terminal, with the server's message", "[retry]") {
    for (long code : {400L, 401L, 403L, 404L, 422L}) {
        const auto f = classify(status(code, R"({"error":{"message":"model 'x' does not exist"}})"));
        REQUIRE(f);
        CHECK_FALSE(f->retryable);
        CHECK(f->message == "model 'x' does not exist");
    }
    const auto quota = classify(status(429, R"({"error":{"message":"You exceeded your quota","type":"insufficient_quota"}})"));
    REQUIRE(quota);
    CHECK_FALSE(quota->retryable);
    CHECK(quota->reason == "insufficient_quota");
    CHECK(quota->message == "You exceeded your quota");
    const auto by_code = classify(status(429, R"({"error":{"message":"m","code":"insufficient_quota"}})"));
    CHECK_FALSE(by_code->retryable);
    // A plain rate limit that merely mentions quota in its message is still retried.
    CHECK(classify(status(429, R"({"error":{"message":"quota per minute reached"}})"))->retryable);
    // A body that is not JSON is kept, clipped, as the message.
    const auto plain = classify(status(400, std::string(2000, 'x')));
    CHECK(plain->message.size() < 600);
}

TEST_CASE("a redirect is terminal and says where it points", "[retry]") {
    for (long code : {301L, 302L, 307L, 308L}) {
        http_result r = status(code, "");
        r.location = "https://api.example.com/v1/chat/completions";
        const auto f = classify(r);
        REQUIRE(f);
        CHECK(!f->retryable);
        CHECK(f->reason == "http_" + std::to_string(code));
        CHECK(f->message.find("redirects (HTTP " + std::to_string(code) + ") to https://api.example.com/v1") != std::string::npos);
    }
    const auto bare = classify(status(302, ""));
    REQUIRE(bare);
    CHECK(bare->message.find("without a Location") != std::string::npos);
}

TEST_CASE("backoff: capped exponential with full jitter", "[retry]") {
    retry_policy p;
    p.base_delay_s = 0.5;
    p.max_delay_s = 4;
    headroom::rng r(7);
    for (int attempt = 1; attempt <= 10; ++attempt) {
        const double ceiling = std::min(4.0, 0.5 * (1 << (attempt - 1)));
        double lo = 1e9, hi = 0;
        for (int i = 0; i < 2000; ++i) {
            const double d = backoff_seconds(p, attempt, std::nullopt, r);
            REQUIRE(d >= 0);
            REQUIRE(d < ceiling);
            lo = std::min(lo, d);
            hi = std::max(hi, d);
        }
        // Full jitter spreads over the whole range, not just near the ceiling.
        CHECK(lo < 0.05 * ceiling);
        CHECK(hi > 0.95 * ceiling);
    }
}

TEST_CASE("backoff is never sooner than Retry-After", "[retry]") {
    retry_policy p;
    p.base_delay_s = 0.5;
    p.max_delay_s = 2;
    headroom::rng r(3);
    for (int i = 0; i < 1000; ++i) {
        CHECK(backoff_seconds(p, 1, 7.0, r) >= 7.0);
        CHECK(backoff_seconds(p, 5, 0.25, r) >= 0.25);
    }
}

TEST_CASE("Retry-After: seconds or an HTTP date", "[retry]") {
    CHECK(parse_retry_after("120", 0) == 120.0);
    CHECK(parse_retry_after(" 3\r\n", 0) == 3.0);
    CHECK_FALSE(parse_retry_after("", 0));
    CHECK_FALSE(parse_retry_after("soon", 0));
    CHECK_FALSE(parse_retry_after("-5", 0));
    // Sun, 06 Nov 1994 08:49:37 GMT is 784111777 seconds after the epoch.
    CHECK(parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", 784111777 - 30) == 30.0);
    CHECK(parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", 784111777 + 30) == 0.0);
    CHECK_FALSE(parse_retry_after("Sun, 06 Nov 1994 08:49:37 PST", 0));
}

TEST_CASE("token bucket: bursts up to its size, then refills at the rate", "[token_bucket]") {
    token_bucket b(60, 5);  // one per second, burst of five
    for (int i = 0; i < 5; ++i) CHECK(b.try_take(1, 0));
    CHECK_FALSE(b.try_take(1, 0));
    CHECK(b.wait_seconds(1, 0) == Approx(1.0));
    CHECK_FALSE(b.try_take(1, 0.5));
    CHECK(b.try_take(1, 1.0));
    // Never more than the burst after a long pause.
    CHECK(b.wait_seconds(5, 100) == 0);
    CHECK(b.try_take(5, 100));
    CHECK_FALSE(b.try_take(1, 100));
}

TEST_CASE("token bucket: costs above the size wait for a full bucket, unlimited never waits", "[token_bucket]") {
    token_bucket tokens(6000, 1000);  // 100 per second
    CHECK(tokens.try_take(1000, 0));
    CHECK(tokens.wait_seconds(5000, 0) == Approx(10.0));  // treated as 1000
    token_bucket none;
    CHECK(none.unlimited());
    for (int i = 0; i < 1000; ++i) CHECK(none.try_take(1e9, 0));
}
