// What the JSON-based importers share: looking up members that other tools write
// optionally, reading their message contents (a string, or a list of typed parts) and
// token counts, with errors naming the file, line and the field's path in the document
// (e.g. `samples[3].output.usage.output_tokens`).
#pragma once
#include "core/base/jsonl.h"

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace headroom::import {

// The member, or nullptr when `object` is no object or the member is absent or null.
const json_value* member(const json_value& object, std::string_view key);
const json_value* member(const json_value* object, std::string_view key);

struct json_place {
    const std::string& file;
    std::size_t line;  // 0 for a whole-file document
    [[noreturn]] void fail(const std::string& field, const std::string& message) const;
};

// A string member, or `fallback` when absent; anything else is an error.
std::string string_or(const json_value& object, std::string_view key, const json_place& at, const std::string& field,
                      std::string fallback = {});
// A sample or query id as text: tools write strings or integers.
std::string id_text(const json_value& id, const json_place& at, const std::string& field);
// The text of a message's content: a string, or the `text` of its text parts (other
// parts, such as images or reasoning, are not the answer). An absent content is "".
std::string content_text(const json_value* content, const json_place& at, const std::string& field);
// A token count: a whole non-negative number (12 or 12.0), or unknown_tokens when absent.
std::uint32_t tokens_or_unknown(const json_value& object, std::string_view key, const json_place& at,
                                const std::string& field);
// A whole number of tokens >= 1 for a budget, or unknown_budget when absent.
std::uint32_t budget_or_unknown(const json_value* value, const json_place& at, const std::string& field);

// Calls on_line for every JSON line of a JSON Lines file, with its 1-based line number;
// blank lines (a trailing newline, CRLF endings) are skipped.
void for_each_json_line(std::string_view bytes, const std::string& file,
                        const std::function<void(const json_value& line, std::size_t number)>& on_line);

} // namespace headroom::import
