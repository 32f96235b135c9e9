// The OpenAI chat-completions wire format, both ways: the request body a unit of work
// sends (sampling parameters always explicit: servers differ in their defaults) and
// the checks that turn a response body into choices or say what is malformed about it.
#pragma once
#include "core/base/jsonl.h"
#include "core/grading/prompts.h"

#include <cstdint>
#include <optional>
#include <utility>
#include <string>
#include <variant>
#include <vector>

namespace headroom::sample {

struct chat_request {
    std::string model;
    std::vector<chat_message> messages;
    std::uint32_t max_tokens = 0;
    double temperature = 0;
    double top_p = 1;
    std::uint64_t seed = 0;
    std::uint32_t n = 1;
    // Sent as OpenAI's `metadata` when not empty. Judge requests name the generation
    // they judge: two generations can share a text and still be judged apart (the
    // simulated endpoint needs it; real servers ignore or store it).
    std::vector<std::pair<std::string, std::string>> metadata;
};

json_value request_body(const chat_request& r);

struct chat_choice {
    std::string text;
    std::string finish;  // as the server said it ("stop", "length", ...)
};

struct chat_response {
    std::vector<chat_choice> choices;  // in index order
    std::optional<std::uint32_t> prompt_tokens, completion_tokens;
    std::string fingerprint;  // system_fingerprint, "" if none
    std::string served_by;    // the response's "model"
};

// The parsed response, or a description of what is malformed (wrong types, missing
// fields, invalid UTF-8, more choices than asked for).
std::variant<chat_response, std::string> parse_response(std::string_view body, std::uint32_t n_requested);

// Whether a refused request's reply says that `n` > 1 itself is what the server does
// not take (a 400 or 422 naming the parameter `n`): only then may the samples be asked
// for one at a time. Auth, quota, rate-limit and other refusals would fail just the same.
bool rejects_n(long status, std::string_view body);

} // namespace headroom::sample
