// Over HTTP, the endpoint answers exactly what `headroom simulate` writes: the text,
// finish reason and token counts of the generation for (query, model, budget, sample),
// and the judge's reply to a generation. The reference study is simulated here again,
// independently of the server's copy.
#include "support.h"

#include "core/base/rng.h"
#include "core/sim/simulate.h"

#include <chrono>

using namespace headroom;
using namespace headroom::serve;
using namespace headroom::serve::test;

TEST_CASE("replies equal the simulator's generations byte for byte", "[serve]") {
    const simulated_pool& pool = skeleton_pool();
    const study reference = sim::simulate(sim::skeleton_pool(11));
    running_server server(pool);
    auto client = server.client();
    const auto& g = reference.generations;
    rng pick(2024);
    int checked = 0, cut = 0;
    for (int i = 0; i < 400; ++i) {
        const auto row = static_cast<std::uint32_t>(pick.below(g.size()));
        const std::string model = reference.models[g.model[row]].id;
        const json request = task_request(pool, g.query[row], model, g.budget[row], g.sample[row]);
        const auto res = client->Post("/v1/chat/completions", request.dump(), "application/json");
        REQUIRE(res);
        INFO("generation " << g.id[row] << ": " << res->body.substr(0, 300));
        REQUIRE(res->status == 200);
        const json reply = parse(res->body);
        REQUIRE(reply["choices"].size() == 1);
        CHECK(reply["choices"][0]["message"]["content"].get<std::string>() == g.text[row]);
        CHECK(reply["choices"][0]["finish_reason"] == std::string(to_string(g.finish[row])));
        CHECK(reply["usage"]["prompt_tokens"] == g.input_tokens[row]);
        CHECK(reply["usage"]["completion_tokens"] == g.output_tokens[row]);
        CHECK(reply["model"] == model);
        CHECK(reply["system_fingerprint"] == pool.fingerprint());
        cut += g.finish[row] == finish_reason::length;
        ++checked;
    }
    CHECK(checked == 400);
    CHECK(cut > 0);  // some were cut at the budget: `length` was exercised
}

TEST_CASE("n > 1 returns samples seed .. seed+n-1", "[serve]") {
    const simulated_pool& pool = skeleton_pool();
    const study& s = pool.data();
    running_server server(pool);
    auto client = server.client();
    for (const auto& [seed, n] : {std::pair{0, 5}, std::pair{2, 3}, std::pair{4, 1}}) {
        const std::uint32_t q = 7;
        const json request = task_request(pool, q, "sim-lark-m", 1024, seed, n);
        const auto res = client->Post("/v1/chat/completions", request.dump(), "application/json");
        REQUIRE(res);
        REQUIRE(res->status == 200);
        const json reply = parse(res->body);
        REQUIRE(reply["choices"].size() == static_cast<std::size_t>(n));
        std::uint64_t tokens = 0;
        for (int i = 0; i < n; ++i) {
            const std::uint32_t row = pool.generation(q, 1, 1024, static_cast<std::uint16_t>(seed + i));
            CHECK(reply["choices"][i]["index"] == i);
            CHECK(reply["choices"][i]["message"]["content"].get<std::string>() == s.generations.text[row]);
            tokens += s.generations.output_tokens[row];
        }
        CHECK(reply["usage"]["completion_tokens"] == tokens);
    }
    // Samples differ at temperature 0.7; the greedy draw repeats sample 0's.
    json request = task_request(pool, 7, "sim-lark-m", 1024, 3, 2);
    request["temperature"] = 0;
    const json greedy = parse(client->Post("/v1/chat/completions", request.dump(), "application/json")->body);
    const std::uint32_t first = pool.generation(7, 1, 1024, 0);
    CHECK(greedy["choices"][0]["message"]["content"].get<std::string>() == s.generations.text[first]);
    CHECK(greedy["choices"][1]["message"]["content"] == greedy["choices"][0]["message"]["content"]);
}

TEST_CASE("judges reply exactly as the simulator's judgments", "[serve]") {
    const simulated_pool& pool = judged_pool();
    const study reference = sim::simulate(sim::p2_artifacts_pool(5, 0.004));
    running_server server(pool);
    auto client = server.client();
    const auto& g = reference.generations;
    const auto& jt = reference.judgments;
    REQUIRE(jt.size() > 0);
    rng pick(7);
    for (int i = 0; i < 300; ++i) {
        const auto row = static_cast<std::uint32_t>(pick.below(jt.size()));
        const std::uint32_t gen = jt.generation[row];
        const std::string judge = jt.judges[jt.judge[row]];
        const query& q = reference.queries[g.query[gen]];
        const auto messages =
            render_judge_prompt(judge_question(q, reference.benchmarks[q.benchmark].kind), g.text[gen], jt.scale[row]);
        const json request{{"model", judge},
                           {"messages", messages_json(messages)},
                           {"temperature", 0},
                           {"max_tokens", 512},
                           {"metadata", {{"generation", g.id[gen]}}}};
        const auto res = client->Post("/v1/chat/completions", request.dump(), "application/json");
        REQUIRE(res);
        INFO("judge " << judge << " on " << g.id[gen] << ": " << res->body.substr(0, 300));
        REQUIRE(res->status == 200);
        const json reply = parse(res->body);
        CHECK(reply["choices"][0]["message"]["content"].get<std::string>() == jt.reply[row]);
        CHECK(reply["choices"][0]["finish_reason"] == "stop");
        CHECK(reply["model"] == judge);
    }
}

TEST_CASE("without metadata, identical answers take the first generation in study order", "[serve]") {
    const simulated_pool& pool = judged_pool();
    const study& s = pool.data();
    const auto& g = s.generations;
    running_server server(pool);
    auto client = server.client();
    // Greedy pool, two budgets: an answer that fits the short budget is the same text twice.
    std::uint32_t row = no_row;
    for (std::uint32_t r = 0; r < g.size() && row == no_row; ++r)
        if (g.budget[r] == 192 && g.finish[r] == finish_reason::stop) row = r;
    REQUIRE(row != no_row);
    const std::uint32_t twin = pool.generation(g.query[row], g.model[row], 2048, 0);
    REQUIRE(g.text[twin] == g.text[row]);
    const query& q = s.queries[g.query[row]];
    const auto messages = render_judge_prompt(judge_question(q, s.benchmarks[q.benchmark].kind), g.text[row],
                                              judge_scale::rubric);
    json request{{"model", "verbose"}, {"messages", messages_json(messages)}};
    const json first = parse(client->Post("/v1/chat/completions", request.dump(), "application/json")->body);
    // The rule: among the query's generations with that text (other models may have
    // written it too, a refusal say), the first in study order.
    std::uint32_t earliest = no_row;
    for (const std::uint32_t r : pool.generations_of(g.query[row]))
        if (g.text[r] == g.text[row]) earliest = std::min(earliest, r);
    CHECK(earliest <= std::min(row, twin));
    CHECK(first["choices"][0]["message"]["content"].get<std::string>() == s.judgments.reply[pool.judgment(earliest, 0)]);
    request["metadata"] = {{"generation", g.id[twin]}};
    const json named = parse(client->Post("/v1/chat/completions", request.dump(), "application/json")->body);
    CHECK(named["choices"][0]["message"]["content"].get<std::string>() == s.judgments.reply[pool.judgment(twin, 0)]);
}

TEST_CASE("/v1/models lists the models, then the judges", "[serve]") {
    const simulated_pool& pool = judged_pool();
    running_server server(pool);
    const auto res = server.client()->Get("/v1/models");
    REQUIRE(res);
    REQUIRE(res->status == 200);
    const json list = parse(res->body);
    CHECK(list["object"] == "list");
    std::vector<std::string> ids;
    for (const auto& m : list["data"]) ids.push_back(m["id"]);
    CHECK(ids == std::vector<std::string>{"sim-gale-xs", "sim-gale-s", "sim-gale-m", "sim-gale-l", "sim-brook-s",
                                          "sim-brook-l", "verbose", "calibrated"});
}

TEST_CASE("realistic latency waits the generation's simulated latency", "[serve]") {
    const simulated_pool& pool = skeleton_pool();
    server_options options = running_server::quiet();
    options.realistic_latency = true;
    running_server server(pool, options);
    const std::uint32_t row = pool.generation(3, 0, 160, 0);
    const json request = task_request(pool, 3, "sim-lark-s", 160, 0);
    const auto start = std::chrono::steady_clock::now();
    const auto res = server.client()->Post("/v1/chat/completions", request.dump(), "application/json");
    const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    REQUIRE(res);
    CHECK(res->status == 200);
    CHECK(ms >= pool.data().generations.latency_ms[row]);
    CHECK(ms < pool.data().generations.latency_ms[row] + 2000);
}
