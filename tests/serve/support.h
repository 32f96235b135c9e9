// Shared by the endpoint's tests: a server running in-process on an ephemeral loopback
// port, plain HTTP requests to it (cpp-httplib's client), and request bodies built
// from the study's own prompts.
#pragma once
#include "core/grading/prompts.h"
#include "serve/completions.h"
#include "serve/server.h"

#include <catch2/catch.hpp>
#include <httplib.h>
#include <nlohmann/json.hpp>

#include <memory>
#include <string>
#include <thread>

namespace headroom::serve::test {

using json = nlohmann::json;

// One simulated pool per test process, by name (simulating is the slow part).
const simulated_pool& skeleton_pool();
const simulated_pool& judged_pool();  // p2-artifacts at a small scale: it has judges

class running_server {
public:
    explicit running_server(const simulated_pool& pool, server_options options = quiet());
    ~running_server();
    int port() const { return port_; }
    const server_stats& stats() const { return http_.stats(); }
    // A fresh client (one connection, kept alive) with the given read timeout.
    std::unique_ptr<httplib::Client> client(double read_timeout_s = 10) const;
    static server_options quiet();

private:
    server http_;
    int port_ = 0;
    std::thread thread_;
};

json messages_json(const std::vector<chat_message>& messages);

// The body a sampler sends for one (query, model, budget) starting at `seed`.
json task_request(const simulated_pool& pool, std::uint32_t query, std::string_view model, std::uint32_t budget,
                  int seed, int n = 1);

json parse(const std::string& body);

} // namespace headroom::serve::test
