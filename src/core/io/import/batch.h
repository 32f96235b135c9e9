// Batch API files (OpenAI's and Anthropic's): an output file holds generations without
// grades, so it is imported with the input file the user submitted, joined line by line
// on custom_id. The input gives each request's query text (its user messages), model and
// budget (max tokens); the output its texts (one sample per choice), finish and tokens.
// A failed, expired or cancelled request has no generation: its pair is a missing
// outcome, counted by cause. Grading is then `headroom grade`'s.
//
// custom_id names the query: by default the whole custom_id is the query id (and the
// request's model its model, sample 0); `options::custom_id` gives a template such as
// "{query}-{model}-{sample}" for ids that hold more; Headroom's own batch ids (a JSON
// array [model, query, budget, first sample, n]) are read as such.
#pragma once
#include "core/io/import/import.h"
#include "core/io/import/json_fields.h"

namespace headroom::import {

struct batch_request {
    std::string model, text;
    std::uint32_t budget = unknown_budget;
};

struct batch_choice {
    std::string text;
    finish_reason finish = finish_reason::unknown;
};

struct batch_result {
    std::string failure;  // empty when the request succeeded: then choices holds its answers
    std::vector<batch_choice> choices;
    std::uint32_t input_tokens = unknown_tokens, output_tokens = unknown_tokens;
};

// What differs between providers: the shapes of their input and output lines.
struct batch_provider {
    std::string_view format;
    bool (*is_input)(const json_value& line);
    bool (*is_output)(const json_value& line);
    batch_request (*read_request)(const json_value& line, const json_place& at);
    batch_result (*read_result)(const json_value& line, const json_place& at);
};

bool detect_batch(const batch_provider& provider, const source_file& file);
void parse_batch(const batch_provider& provider, const source_file& file, context& ctx);

// The text of a request's user messages, joined by a blank line.
std::string user_text(const json_value* messages, const json_place& at, const std::string& field);

// The providers, and their registry entries.
extern const batch_provider openai_batch, anthropic_batch;
bool detect_openai_batch(const source_file& file);
void parse_openai_batch(const source_file& file, context& ctx);
bool detect_anthropic_batch(const source_file& file);
void parse_anthropic_batch(const source_file& file, context& ctx);

} // namespace headroom::import
