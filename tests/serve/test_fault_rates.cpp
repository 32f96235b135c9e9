// Every fault kind over real HTTP: what a client sees for each (429 with Retry-After,
// 500, 503, a hang until it gives up, a reset, a cut-off body, one choice for n = 2),
// request by request against the fault the spec draws for that body, and at roughly
// the spec's rates.
//
// Draws follow the body alone (each body here is sent once), so the test knows which
// requests should hang. Only those are sent with a short give-up time; the rest wait
// long enough that a loaded machine's slow reply cannot pass for a hang.
#include "support.h"

#include "serve/faults.h"

#include <array>
#include <atomic>
#include <chrono>
#include <cmath>
#include <mutex>
#include <thread>

using namespace headroom;
using namespace headroom::serve;
using namespace headroom::serve::test;

TEST_CASE("each fault kind appears at roughly its rate", "[serve][faults]") {
    const simulated_pool& pool = skeleton_pool();
    server_options options = running_server::quiet();
    options.faults = parse_fault_spec("429=0.2,retry_after=1,500=0.1,503=0.1,hang=0.05,reset=0.05,malformed=0.05,ignore_n=0.3");
    options.fault_seed = 3;
    running_server server(pool, options);

    constexpr int requests = 1200, threads = 16;
    constexpr double hang_give_up_s = 1.0, reply_give_up_s = 60.0;
    std::vector<std::string> bodies;
    std::vector<fault_draw> drawn;
    fault_injector expected(options.faults, options.fault_seed);
    for (int i = 0; i < requests; ++i) {
        // Distinct bodies: query i, a model and budget by i, samples 0-1 .. 3-4.
        bodies.push_back(task_request(pool, static_cast<std::uint32_t>(i % 400),
                                      pool.data().models[static_cast<std::size_t>(i % 4)].id, i % 2 ? 1024 : 160,
                                      (i / 400) % 4, 2)
                             .dump());
        drawn.push_back(expected.draw(bodies.back()));
    }

    std::array<std::atomic<int>, 7> seen{};
    std::atomic<int> one_choice{0}, next{0};
    std::mutex failures;
    std::vector<std::string> surprises;
    std::vector<std::thread> workers;
    for (int t = 0; t < threads; ++t) {
        workers.emplace_back([&] {
            auto hang_client = server.client(hang_give_up_s);
            auto reply_client = server.client(reply_give_up_s);
            for (int i = next++; i < requests; i = next++) {
                const fault_draw& want = drawn[static_cast<std::size_t>(i)];
                auto& client = want.kind == fault::hang ? hang_client : reply_client;
                const auto start = std::chrono::steady_clock::now();
                const auto res = client->Post("/v1/chat/completions", bodies[static_cast<std::size_t>(i)],
                                              "application/json");
                const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
                fault kind = fault::none;
                std::string wrong;
                if (!res) {
                    // A hang holds the reply until the client gives up; a reset ends it at once.
                    kind = want.kind == fault::hang && s >= hang_give_up_s * 0.9 ? fault::hang : fault::reset;
                } else if (res->status == 429) {
                    kind = fault::rate_limited;
                    if (res->get_header_value("Retry-After") != "1")
                        wrong = "Retry-After '" + res->get_header_value("Retry-After") + "'";
                } else if (res->status == 500) {
                    kind = fault::server_error;
                } else if (res->status == 503) {
                    kind = fault::unavailable;
                } else if (res->status == 200) {
                    const json reply = json::parse(res->body, nullptr, false);
                    if (reply.is_discarded()) {
                        kind = fault::malformed;
                    } else {
                        const bool one = reply["choices"].size() == 1;
                        one_choice += one;
                        if (one != want.ignore_n) wrong = std::to_string(reply["choices"].size()) + " choices";
                    }
                } else {
                    wrong = "status " + std::to_string(res->status) + " " + res->body;
                }
                if (kind != want.kind)
                    wrong += " saw " + std::string(to_string(kind)) + ", drawn " + std::string(to_string(want.kind));
                if (!wrong.empty()) {
                    const std::lock_guard lock(failures);
                    surprises.push_back("request " + std::to_string(i) + ":" + wrong);
                }
                seen[static_cast<std::size_t>(kind)]++;
            }
        });
    }
    for (auto& w : workers) w.join();
    INFO((surprises.empty() ? std::string() : surprises.front()));
    CHECK(surprises.empty());
    const std::array<double, 7> rates{0.45, 0.2, 0.1, 0.1, 0.05, 0.05, 0.05};
    for (std::size_t k = 0; k < rates.size(); ++k) {
        INFO("fault " << to_string(static_cast<fault>(k)) << ": client saw " << seen[k] << ", server drew "
                      << server.stats().faults[k]);
        CHECK(seen[k] == static_cast<int>(server.stats().faults[k].load()));
        const double sd = std::sqrt(requests * rates[k] * (1 - rates[k]));
        CHECK(std::abs(seen[k] - requests * rates[k]) < 5 * sd);
    }
    CHECK(server.stats().requests == requests);
    // n ignored is drawn on its own, so among clean replies it shows at its own rate.
    const int clean = seen[0];
    CHECK(std::abs(one_choice - clean * 0.3) < 5 * std::sqrt(clean * 0.3 * 0.7));
}
