// Anthropic Message Batches: input lines {"custom_id", "params": {"model", "max_tokens",
// "messages"}} (the requests as submitted, one a line); results lines {"custom_id",
// "result": {"type": "succeeded", "message": {...}} or errored, canceled, expired}.
#include "core/io/import/batch.h"

namespace headroom::import {

namespace {

bool is_input(const json_value& line) { return member(line, "custom_id") && member(line, "params"); }
bool is_output(const json_value& line) { return member(line, "custom_id") && member(line, "result"); }

batch_request read_request(const json_value& line, const json_place& at) {
    const json_value& params = *member(line, "params");
    batch_request r;
    r.model = string_or(params, "model", at, "params.model");
    r.text = user_text(member(params, "messages"), at, "params.messages");
    r.budget = budget_or_unknown(member(params, "max_tokens"), at, "params.max_tokens");
    return r;
}

finish_reason finish_of(const std::string& reason) {
    if (reason == "end_turn" || reason == "stop_sequence" || reason == "tool_use" || reason == "pause_turn")
        return finish_reason::stop;
    if (reason == "max_tokens" || reason == "model_context_window_exceeded") return finish_reason::length;
    if (reason == "refusal") return finish_reason::content_filter;
    return finish_reason::unknown;
}

batch_result read_result(const json_value& line, const json_place& at) {
    const json_value& result = *member(line, "result");
    batch_result out;
    const std::string type = string_or(result, "type", at, "result.type");
    if (type != "succeeded") {
        if (type != "errored" && type != "canceled" && type != "expired")
            at.fail("result.type", "must be succeeded, errored, canceled or expired, not '" + type + "'");
        const json_value* kind = member(member(member(result, "error"), "error"), "type");
        out.failure = type + (kind && kind->is_string() ? " " + kind->get<std::string>() : "");
        return out;
    }
    const json_value* message = member(result, "message");
    if (!message) at.fail("result.message", "is missing");
    batch_choice c;
    c.text = content_text(member(*message, "content"), at, "result.message.content");
    c.finish = finish_of(string_or(*message, "stop_reason", at, "result.message.stop_reason"));
    out.choices.push_back(std::move(c));
    if (const json_value* usage = member(*message, "usage")) {
        out.input_tokens = tokens_or_unknown(*usage, "input_tokens", at, "result.message.usage.input_tokens");
        out.output_tokens = tokens_or_unknown(*usage, "output_tokens", at, "result.message.usage.output_tokens");
    }
    return out;
}

} // namespace

const batch_provider anthropic_batch{"anthropic-batch", is_input, is_output, read_request, read_result};

bool detect_anthropic_batch(const source_file& file) { return detect_batch(anthropic_batch, file); }
void parse_anthropic_batch(const source_file& file, context& ctx) { parse_batch(anthropic_batch, file, ctx); }

} // namespace headroom::import
