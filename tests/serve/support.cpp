#include "support.h"

#include "core/sim/simulate.h"

#include <chrono>

namespace headroom::serve::test {

const simulated_pool& skeleton_pool() {
    static const simulated_pool pool(sim::skeleton_pool(11));
    return pool;
}

const simulated_pool& judged_pool() {
    static const simulated_pool pool(sim::p2_artifacts_pool(5, 0.004));
    return pool;
}

server_options running_server::quiet() {
    server_options o;
    o.realistic_latency = false;
    o.threads = 64;
    return o;
}

running_server::running_server(const simulated_pool& pool, server_options options) : http_(pool, options) {
    port_ = http_.bind(0);
    thread_ = std::thread([this] { http_.run(); });
    // stop() only ends a server that is already listening: wait until it answers.
    httplib::Client probe("127.0.0.1", port_);
    for (int i = 0; i < 500; ++i) {
        if (auto res = probe.Get("/health"); res && res->status == 200) return;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    FAIL("the server did not come up on port " << port_);
}

running_server::~running_server() {
    http_.stop();
    thread_.join();
}

std::unique_ptr<httplib::Client> running_server::client(double read_timeout_s) const {
    auto c = std::make_unique<httplib::Client>("127.0.0.1", port_);
    c->set_keep_alive(true);
    c->set_tcp_nodelay(true);  // as curl does: no 40 ms Nagle stall between headers and body
    c->set_read_timeout(std::chrono::duration<double>(read_timeout_s));
    return c;
}

json messages_json(const std::vector<chat_message>& messages) {
    json out = json::array();
    for (const auto& m : messages) out.push_back({{"role", m.role}, {"content", m.content}});
    return out;
}

json task_request(const simulated_pool& pool, std::uint32_t query, std::string_view model, std::uint32_t budget,
                  int seed, int n) {
    const study& s = pool.data();
    const auto& q = s.queries[query];
    return {{"model", model},
            {"messages", messages_json(render_task_prompt(q, s.benchmarks[q.benchmark].kind))},
            {"max_tokens", budget},
            {"temperature", pool.config().temperature},
            {"seed", seed},
            {"n", n}};
}

json parse(const std::string& body) { return json::parse(body); }

} // namespace headroom::serve::test
