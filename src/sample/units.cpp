#include "sample/units.h"

#include <cstdio>
#include <nlohmann/json.hpp>
#include <stdexcept>

namespace headroom::sample {

std::string hash_hex(std::string_view text) {
    std::uint64_t h = 1469598103934665603ull;
    for (unsigned char c : text) h = (h ^ c) * 1099511628211ull;
    char hex[17];
    std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(h));
    return hex;
}

std::string sampling_params_hash(const plan& p, const model_spec& m, std::uint32_t budget, task_kind kind) {
    const prompt_template& t = p.templates.at(kind);
    // nlohmann::json (not ordered_json) sorts keys: the canonical form.
    const nlohmann::json canonical = {{"model", m.endpoint.served_model}, {"max_tokens", budget},
                                      {"temperature", p.temperature}, {"top_p", p.top_p},
                                      {"seed", p.seed},               {"system", t.system},
                                      {"user", t.user}};
    return hash_hex(canonical.dump());
}

std::string unit_key(const std::string& model, const std::string& endpoint, const std::string& params_hash,
                     const std::string& query, std::uint32_t sample) {
    // A JSON array is unambiguous whatever characters the ids hold.
    return nlohmann::json::array({model, endpoint, params_hash, query, sample}).dump();
}

shard parse_shard(const std::string& text) {
    const auto slash = text.find('/');
    auto number = [&](const std::string& part) -> std::uint32_t {
        if (part.empty() || part.size() > 6 || part.find_first_not_of("0123456789") != std::string::npos)
            throw std::invalid_argument("--shard must look like i/N (e.g. 0/4), not '" + text + "'");
        return static_cast<std::uint32_t>(std::stoul(part));
    };
    if (slash == std::string::npos) number("");
    shard s{number(text.substr(0, slash)), number(text.substr(slash + 1))};
    if (s.count == 0 || s.index >= s.count)
        throw std::invalid_argument("--shard i/N needs 0 <= i < N, not '" + text + "'");
    return s;
}

} // namespace headroom::sample
