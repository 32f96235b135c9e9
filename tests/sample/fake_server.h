// A loopback OpenAI-style endpoint for the sampler's tests, on cpp-httplib: replies
// are a pure function of (model, query text, sample seed, max_tokens, temperature), so
// any run order, retry or resume must give the same study; faults are injected at
// chosen rates from a seeded stream.
#pragma once
#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>

namespace headroom::test {

struct fault_rates {
    double http_429 = 0, http_500 = 0, http_503 = 0;
    double hang = 0;          // sleeps hang_ms before answering (past the client's deadline)
    double reset = 0;         // promises a body and closes the connection midway
    double malformed = 0;     // a body that is not JSON
    double bad_utf8 = 0;      // JSON with invalid UTF-8 in the text
    double wrong_types = 0;   // "choices" of the wrong type
    double n_ignored = 0;     // answers an n > 1 request with one choice
    int hang_ms = 1500;
    std::string retry_after = "0";  // the Retry-After header sent with 429
};

struct server_options {
    fault_rates faults;
    int latency_ms = 0;
    std::string require_key;        // when set, requests without "Bearer <key>" get 401
    std::string reject_n_model;     // this model answers n > 1 with 400
    std::string quota_model;        // this model answers 429 insufficient_quota
    std::string bad_request_model;  // this model answers 400 with a message
    std::uint64_t seed = 1;
};

// The reply a unit gets, with the server's finish reason: what every test compares.
std::string fake_reply(const std::string& model, const std::string& query_text, std::uint64_t sample_seed,
                       double temperature);

class fake_server {
public:
    explicit fake_server(server_options options);
    ~fake_server();
    int port() const { return port_; }
    std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/v1"; }
    std::size_t requests() const { return requests_; }
    std::size_t n_requests() const { return n_requests_; }  // requests asking for n > 1
    void set_latency_ms(int ms) { latency_ms_ = ms; }

private:
    struct impl;
    std::unique_ptr<impl> impl_;
    int port_ = 0;
    std::atomic<std::size_t> requests_{0}, n_requests_{0};
    std::atomic<int> latency_ms_{0};
};

} // namespace headroom::test
