// Reading JSON Lines safely: every line is bounded in size and nesting depth before
// a value is built (nlohmann/json's dump, copy and compare recurse, so a deeply
// nested line would overflow the stack later), UTF-8 is validated, and every error
// names the file, the line and the field.
#pragma once
#include <cstdint>
#include <functional>
#include <limits>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace headroom {

// Objects keep their keys in file order, so a study read and written back is unchanged.
using json_value = nlohmann::ordered_json;

// A bad input: where it is and what is wrong. what() reads "file:line: field: message".
class input_error : public std::runtime_error {
public:
    input_error(std::string file, std::size_t line, std::string field, std::string message);
    const std::string& file() const { return file_; }
    std::size_t line() const { return line_; }  // 1-based; 0 when the whole file is at fault
    const std::string& field() const { return field_; }
    const std::string& message() const { return message_; }

private:
    std::string file_;
    std::size_t line_;
    std::string field_;
    std::string message_;
};

struct json_limits {
    std::size_t max_line_bytes = 64u << 20;  // one record; real ones are kilobytes
    int max_depth = 32;
};

// Parses one JSON text within the limits; throws input_error naming file, line (the
// first line of `text` is `line`) and, where it can tell, the field.
json_value parse_json_bounded(std::string_view text, const std::string& file, std::size_t line,
                                  const json_limits& limits = {});

// Offset of the first byte that is not valid UTF-8, if any.
std::optional<std::size_t> find_invalid_utf8(std::string_view text);

// One parsed JSONL line with typed, validated field access.
class record {
public:
    record(const json_value& value, const std::string& file, std::size_t line);

    std::string str(const char* field) const;
    std::string str_or(const char* field, std::string fallback) const;
    double number(const char* field) const;  // finite
    std::optional<double> number_opt(const char* field) const;
    std::uint64_t integer(const char* field, std::uint64_t max = std::numeric_limits<std::uint32_t>::max()) const;
    std::int64_t signed_integer(const char* field, std::int64_t min, std::int64_t max) const;
    bool boolean_or(const char* field, bool fallback) const;
    std::vector<std::string> strings(const char* field) const;  // array of strings; [] if absent
    std::vector<double> numbers(const char* field) const;       // array of finite numbers; required
    std::string compact_json_or_empty(const char* field) const;   // any value, re-serialised
    bool has(const char* field) const;
    // Rejects fields outside the schema, so that a misspelt field is not silently ignored.
    void allow_only(std::initializer_list<const char*> fields) const;

    [[noreturn]] void fail(const char* field, const std::string& message) const;
    const std::string& file() const { return file_; }
    std::size_t line() const { return line_; }

private:
    const json_value& at(const char* field) const;
    const json_value& value_;
    const std::string& file_;
    std::size_t line_;
};

// Calls on_record for every line of a JSONL file (blank lines are errors too: they
// usually mean a broken writer). A final line without newline that does not parse
// is reported as truncated.
void read_jsonl(const std::string& path, const std::function<void(const record&)>& on_record,
                const json_limits& limits = {});

// Same, over text already in memory (the browser's dropped files).
void read_jsonl_text(std::string_view text, const std::string& name,
                     const std::function<void(const record&)>& on_record, const json_limits& limits = {});

} // namespace headroom
