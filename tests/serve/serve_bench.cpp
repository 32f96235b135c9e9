// Not a test: how many requests per second the simulated endpoint sustains with zero
// latency, so that a client benchmark against it measures the client. Starts the
// server in-process on the skeleton pool, writes distinct request bodies for wrk
// (Debian package `wrk`) and runs it: 256 connections by default.
//
//   headroom_serve_bench [connections] [seconds] [wrk threads] [server threads]
#include "core/grading/prompts.h"
#include "core/sim/simulate.h"
#include "serve/completions.h"
#include "serve/server.h"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>

using namespace headroom;

namespace {

// A Lua string literal holding any bytes.
std::string lua_quote(const std::string& s) {
    std::string out = "\"";
    for (const unsigned char c : s) {
        if (c == '"' || c == '\\') out += '\\', out += static_cast<char>(c);
        else if (c < 32 || c > 126) out += "\\" + std::to_string(c);
        else out += static_cast<char>(c);
    }
    return out + "\"";
}

} // namespace

int main(int argc, char** argv) {
    const int connections = argc > 1 ? std::atoi(argv[1]) : 256;
    const int seconds = argc > 2 ? std::atoi(argv[2]) : 10;
    const int wrk_threads = argc > 3 ? std::atoi(argv[3]) : 2;
    const int server_threads = argc > 4 ? std::atoi(argv[4]) : 512;

    const serve::simulated_pool pool(sim::skeleton_pool(1));
    const study& s = pool.data();
    const auto script = std::filesystem::temp_directory_path() / "headroom_serve_bench.lua";
    {
        std::ofstream lua(script);
        lua << "bodies = {\n";
        const auto& g = s.generations;
        // Every 16th generation: 1,000 distinct (query, model, budget, sample).
        for (std::size_t row = 0; row < g.size(); row += 16) {
            const query& q = s.queries[g.query[row]];
            const nlohmann::json messages = [&] {
                nlohmann::json out = nlohmann::json::array();
                for (const auto& m : render_task_prompt(q, s.benchmarks[q.benchmark].kind))
                    out.push_back({{"role", m.role}, {"content", m.content}});
                return out;
            }();
            const nlohmann::json body{{"model", s.models[g.model[row]].id}, {"messages", messages},
                                      {"max_tokens", g.budget[row]},       {"temperature", 0.7},
                                      {"seed", g.sample[row]},             {"n", 1}};
            lua << "  " << lua_quote(body.dump()) << ",\n";
        }
        lua << "}\n"
               "counter = 0\n"
               "request = function()\n"
               "  counter = counter + 1\n"
               "  return wrk.format(\"POST\", \"/v1/chat/completions\", {[\"Content-Type\"] = \"application/json\"},\n"
               "                    bodies[(counter % #bodies) + 1])\n"
               "end\n"
               "response = function(status, headers, body)\n"
               "  if status ~= 200 then error(\"status \" .. status .. \": \" .. body) end\n"
               "end\n";
    }

    serve::server_options options;
    options.realistic_latency = false;
    options.threads = server_threads;
    serve::server http(pool, options);
    const int port = http.bind(0);
    std::thread runner([&] { http.run(); });
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    const std::string command = "wrk --latency -t" + std::to_string(wrk_threads) + " -c" + std::to_string(connections) +
                                " -d" + std::to_string(seconds) + "s -s " + script.string() + " http://127.0.0.1:" +
                                std::to_string(port);
    std::printf("%s\n", command.c_str());
    std::fflush(stdout);
    const int rc = std::system(command.c_str());
    http.stop();
    runner.join();
    std::printf("server: %llu chat requests\n", static_cast<unsigned long long>(http.stats().requests.load()));
    std::filesystem::remove(script);
    return rc == 0 ? 0 : 1;
}
