#include "fake_server.h"

#include "core/base/rng.h"
#include "core/base/tokens.h"
#include "serve/loopback.h"

#include <chrono>
#include <httplib.h>
#include <nlohmann/json.hpp>

namespace headroom::test {

std::string fake_reply(const std::string& model, const std::string& query_text, std::uint64_t sample_seed,
                       double temperature) {
    rng r(derive_seed(sample_seed, model + "\n" + query_text, static_cast<std::uint64_t>(temperature * 1000)));
    if (r.below(23) == 0) return "";  // some empty answers
    std::string text = "Answer from " + model + " (sample " + std::to_string(sample_seed) + "):";
    const auto words = 3 + r.below(60);  // some longer than the short budget
    for (std::uint64_t i = 0; i < words; ++i) text += " w" + std::to_string(r.below(1000));
    return text;
}

struct fake_server::impl {
    httplib::Server http;
    std::thread thread;
    std::mutex mutex;
    rng faults{1};
};

namespace {

nlohmann::json choice(std::size_t index, const std::string& text, const std::string& finish) {
    return {{"index", index}, {"message", {{"role", "assistant"}, {"content", text}}}, {"finish_reason", finish}};
}

} // namespace

fake_server::fake_server(server_options o) : impl_(std::make_unique<impl>()) {
    impl_->faults = rng(o.seed);
    latency_ms_ = o.latency_ms;
    impl_->http.new_task_queue = [] { return new httplib::ThreadPool(64); };
    impl_->http.Post("/v1/chat/completions", [this, o](const httplib::Request& req, httplib::Response& res) {
        ++requests_;
        if (const int ms = latency_ms_) std::this_thread::sleep_for(std::chrono::milliseconds(ms));
        if (!o.require_key.empty() && req.get_header_value("Authorization") != "Bearer " + o.require_key) {
            res.status = 401;
            res.set_content(R"({"error":{"message":"bad key"}})", "application/json");
            return;
        }
        const auto body = nlohmann::json::parse(req.body);
        const std::string model = body.at("model");
        const std::uint64_t n = body.at("n");
        if (n > 1) ++n_requests_;
        auto fail = [&](int status, const std::string& message, const std::string& code = "") {
            res.status = status;
            nlohmann::json e = {{"error", {{"message", message}}}};
            if (!code.empty()) e["error"]["code"] = code;
            res.set_content(e.dump(), "application/json");
        };
        if (model == o.quota_model) return fail(429, "You exceeded your current quota", "insufficient_quota");
        if (model == o.bad_request_model) return fail(400, "max_tokens is too large for this model");
        if (model == o.reject_n_model && n > 1) return fail(400, "n > 1 is not supported");

        // One draw decides the fault, so the rates add up as given.
        double draw;
        {
            std::lock_guard<std::mutex> lock(impl_->mutex);
            draw = impl_->faults.uniform();
        }
        const fault_rates& f = o.faults;
        auto take = [&](double rate) {
            if (draw < rate) return true;
            draw -= rate;
            return false;
        };
        if (take(f.http_429)) {
            res.set_header("Retry-After", f.retry_after);
            return fail(429, "Rate limit reached, slow down");
        }
        if (take(f.http_500)) return fail(500, "internal error");
        if (take(f.http_503)) return fail(503, "overloaded");
        if (take(f.hang)) std::this_thread::sleep_for(std::chrono::milliseconds(f.hang_ms));
        if (take(f.reset)) {
            res.set_content_provider(1000, "application/json", [](std::size_t, std::size_t, httplib::DataSink& sink) {
                sink.write("{\"choi", 6);
                return false;  // httplib drops the connection: the client sees a short body
            });
            return;
        }
        if (take(f.malformed)) return res.set_content("{\"choices\": [", "application/json");
        if (take(f.bad_utf8)) {
            std::string bad = choice(0, "xx", "stop").dump();
            bad.replace(bad.find("xx"), 2, "\xff\xfe");
            return res.set_content("{\"choices\":[" + bad + "]}", "application/json");
        }
        if (take(f.wrong_types)) return res.set_content(R"({"choices": {"0": "text"}})", "application/json");
        const bool ignore_n = take(f.n_ignored);

        std::string text;
        for (const auto& m : body.at("messages"))
            if (m.at("role") == "user") text = m.at("content");
        const std::uint32_t max_tokens = body.at("max_tokens");
        const std::uint64_t seed = body.at("seed");
        const double temperature = body.at("temperature");
        nlohmann::json choices = nlohmann::json::array();
        std::uint32_t out_tokens = 0;
        for (std::uint64_t i = 0; i < (ignore_n ? 1 : n); ++i) {
            const std::string full = fake_reply(model, text, seed + i, temperature);
            const std::string_view cut = truncate_to_tokens(full, max_tokens);
            out_tokens += count_tokens(cut);
            choices.push_back(choice(i, std::string(cut), cut.size() < full.size() ? "length" : "stop"));
        }
        const nlohmann::json reply = {{"id", "cmpl-1"},
                                      {"object", "chat.completion"},
                                      {"model", model},
                                      {"system_fingerprint", "fp_fake"},
                                      {"choices", choices},
                                      {"usage", {{"prompt_tokens", count_tokens(text) + 5},
                                                 {"completion_tokens", out_tokens},
                                                 {"total_tokens", count_tokens(text) + 5 + out_tokens}}}};
        res.set_content(reply.dump(), "application/json");
    });
    port_ = serve::bind_loopback(impl_->http, 0);
    if (port_ <= 0) throw std::runtime_error("fake_server: cannot bind a loopback port");
    impl_->thread = std::thread([this] { impl_->http.listen_after_bind(); });
}

fake_server::~fake_server() {
    impl_->http.stop();
    impl_->thread.join();
}

} // namespace headroom::test
