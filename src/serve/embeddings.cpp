#include "serve/embeddings.h"

#include "core/base/tokens.h"
#include "core/sim/embedder.h"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace headroom::serve {

reply embed(std::string_view body) {
    using nlohmann::json;
    auto refuse = [](int status, const std::string& message, std::string_view param, std::string_view code = {}) {
        return reply{status, error_body(message, "invalid_request_error", param, code)};
    };
    const json request = json::parse(body, nullptr, false);
    if (request.is_discarded() || !request.is_object()) return refuse(400, "The body is not a JSON object", "");
    const std::string model = request.contains("model") && request["model"].is_string() ? request["model"].get<std::string>() : "";
    if (model != sim::embedder_name)
        return refuse(404, "The model '" + model + "' does not exist (this pool embeds with '" +
                               std::string(sim::embedder_name) + "')",
                      "model", "model_not_found");
    std::vector<std::string> inputs;
    const json input = request.value("input", json());
    if (input.is_string()) inputs.push_back(input.get<std::string>());
    else if (input.is_array() && !input.empty())
        for (const auto& item : input) {
            if (!item.is_string()) return refuse(400, "Every 'input' item must be a string", "input");
            inputs.push_back(item.get<std::string>());
        }
    else return refuse(400, "'input' must be a string or a non-empty array of strings", "input");

    json data = json::array();
    std::size_t tokens = 0;
    for (std::size_t i = 0; i < inputs.size(); ++i) {
        data.push_back({{"object", "embedding"}, {"index", i}, {"embedding", sim::simulated_embedding(inputs[i])}});
        tokens += count_tokens(inputs[i]);
    }
    const json out{{"object", "list"}, {"data", std::move(data)}, {"model", model},
                   {"usage", {{"prompt_tokens", tokens}, {"total_tokens", tokens}}}};
    return reply{200, out.dump()};
}

} // namespace headroom::serve
