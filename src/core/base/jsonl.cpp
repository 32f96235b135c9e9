#include "core/base/jsonl.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <fstream>

namespace headroom {

using json = json_value;

input_error::input_error(std::string file, std::size_t line, std::string field, std::string message)
    : std::runtime_error(file + (line ? ":" + std::to_string(line) : std::string()) +
                         (field.empty() ? std::string() : ": field '" + field + "'") + ": " + message),
      file_(std::move(file)), line_(line), field_(std::move(field)), message_(std::move(message)) {}

std::optional<std::size_t> find_invalid_utf8(std::string_view text) {
    const auto* s = reinterpret_cast<const unsigned char*>(text.data());
    const std::size_t n = text.size();
    std::size_t i = 0;
    while (i < n) {
        const unsigned char c = s[i];
        if (c < 0x80) {
            ++i;
            continue;
        }
        std::size_t len = 0;
        std::uint32_t cp = 0;
        if ((c & 0xE0) == 0xC0) { len = 2; cp = c & 0x1F; }
        else if ((c & 0xF0) == 0xE0) { len = 3; cp = c & 0x0F; }
        else if ((c & 0xF8) == 0xF0) { len = 4; cp = c & 0x07; }
        else return i;
        if (i + len > n) return i;
        for (std::size_t k = 1; k < len; ++k) {
            if ((s[i + k] & 0xC0) != 0x80) return i;
            cp = (cp << 6) | (s[i + k] & 0x3F);
        }
        // Overlong forms, surrogates and values past U+10FFFF are not UTF-8.
        if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
            (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF)
            return i;
        i += len;
    }
    return std::nullopt;
}

namespace {

// Builds the value through nlohmann's own DOM builder, refusing to go deeper than
// the limit, so a hostile line costs no more stack than a normal one.
class bounded_sax {
public:
    bounded_sax(json& root, int max_depth) : dom_(root, false), max_depth_(max_depth) {}

    // A value read clears the pending key, so only an error *inside* a field's value
    // (1e999, NaN, bad UTF-8 in a string) is blamed on that field.
    bool null() { return done(dom_.null()); }
    bool boolean(bool v) { return done(dom_.boolean(v)); }
    bool number_integer(json::number_integer_t v) { return done(dom_.number_integer(v)); }
    bool number_unsigned(json::number_unsigned_t v) { return done(dom_.number_unsigned(v)); }
    bool number_float(json::number_float_t v, const std::string& s) { return done(dom_.number_float(v, s)); }
    bool string(std::string& v) { return done(dom_.string(v)); }
    bool binary(json::binary_t& v) { return done(dom_.binary(v)); }
    bool start_object(std::size_t n) {
        keys_.emplace_back();
        return deeper() && done(dom_.start_object(n));
    }
    // A repeated key would silently keep its last value: a hand edit that meant to
    // change a field, or a forged line that shows one value to a reader and another to us.
    bool key(std::string& k) {
        last_key = k;
        if (std::find(keys_.back().begin(), keys_.back().end(), k) != keys_.back().end()) {
            duplicate_key = true;
            return false;
        }
        keys_.back().push_back(k);
        return dom_.key(k);
    }
    bool end_object() {
        --depth_;
        keys_.pop_back();
        return dom_.end_object();
    }
    bool start_array(std::size_t n) { return deeper() && done(dom_.start_array(n)); }
    bool end_array() { --depth_; return dom_.end_array(); }
    bool parse_error(std::size_t position, const std::string&, const nlohmann::detail::exception& ex) {
        error_ = ex.what();
        error_position_ = position;
        return false;
    }

    bool too_deep = false;
    bool duplicate_key = false;
    std::string last_key;  // the field being read when an error strikes
    std::string error_;
    std::size_t error_position_ = 0;

private:
    bool done(bool ok) {
        last_key.clear();
        return ok;
    }
    bool deeper() {
        if (++depth_ > max_depth_) {
            too_deep = true;
            return false;
        }
        return true;
    }
    nlohmann::detail::json_sax_dom_parser<json> dom_;
    std::vector<std::vector<std::string>> keys_;  // of each open object, innermost last
    int max_depth_;
    int depth_ = 0;
};

} // namespace

json parse_json_bounded(std::string_view text, const std::string& file, std::size_t line, const json_limits& limits) {
    if (text.size() > limits.max_line_bytes)
        throw input_error(file, line, "", "record is " + std::to_string(text.size()) + " bytes, over the limit of " +
                                              std::to_string(limits.max_line_bytes));
    json value;
    bounded_sax sax(value, limits.max_depth);
    const bool ok = json::sax_parse(text.begin(), text.end(), &sax);
    if (ok) return value;  // nlohmann has checked the UTF-8 of every string
    // The line of the error within a multi-line text.
    // nlohmann's position is just past the byte that failed; count the lines before it.
    const std::size_t at = std::min(sax.error_position_ > 0 ? sax.error_position_ - 1 : 0, text.size());
    const std::size_t error_line =
        line + static_cast<std::size_t>(std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(at), '\n'));
    if (sax.duplicate_key) throw input_error(file, line, sax.last_key, "appears twice in one object");
    if (sax.too_deep)
        throw input_error(file, error_line, sax.last_key,
                          "JSON nested deeper than " + std::to_string(limits.max_depth) + " levels");
    if (auto bad = find_invalid_utf8(text))
        throw input_error(file, line, sax.last_key, "invalid UTF-8 at byte " + std::to_string(*bad + 1));
    std::string why = sax.error_;
    // nlohmann's messages start with "[json.exception.parse_error.101] parse error at line 1, column N: ".
    if (auto colon = why.find("column"); colon != std::string::npos) why = why.substr(colon);
    throw input_error(file, error_line, sax.last_key, "not valid JSON (" + why + ")");
}

record::record(const json& value, const std::string& file, std::size_t line) : value_(value), file_(file), line_(line) {
    if (!value_.is_object()) fail("", "each line must be a JSON object");
}

void record::fail(const char* field, const std::string& message) const {
    throw input_error(file_, line_, field ? field : "", message);
}

bool record::has(const char* field) const { return value_.contains(field) && !value_.at(field).is_null(); }

const json& record::at(const char* field) const {
    auto it = value_.find(field);
    if (it == value_.end() || it->is_null()) fail(field, "is missing");
    return *it;
}

std::string record::str(const char* field) const {
    const json& v = at(field);
    if (!v.is_string()) fail(field, std::string("must be a string, not ") + v.type_name());
    return v.get<std::string>();
}

std::string record::str_or(const char* field, std::string fallback) const {
    return has(field) ? str(field) : std::move(fallback);
}

double record::number(const char* field) const {
    const json& v = at(field);
    if (!v.is_number()) fail(field, std::string("must be a number, not ") + v.type_name());
    const double d = v.get<double>();
    if (!std::isfinite(d)) fail(field, "must be a finite number");
    return d;
}

std::optional<double> record::number_opt(const char* field) const {
    if (!has(field)) return std::nullopt;
    return number(field);
}

std::uint64_t record::integer(const char* field, std::uint64_t max) const {
    const json& v = at(field);
    if (v.is_number_unsigned() || (v.is_number_integer() && v.get<std::int64_t>() >= 0)) {
        const auto u = v.get<std::uint64_t>();
        if (u > max) fail(field, "must be at most " + std::to_string(max));
        return u;
    }
    if (v.is_number_integer()) fail(field, "must not be negative");
    fail(field, std::string("must be a whole number, not ") + (v.is_number() ? "a fraction" : v.type_name()));
}

std::int64_t record::signed_integer(const char* field, std::int64_t min, std::int64_t max) const {
    const json& v = at(field);
    if (!v.is_number_integer()) fail(field, std::string("must be a whole number, not ") + v.type_name());
    const auto i = v.get<std::int64_t>();
    if (v.is_number_unsigned() && v.get<std::uint64_t>() > static_cast<std::uint64_t>(max))
        fail(field, "must be at most " + std::to_string(max));
    if (i < min || i > max) fail(field, "must be between " + std::to_string(min) + " and " + std::to_string(max));
    return i;
}

bool record::boolean_or(const char* field, bool fallback) const {
    if (!has(field)) return fallback;
    const json& v = at(field);
    if (!v.is_boolean()) fail(field, std::string("must be true or false, not ") + v.type_name());
    return v.get<bool>();
}

std::vector<std::string> record::strings(const char* field) const {
    std::vector<std::string> out;
    if (!has(field)) return out;
    const json& v = at(field);
    if (!v.is_array()) fail(field, std::string("must be an array of strings, not ") + v.type_name());
    for (std::size_t i = 0; i < v.size(); ++i) {
        if (!v[i].is_string())
            fail(field, "item " + std::to_string(i) + " must be a string, not " + v[i].type_name());
        out.push_back(v[i].get<std::string>());
    }
    return out;
}

std::vector<double> record::numbers(const char* field) const {
    const json& v = at(field);
    if (!v.is_array()) fail(field, std::string("must be an array of numbers, not ") + v.type_name());
    std::vector<double> out;
    out.reserve(v.size());
    for (std::size_t i = 0; i < v.size(); ++i) {
        if (!v[i].is_number()) fail(field, "item " + std::to_string(i) + " must be a number, not " + v[i].type_name());
        const double x = v[i].get<double>();
        if (!std::isfinite(x)) fail(field, "item " + std::to_string(i) + " must be finite");
        out.push_back(x);
    }
    return out;
}

std::string record::compact_json_or_empty(const char* field) const { return has(field) ? at(field).dump() : ""; }

void record::allow_only(std::initializer_list<const char*> fields) const {
    for (auto it = value_.begin(); it != value_.end(); ++it) {
        bool known = false;
        for (const char* f : fields) known = known || it.key() == f;
        if (!known) fail(it.key().c_str(), "is not part of the schema (misspelt?)");
    }
}

namespace {

// Splits text into lines and hands each to the parser; the last line may lack '\n'.
void parse_lines(std::string_view line, bool has_newline, std::size_t line_no, const std::string& name,
                 const std::function<void(const record&)>& on_record, const json_limits& limits) {
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.find_first_not_of(" \t") == std::string_view::npos) {
        if (!has_newline) return;  // nothing after the final newline
        throw input_error(name, line_no, "", "blank line");
    }
    json value;
    try {
        value = parse_json_bounded(line, name, line_no, limits);
    } catch (const input_error& e) {
        if (!has_newline && e.message().rfind("not valid JSON", 0) == 0)
            throw input_error(name, line_no, "", "truncated last line (the file ends inside a record)");
        throw;
    }
    on_record(record(value, name, line_no));
}

} // namespace

void read_jsonl_text(std::string_view text, const std::string& name,
                     const std::function<void(const record&)>& on_record, const json_limits& limits) {
    std::size_t line_no = 0, start = 0;
    while (start < text.size()) {
        ++line_no;
        const std::size_t end = text.find('\n', start);
        const bool has_newline = end != std::string_view::npos;
        const std::size_t stop = has_newline ? end : text.size();
        parse_lines(text.substr(start, stop - start), has_newline, line_no, name, on_record, limits);
        start = stop + 1;
    }
}

void read_jsonl(const std::string& path, const std::function<void(const record&)>& on_record,
                const json_limits& limits) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw input_error(path, 0, "", "cannot open file");
    // Read in chunks so an oversized line is refused without ever holding it whole.
    std::string line;
    std::vector<char> chunk(1 << 20);
    std::size_t line_no = 1;
    while (in) {
        in.read(chunk.data(), static_cast<std::streamsize>(chunk.size()));
        const auto got = static_cast<std::size_t>(in.gcount());
        std::size_t pos = 0;
        while (pos < got) {
            const char* nl = static_cast<const char*>(std::memchr(chunk.data() + pos, '\n', got - pos));
            const std::size_t take = nl ? static_cast<std::size_t>(nl - (chunk.data() + pos)) : got - pos;
            if (line.size() + take > limits.max_line_bytes)
                throw input_error(path, line_no, "", "line is longer than " + std::to_string(limits.max_line_bytes) +
                                                         " bytes (not a study record?)");
            line.append(chunk.data() + pos, take);
            pos += take;
            if (nl) {
                parse_lines(line, true, line_no, path, on_record, limits);
                line.clear();
                ++line_no;
                ++pos;
            }
        }
    }
    if (in.bad()) throw input_error(path, line_no, "", "read error");
    if (!line.empty()) parse_lines(line, false, line_no, path, on_record, limits);
}

} // namespace headroom
