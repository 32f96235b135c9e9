#include "core/io/import/json_fields.h"

#include "core/study/study.h"

#include <algorithm>
#include <cmath>

namespace headroom::import {

const json_value* member(const json_value& object, std::string_view key) {
    if (!object.is_object()) return nullptr;
    const auto it = object.find(key);
    if (it == object.end() || it->is_null()) return nullptr;
    return &*it;
}

const json_value* member(const json_value* object, std::string_view key) {
    return object ? member(*object, key) : nullptr;
}

void json_place::fail(const std::string& field, const std::string& message) const {
    throw input_error(file, line, field, message);
}

std::string string_or(const json_value& object, std::string_view key, const json_place& at, const std::string& field,
                      std::string fallback) {
    const json_value* v = member(object, key);
    if (!v) return fallback;
    if (!v->is_string()) at.fail(field, "must be a string");
    return v->get<std::string>();
}

std::string id_text(const json_value& id, const json_place& at, const std::string& field) {
    if (id.is_string()) {
        if (id.get_ref<const std::string&>().empty()) at.fail(field, "must not be empty");
        return id.get<std::string>();
    }
    if (id.is_number_integer()) return id.dump();
    at.fail(field, "must be a string or a whole number");
}

std::string content_text(const json_value* content, const json_place& at, const std::string& field) {
    if (!content) return {};
    if (content->is_string()) return content->get<std::string>();
    if (!content->is_array()) at.fail(field, "must be a string or a list of content parts");
    std::string text;
    for (std::size_t i = 0; i < content->size(); ++i) {
        const json_value& part = (*content)[i];
        if (part.is_string()) {
            text += part.get<std::string>();
            continue;
        }
        const json_value* type = member(part, "type");
        if (!type || !type->is_string()) at.fail(field + "[" + std::to_string(i) + "].type", "must be a string");
        if (*type != "text") continue;
        text += string_or(part, "text", at, field + "[" + std::to_string(i) + "].text");
    }
    return text;
}

namespace {

std::uint64_t whole_number(const json_value& v, const json_place& at, const std::string& field, std::uint64_t max) {
    if (!v.is_number()) at.fail(field, "must be a number");
    const double d = v.get<double>();
    if (!(d >= 0) || d != std::floor(d) || d > static_cast<double>(max)) at.fail(field, "must be a whole number of tokens");
    return static_cast<std::uint64_t>(d);
}

} // namespace

std::uint32_t tokens_or_unknown(const json_value& object, std::string_view key, const json_place& at,
                                const std::string& field) {
    const json_value* v = member(object, key);
    if (!v) return unknown_tokens;
    return static_cast<std::uint32_t>(whole_number(*v, at, field, unknown_tokens - 1));
}

std::uint32_t budget_or_unknown(const json_value* value, const json_place& at, const std::string& field) {
    if (!value) return unknown_budget;
    const auto budget = whole_number(*value, at, field, unknown_tokens - 1);
    if (budget == 0) at.fail(field, "must be at least 1 token");
    return static_cast<std::uint32_t>(budget);
}

void for_each_json_line(std::string_view bytes, const std::string& file,
                        const std::function<void(const json_value& line, std::size_t number)>& on_line) {
    std::size_t number = 0, start = 0;
    while (start < bytes.size()) {
        ++number;
        const std::size_t end = std::min(bytes.find('\n', start), bytes.size());
        std::string_view line = bytes.substr(start, end - start);
        start = end + 1;
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        if (line.find_first_not_of(" \t") == std::string_view::npos) continue;
        on_line(parse_json_bounded(line, file, number), number);
    }
}

} // namespace headroom::import
