// Bad requests get OpenAI-style errors that name the field: {"error": {"message",
// "type", "param", "code"}}, with 400, 404 or 413.
#include "support.h"

using namespace headroom;
using namespace headroom::serve;
using namespace headroom::serve::test;

namespace {

struct outcome {
    int status;
    json error;
};

outcome post(httplib::Client& client, const std::string& body) {
    const auto res = client.Post("/v1/chat/completions", body, "application/json");
    REQUIRE(res);
    const json parsed = parse(res->body);
    REQUIRE(parsed.contains("error"));
    return {res->status, parsed["error"]};
}

void expect(httplib::Client& client, const json& body, int status, const std::string& param, const std::string& says) {
    INFO("request: " << body.dump().substr(0, 200));
    const outcome o = post(client, body.dump());
    INFO("error: " << o.error.dump());
    CHECK(o.status == status);
    if (param.empty()) CHECK(o.error["param"].is_null());
    else CHECK(o.error["param"] == param);
    CHECK(o.error["message"].get<std::string>().find(says) != std::string::npos);
    CHECK(o.error["type"].is_string());
}

} // namespace

TEST_CASE("bad requests name the field at fault", "[serve][bad_input]") {
    const simulated_pool& pool = judged_pool();
    running_server server(pool);
    auto client = server.client();
    const json good = task_request(pool, 0, "sim-gale-s", 192, 0);
    REQUIRE(client->Post("/v1/chat/completions", good.dump(), "application/json")->status == 200);

    const outcome bad_json = post(*client, "{\"model\": \"sim-gale-s\", ");
    CHECK(bad_json.status == 400);
    CHECK(bad_json.error["message"].get<std::string>().find("could not parse the JSON body") != std::string::npos);
    expect(*client, json::array({1, 2}), 400, "", "must be a JSON object");

    auto with = [&](const char* field, json value) {
        json body = good;
        if (value.is_discarded()) body.erase(field);
        else body[field] = std::move(value);
        return body;
    };
    const json removed(json::value_t::discarded);
    expect(*client, with("model", removed), 400, "model", "model: required");
    expect(*client, with("model", 7), 400, "model", "expected a string");
    expect(*client, with("model", "gpt-4o"), 404, "model", "does not exist in the simulated pool");
    CHECK(post(*client, with("model", "gpt-4o").dump()).error["code"] == "model_not_found");
    expect(*client, with("messages", removed), 400, "messages", "messages: required");
    expect(*client, with("messages", "hello"), 400, "messages", "non-empty array");
    expect(*client, with("messages", json::array()), 400, "messages", "non-empty array");
    expect(*client, with("messages", json::array({{{"role", "user"}}})), 400, "messages[0].content", "expected a string");
    expect(*client, with("messages", json::array({{{"role", "robot"}, {"content", "x"}}})), 400, "messages[0].role",
           "'robot' is not");
    expect(*client, with("messages", json::array({{{"role", "user"}, {"content", "What is love?"}}})), 400, "messages",
           "no query of the simulated pool");
    expect(*client, with("n", "2"), 400, "n", "expected an integer, got string");
    expect(*client, with("n", 0), 400, "n", "out of range");
    expect(*client, with("n", 1000), 400, "n", "out of range");
    expect(*client, with("max_tokens", 2.5), 400, "max_tokens", "expected an integer");
    expect(*client, with("max_tokens", 100), 400, "max_tokens", "not a budget of the simulated study (192, 2048)");
    expect(*client, with("max_tokens", removed), 400, "max_tokens", "required");
    expect(*client, with("temperature", "hot"), 400, "temperature", "expected a number");
    expect(*client, with("temperature", 0.7), 400, "temperature", "decodes greedily");
    expect(*client, with("seed", -1), 400, "seed", "out of range");
    expect(*client, with("stream", true), 400, "stream", "streaming is not simulated");
    expect(*client, with("metadata", "x"), 400, "metadata", "expected an object");
    expect(*client, with("metadata", {{"query", "nope"}}), 400, "metadata.query", "'nope' is not a query");

    // Judge prompts go to judges, task prompts to models.
    const query& q = pool.data().queries[0];
    const auto judge_prompt = messages_json(render_judge_prompt(q.text, "Answer: B", judge_scale::rubric));
    expect(*client, with("messages", judge_prompt), 400, "messages", "which is not a judge");
    json to_judge = good;
    to_judge["model"] = "verbose";
    expect(*client, to_judge, 400, "messages", "answers only judge prompts");
    to_judge["messages"] = judge_prompt;
    expect(*client, to_judge, 400, "messages", "no generation of the simulated study");
    to_judge["messages"] = messages_json(render_judge_prompt(q.text, "Answer: B", judge_scale::ten));
    expect(*client, to_judge, 400, "messages", "grades on the rubric scale");
    to_judge["messages"] = messages_json(render_pairwise_judge_prompt(q.text, "A", "B", false));
    expect(*client, to_judge, 400, "messages", "pairwise judging is not simulated");
}

TEST_CASE("huge bodies, bad UTF-8, deep nesting and unknown routes", "[serve][bad_input]") {
    const simulated_pool& pool = skeleton_pool();
    running_server server(pool);
    auto client = server.client();
    const std::string huge = R"({"model":"sim-lark-s","messages":[{"role":"user","content":")" +
                             std::string(max_request_bytes + 1000, 'x') + R"("}]})";
    const auto big = client->Post("/v1/chat/completions", huge, "application/json");
    REQUIRE(big);
    CHECK(big->status == 413);
    CHECK(parse(big->body)["error"]["message"].get<std::string>().find("larger than 4 MiB") != std::string::npos);

    const outcome utf8 = post(*client, "{\"model\": \"sim-lark-s\", \"messages\": \"\xff\xfe\"}");
    CHECK(utf8.status == 400);
    const outcome deep = post(*client, std::string(100, '[') + std::string(100, ']'));
    CHECK(deep.status == 400);
    CHECK(deep.error["message"].get<std::string>().find("could not parse") != std::string::npos);

    expect(*client, task_request(pool, 0, "sim-lark-s", 160, 4, 2), 400, "seed",
           "samples 4..5 asked for, but the simulated study has 5 samples per pair");
    json hot = task_request(pool, 0, "sim-lark-s", 160, 0);
    hot["temperature"] = 1.0;
    expect(*client, hot, 400, "temperature", "samples at 0.7 (or 0 for its greedy draw)");

    const auto route = client->Get("/v1/engines");
    REQUIRE(route);
    CHECK(route->status == 404);
    CHECK(parse(route->body)["error"]["code"] == "unknown_url");
    // The server is still fine afterwards.
    CHECK(client->Get("/v1/models")->status == 200);
}
