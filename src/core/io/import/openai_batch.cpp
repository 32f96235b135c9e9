// OpenAI Batch API: input lines {"custom_id", "method", "url", "body": {"model",
// "messages" | "prompt", "max_tokens" | "max_completion_tokens"}}; output lines
// {"custom_id", "response": {"status_code", "body": a chat or text completion}, "error"}.
#include "core/io/import/batch.h"

namespace headroom::import {

namespace {

bool is_input(const json_value& line) { return member(line, "custom_id") && member(line, "body") && !member(line, "response"); }
bool is_output(const json_value& line) {
    return member(line, "custom_id") && line.is_object() && line.contains("response") && !member(line, "result");
}

batch_request read_request(const json_value& line, const json_place& at) {
    const json_value& body = *member(line, "body");
    batch_request r;
    r.model = string_or(body, "model", at, "body.model");
    if (const json_value* messages = member(body, "messages")) r.text = user_text(messages, at, "body.messages");
    else if (const json_value* prompt = member(body, "prompt"); prompt && prompt->is_string()) r.text = prompt->get<std::string>();
    else at.fail("body.messages", "is missing (a chat request's messages, or a completion's prompt)");
    const char* field = "body.max_completion_tokens";
    const json_value* budget = member(body, "max_completion_tokens");
    if (!budget) {
        field = "body.max_tokens";
        budget = member(body, "max_tokens");
    }
    r.budget = budget_or_unknown(budget, at, field);
    return r;
}

finish_reason finish_of(const json_value& choice, const json_place& at, const std::string& field) {
    const std::string reason = string_or(choice, "finish_reason", at, field);
    if (reason == "stop" || reason == "tool_calls" || reason == "function_call") return finish_reason::stop;
    if (reason == "length") return finish_reason::length;
    if (reason == "content_filter") return finish_reason::content_filter;
    return finish_reason::unknown;
}

batch_result read_result(const json_value& line, const json_place& at) {
    batch_result out;
    if (const json_value* error = member(line, "error")) {
        out.failure = string_or(*error, "code", at, "error.code", "error");
        return out;
    }
    const json_value* response = member(line, "response");
    if (!response) at.fail("response", "is missing (a result line has a response or an error)");
    const json_value* status = member(*response, "status_code");
    if (!status || !status->is_number_integer()) at.fail("response.status_code", "must be an HTTP status");
    if (status->get<std::int64_t>() != 200) {
        const json_value* code = member(member(member(*response, "body"), "error"), "code");
        out.failure = code && code->is_string() ? code->get<std::string>() : "http_" + status->dump();
        return out;
    }
    const json_value* body = member(*response, "body");
    const json_value* choices = member(body, "choices");
    if (!choices || !choices->is_array()) at.fail("response.body.choices", "must be a list");
    for (std::size_t i = 0; i < choices->size(); ++i) {
        const json_value& choice = (*choices)[i];
        const std::string field = "response.body.choices[" + std::to_string(i) + "]";
        batch_choice c;
        if (const json_value* message = member(choice, "message")) c.text = content_text(member(*message, "content"), at, field + ".message.content");
        else c.text = string_or(choice, "text", at, field + ".text");
        c.finish = finish_of(choice, at, field + ".finish_reason");
        out.choices.push_back(std::move(c));
    }
    if (const json_value* usage = member(body, "usage")) {
        out.input_tokens = tokens_or_unknown(*usage, "prompt_tokens", at, "response.body.usage.prompt_tokens");
        out.output_tokens = tokens_or_unknown(*usage, "completion_tokens", at, "response.body.usage.completion_tokens");
    }
    return out;
}

} // namespace

const batch_provider openai_batch{"openai-batch", is_input, is_output, read_request, read_result};

bool detect_openai_batch(const source_file& file) { return detect_batch(openai_batch, file); }
void parse_openai_batch(const source_file& file, context& ctx) { parse_batch(openai_batch, file, ctx); }

} // namespace headroom::import
