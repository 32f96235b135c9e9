#include "cli/commands.h"
#include "serve/server.h"

#include <csignal>
#include <cstdio>
#include <pthread.h>
#include <thread>
#include <unistd.h>

namespace headroom::cli {

namespace {

constexpr const char* faults_help =
    "fault injection, comma-separated key=value: 429=P (429 with Retry-After), retry_after=S (its "
    "seconds, default 1), 500=P, 503=P, hang=P (no reply until the client gives up), reset=P "
    "(connection reset mid-reply), malformed=P (200 with a cut-off JSON body), ignore_n=P (one "
    "choice whatever n asks). The exclusive faults' P add up to at most 1. Each request's fault "
    "is drawn from --seed, its body and how often that body came before, so retries draw anew "
    "and a run's faults do not depend on arrival order. Example: "
    "\"429=0.2,retry_after=1,500=0.1,503=0.1,hang=0.05,reset=0.05,malformed=0.05,ignore_n=1\"";

} // namespace

void add_serve(CLI::App& app) {
    auto* cmd = app.add_subcommand(
        "serve", "Serve the simulated pool as an OpenAI-compatible endpoint on loopback (/v1/chat/completions, "
                 "/v1/models, /v1/embeddings): each reply is the generation or judge reply `headroom simulate` "
                 "writes; embeddings come from the pool's embedder, sim-embed");
    static std::string pool = "skeleton", latency = "realistic", faults;
    static std::uint64_t seed = 1;
    static double scale = 1.0;
    static int port = 0, threads = 512;
    cmd->add_option("--pool", pool, "which simulated pool")
        ->check(CLI::IsMember({"skeleton", "p1-routing", "p2-artifacts"}));
    cmd->add_option("--seed", seed, "the pool's seed (as for simulate), also the faults' seed");
    cmd->add_option("--scale", scale, "multiplies every benchmark's query count (p1-routing, p2-artifacts)")
        ->check(CLI::Range(0.0001, 10.0));
    cmd->add_option("--port", port, "port on 127.0.0.1 (0: any free port; the URL is printed)")
        ->required()
        ->check(CLI::Range(0, 65535));
    cmd->add_option("--latency", latency, "realistic: each reply waits its simulated latency; none: at once")
        ->check(CLI::IsMember({"realistic", "none"}));
    cmd->add_option("--faults", faults, faults_help);
    cmd->add_option("--threads", threads, "connections served at once (one thread each)")->check(CLI::Range(1, 4096));
    cmd->callback([] {
        serve::server_options options;
        options.realistic_latency = latency == "realistic";
        options.faults = serve::parse_fault_spec(faults);
        options.fault_seed = seed;
        options.threads = threads;
        std::fprintf(stderr, "headroom serve: simulating the %s pool (seed %llu)...\n", pool.c_str(),
                     static_cast<unsigned long long>(seed));
        const serve::simulated_pool simulated(sim::pool_by_name(pool, seed, scale));
        const study& s = simulated.data();

        // SIGINT/SIGTERM end the server through a watcher thread (stop() is not
        // async-signal-safe); block them before any thread starts, so all inherit it.
        sigset_t signals;
        sigemptyset(&signals);
        sigaddset(&signals, SIGINT);
        sigaddset(&signals, SIGTERM);
        pthread_sigmask(SIG_BLOCK, &signals, nullptr);
        serve::server http(simulated, options);
        const int bound = http.bind(port);
        std::thread watcher([&] {
            int signal = 0;
            sigwait(&signals, &signal);
            http.stop();
        });
        std::fprintf(stderr, "headroom serve: %zu queries, %zu models, %zu judges, %zu generations; fingerprint %s; "
                             "latency %s; faults %s\n",
                     s.queries.size(), s.models.size(), simulated.config().judges.size(), s.generations.size(),
                     simulated.fingerprint().c_str(), latency.c_str(), faults.empty() ? "none" : faults.c_str());
        std::printf("http://127.0.0.1:%d/v1\n", bound);
        std::fflush(stdout);
        http.run();
        kill(getpid(), SIGTERM);  // wakes the watcher if run() ended on its own
        watcher.join();
        const auto& st = http.stats();
        std::fprintf(stderr, "headroom serve: %llu chat requests; faults:", static_cast<unsigned long long>(st.requests.load()));
        for (std::size_t f = 1; f < st.faults.size(); ++f)
            std::fprintf(stderr, " %s %llu", std::string(serve::to_string(static_cast<serve::fault>(f))).c_str(),
                         static_cast<unsigned long long>(st.faults[f].load()));
        std::fprintf(stderr, "; n ignored %llu\n", static_cast<unsigned long long>(st.ignored_n.load()));
    });
}

} // namespace headroom::cli
