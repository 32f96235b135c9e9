#include "sample/chat.h"

#include <algorithm>
#include <cctype>
#include <string>

namespace headroom::sample {

json_value request_body(const chat_request& r) {
    json_value messages = json_value::array();
    for (const auto& m : r.messages) messages.push_back({{"role", m.role}, {"content", m.content}});
    json_value body = {{"model", r.model}, {"messages", std::move(messages)}, {"max_tokens", r.max_tokens},
                       {"temperature", r.temperature}, {"top_p", r.top_p}, {"seed", r.seed}, {"n", r.n}};
    if (!r.metadata.empty()) {
        json_value metadata = json_value::object();
        for (const auto& [key, value] : r.metadata) metadata[key] = value;
        body["metadata"] = std::move(metadata);
    }
    return body;
}

namespace {

std::optional<std::uint32_t> token_count(const nlohmann::json& usage, const char* field) {
    const auto it = usage.find(field);
    if (it == usage.end() || !it->is_number_unsigned() || it->get<std::uint64_t>() > 0xffffffffull) return std::nullopt;
    return static_cast<std::uint32_t>(it->get<std::uint64_t>());
}

} // namespace

std::variant<chat_response, std::string> parse_response(std::string_view body, std::uint32_t n_requested) {
    if (const auto bad = find_invalid_utf8(body)) return "invalid UTF-8 at byte " + std::to_string(*bad);
    const auto value = nlohmann::json::parse(body, nullptr, false);
    if (value.is_discarded()) return std::string("body is not JSON");
    if (!value.is_object()) return std::string("body is not a JSON object");
    const auto choices = value.find("choices");
    if (choices == value.end() || !choices->is_array()) return std::string("'choices' missing or not an array");
    if (choices->empty()) return std::string("'choices' is empty");
    if (choices->size() > n_requested)
        return "'choices' holds " + std::to_string(choices->size()) + " choices for n=" + std::to_string(n_requested);
    chat_response out;
    out.choices.resize(choices->size());
    std::vector<bool> seen(choices->size(), false);
    for (std::size_t i = 0; i < choices->size(); ++i) {
        const auto& c = (*choices)[i];
        const std::string where = "choices[" + std::to_string(i) + "]";
        if (!c.is_object()) return where + " is not an object";
        std::size_t index = i;
        if (const auto it = c.find("index"); it != c.end()) {
            if (!it->is_number_unsigned() || it->get<std::uint64_t>() >= choices->size())
                return where + ".index is not an index into choices";
            index = static_cast<std::size_t>(it->get<std::uint64_t>());
        }
        if (seen[index]) return where + ".index repeats " + std::to_string(index);
        seen[index] = true;
        const auto message = c.find("message");
        if (message == c.end() || !message->is_object()) return where + ".message missing or not an object";
        const auto content = message->find("content");
        if (content == message->end()) return where + ".message.content is missing";
        // null content is what servers send for an empty completion.
        if (!content->is_string() && !content->is_null()) return where + ".message.content is not a string";
        const auto finish = c.find("finish_reason");
        if (finish == c.end() || !finish->is_string()) return where + ".finish_reason missing or not a string";
        out.choices[index] = {content->is_string() ? content->get<std::string>() : std::string(),
                              finish->get<std::string>()};
    }
    if (const auto usage = value.find("usage"); usage != value.end() && !usage->is_null()) {
        if (!usage->is_object()) return std::string("'usage' is not an object");
        out.prompt_tokens = token_count(*usage, "prompt_tokens");
        out.completion_tokens = token_count(*usage, "completion_tokens");
        if (!out.prompt_tokens || !out.completion_tokens)
            return std::string("'usage' lacks prompt_tokens or completion_tokens as counts");
    }
    if (const auto fp = value.find("system_fingerprint"); fp != value.end() && fp->is_string())
        out.fingerprint = fp->get<std::string>();
    if (const auto model = value.find("model"); model != value.end() && model->is_string())
        out.served_by = model->get<std::string>();
    return out;
}

bool rejects_n(long status, std::string_view body) {
    if (status != 400 && status != 422) return false;
    std::string message(body);
    const auto value = nlohmann::json::parse(body, nullptr, false);
    if (!value.is_discarded() && value.is_object()) {
        if (const auto error = value.find("error"); error != value.end() && error->is_object()) {
            if (const auto param = error->find("param"); param != error->end() && param->is_string())
                return *param == "n";
            const auto text = error->find("message");
            message = text != error->end() && text->is_string() ? text->get<std::string>() : std::string();
        }
    }
    std::transform(message.begin(), message.end(), message.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    // The ways servers word it: "n > 1 is not supported", "'n' must be 1", "Unsupported
    // parameter: 'n'", "only n=1 is supported".
    for (const char* says : {"'n'", "\"n\"", "`n`", "n > 1", "n>1", "n must", "n=1", "n = 1", "parameter n"})
        if (message.find(says) != std::string::npos) return true;
    return false;
}

} // namespace headroom::sample
