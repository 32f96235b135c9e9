// Requests per second of the native client (libcurl multi, the dispatcher with its
// retry layer and the sampler's response checks) against a loopback endpoint with no
// artificial latency, 256 concurrent connections; and the Python asyncio reference
// (client_reference.py) against the same server in the same run. The server runs in a
// child process forked first, so each client's CPU time and memory are its own.
//
//   headroom_bench_client [requests=100000] [connections=256]
#include "client/dispatcher.h"
#include "sample/chat.h"
#include "serve/loopback.h"

#include <httplib.h>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

namespace {

using namespace headroom;

// Forks the server before this process has any threads. Returns its pid; port via a pipe.
pid_t start_server(int connections, int& port) {
    int fds[2];
    if (pipe(fds) != 0) std::exit(1);
    const pid_t pid = fork();
    if (pid == 0) {
        close(fds[0]);
        httplib::Server server;
        // cpp-httplib holds a thread per keep-alive connection: room for every client's
        // connections, or the server (not the client) would be what is measured.
        server.new_task_queue = [connections] { return new httplib::ThreadPool(4 * static_cast<std::size_t>(connections)); };
        server.set_keep_alive_max_count(1'000'000);
        const std::string reply =
            nlohmann::json{{"id", "c"}, {"object", "chat.completion"}, {"model", "bench"},
                           {"choices", {{{"index", 0}, {"message", {{"role", "assistant"}, {"content", "The answer is 4."}}},
                                         {"finish_reason", "stop"}}}},
                           {"usage", {{"prompt_tokens", 12}, {"completion_tokens", 5}, {"total_tokens", 17}}}}
                .dump();
        server.Post("/v1/chat/completions", [&](const httplib::Request&, httplib::Response& res) {
            res.set_content(reply, "application/json");
        });
        const int p = serve::bind_loopback(server, 0);
        if (write(fds[1], &p, sizeof p) != sizeof p) _exit(1);
        close(fds[1]);
        server.listen_after_bind();
        _exit(0);
    }
    close(fds[1]);
    if (read(fds[0], &port, sizeof port) != sizeof port) std::exit(1);
    close(fds[0]);
    return pid;
}

long rss_kib() {
    std::ifstream status("/proc/self/status");
    for (std::string line; std::getline(status, line);)
        if (line.rfind("VmRSS:", 0) == 0) return std::atol(line.c_str() + 6);
    return 0;
}

double thread_cpu_seconds() {
    timespec t{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) * 1e-9;
}

struct result {
    std::size_t requests = 0, ok = 0;
    double seconds = 0, cpu_seconds = 0;
    long rss_kib = 0;
};

result run_native(int port, std::size_t requests, std::size_t connections) {
    client::http_client http;
    client::retry_policy policy;
    client::dispatcher dispatch(http, policy, 1);
    const std::size_t endpoint = dispatch.add_endpoint({connections, 0, 0});
    sample::chat_request r;
    r.model = "bench";
    r.messages = {{"user", "What is 2 plus 2?"}};
    r.max_tokens = 16;
    r.temperature = 0.7;
    const std::string body = sample::request_body(r).dump();
    const std::string url = "http://127.0.0.1:" + std::to_string(port) + "/v1/chat/completions";
    result out;
    out.requests = requests;
    std::size_t submitted = 0;
    const auto start = std::chrono::steady_clock::now();
    const double cpu = thread_cpu_seconds();
    while (submitted < requests || dispatch.pending() > 0) {
        // Keep a bounded window queued, as the sampler does: memory must not grow with N.
        while (submitted < requests && dispatch.pending() < 2 * connections) {
            client::job j;
            j.endpoint = endpoint;
            j.request = {url, body, {"Content-Type: application/json"}, 30};
            j.check = [](const client::http_result& res) -> std::optional<std::string> {
                auto parsed = sample::parse_response(res.body, 1);
                if (auto* bad = std::get_if<std::string>(&parsed)) return *bad;
                return std::nullopt;
            };
            j.done = [&out](client::job_result&& res) { out.ok += res.ok; };
            dispatch.submit(std::move(j));
            ++submitted;
        }
        dispatch.step();
    }
    out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    out.cpu_seconds = thread_cpu_seconds() - cpu;
    out.rss_kib = rss_kib();
    return out;
}

result run_reference(int port, std::size_t requests, std::size_t connections) {
    const std::string command = std::string("/usr/bin/python3 ") + HEADROOM_CLIENT_REFERENCE + " " +
                                std::to_string(port) + " " + std::to_string(requests) + " " + std::to_string(connections);
    FILE* pipe = popen(command.c_str(), "r");
    if (!pipe) std::exit(1);
    std::string text;
    char buffer[4096];
    while (std::fgets(buffer, sizeof buffer, pipe)) text += buffer;
    if (pclose(pipe) != 0) {
        std::fprintf(stderr, "reference failed: %s\n", text.c_str());
        std::exit(1);
    }
    const auto j = nlohmann::json::parse(text);
    return {j["requests"], j["ok"], j["seconds"], j["cpu_seconds"], j["max_rss_kib"]};
}

void print(const char* name, const result& r) {
    std::printf("%-22s %8zu requests  %6zu ok  %7.2f s  %8.0f req/s  %6.1f us CPU/request  RSS %6ld KiB\n", name,
                r.requests, r.ok, r.seconds, static_cast<double>(r.requests) / r.seconds,
                1e6 * r.cpu_seconds / static_cast<double>(r.requests), r.rss_kib);
}

} // namespace

int main(int argc, char** argv) {
    const std::size_t requests = argc > 1 ? std::strtoul(argv[1], nullptr, 10) : 100'000;
    const std::size_t connections = argc > 2 ? std::strtoul(argv[2], nullptr, 10) : 256;
    int port = 0;
    const pid_t server = start_server(static_cast<int>(connections), port);
    std::setvbuf(stdout, nullptr, _IOLBF, 0);
    std::printf("loopback server on port %d, %zu concurrent connections, no artificial latency\n", port, connections);
    const result small = run_native(port, requests / 10, connections);
    print("native (libcurl multi)", small);
    const result large = run_native(port, requests, connections);
    print("native (libcurl multi)", large);
    const result ref_small = run_reference(port, requests / 10, connections);
    print("python asyncio", ref_small);
    const result ref_large = run_reference(port, requests, connections);
    print("python asyncio", ref_large);
    std::printf("native / python throughput at %zu requests: %.2fx; CPU per request: %.2fx less\n", requests,
                (static_cast<double>(large.requests) / large.seconds) /
                    (static_cast<double>(ref_large.requests) / ref_large.seconds),
                (ref_large.cpu_seconds / static_cast<double>(ref_large.requests)) /
                    (large.cpu_seconds / static_cast<double>(large.requests)));
    kill(server, SIGTERM);
    waitpid(server, nullptr, 0);
    return large.ok == large.requests && ref_large.ok == ref_large.requests ? 0 : 1;
}
