#include "core/grading/literal.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <vector>

namespace headroom {
namespace {

// Deep enough for any honest result, shallow enough for the stack.
constexpr int max_depth = 200;

void append_utf8(std::string& out, unsigned long cp) {
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
}

int hex_digit(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

// Integer digits without sign or leading zeros, "-" in front when negative and not 0.
std::string integer_canonical(bool negative, std::string_view digits) {
    while (digits.size() > 1 && digits.front() == '0') digits.remove_prefix(1);
    if (digits == "0") negative = false;
    return std::string("i") + (negative ? "-" : "") + std::string(digits);
}

std::string float_canonical(double value) {
    if (std::isnan(value)) return "fnan";
    if (std::isinf(value)) return value > 0 ? "f+inf" : "f-inf";
    if (value == std::floor(value)) {
        // Integral doubles are exact integers, so they meet ints by value (1.0 == 1).
        char text[400];
        std::snprintf(text, sizeof text, "%.0f", std::fabs(value));
        return integer_canonical(value < 0, text);
    }
    char text[40];
    std::snprintf(text, sizeof text, "f%.17g", value);
    return text;
}

class parser {
public:
    explicit parser(std::string_view text) : text_(text) {}

    bool parse(literal& out, std::string& error) {
        const bool ok = value(out, 0) && (skip_space(), at_ == text_.size() || fail("unexpected text after the value"));
        if (!ok) error = error_ + " at byte " + std::to_string(at_);
        return ok;
    }

private:
    std::string_view text_;
    std::size_t at_ = 0;
    std::string error_;

    bool fail(std::string why) {
        if (error_.empty()) error_ = std::move(why);
        return false;
    }
    void skip_space() {
        while (at_ < text_.size() && (text_[at_] == ' ' || text_[at_] == '\n' || text_[at_] == '\t')) ++at_;
    }
    bool eat(std::string_view word) {
        if (text_.substr(at_, word.size()) != word) return false;
        at_ += word.size();
        return true;
    }
    // A keyword must not run on into a name ("None_x", "Truex").
    bool eat_word(std::string_view word) {
        if (text_.substr(at_, word.size()) != word) return false;
        const std::size_t end = at_ + word.size();
        if (end < text_.size() && (std::isalnum(static_cast<unsigned char>(text_[end])) || text_[end] == '_'))
            return false;
        at_ = end;
        return true;
    }

    bool value(literal& out, int depth) {
        if (depth > max_depth) return fail("nested too deeply");
        skip_space();
        if (at_ >= text_.size()) return fail("a value is missing");
        const char c = text_[at_];
        if (eat_word("None")) return out = {literal_kind::none, "N"}, true;
        if (eat_word("True")) return out = {literal_kind::boolean, "i1"}, true;
        if (eat_word("False")) return out = {literal_kind::boolean, "i0"}, true;
        if (eat_word("set()")) return out = {literal_kind::set, "S{}"}, true;
        if (eat_word("frozenset()")) return out = {literal_kind::frozenset, "S{}"}, true;
        if (eat("frozenset(")) {
            if (!value(out, depth + 1) || out.kind != literal_kind::set) return fail("frozenset of something not a set");
            skip_space();
            if (!eat(")")) return fail("')' expected after frozenset's set");
            out.kind = literal_kind::frozenset;
            return true;
        }
        if (c == '\'' || c == '"') return text(out, false);
        if ((c == 'b' || c == 'B') && at_ + 1 < text_.size() && (text_[at_ + 1] == '\'' || text_[at_ + 1] == '"')) {
            ++at_;
            return text(out, true);
        }
        if (c == '(') return sequence(out, depth, ')', literal_kind::tuple);
        if (c == '[') return sequence(out, depth, ']', literal_kind::list);
        if (c == '{') return braces(out, depth);
        return number(out);
    }

    bool number(literal& out) {
        bool negative = false;
        if (at_ < text_.size() && (text_[at_] == '-' || text_[at_] == '+')) negative = text_[at_++] == '-';
        skip_space();
        if (eat_word("inf")) return out = {literal_kind::floating, negative ? "f-inf" : "f+inf"}, true;
        if (eat_word("nan")) return out = {literal_kind::floating, "fnan"}, true;
        const std::size_t start = at_;
        auto digits = [&] {
            const std::size_t from = at_;
            while (at_ < text_.size() && text_[at_] >= '0' && text_[at_] <= '9') ++at_;
            return at_ - from;
        };
        const std::size_t whole = digits();
        bool is_float = false;
        if (at_ < text_.size() && text_[at_] == '.') {
            ++at_;
            is_float = true;
            if (whole + digits() == 0) return fail("a number without digits");
        } else if (whole == 0) {
            return fail("not a plain literal");
        }
        if (at_ < text_.size() && (text_[at_] == 'e' || text_[at_] == 'E')) {
            ++at_;
            is_float = true;
            if (at_ < text_.size() && (text_[at_] == '-' || text_[at_] == '+')) ++at_;
            if (digits() == 0) return fail("an exponent without digits");
        }
        if (at_ < text_.size() && (std::isalpha(static_cast<unsigned char>(text_[at_])) || text_[at_] == '_'))
            return fail("not a plain literal");
        const std::string_view body = text_.substr(start, at_ - start);
        if (!is_float) return out = {literal_kind::integer, integer_canonical(negative, body)}, true;
        const double value = std::strtod(std::string(body).c_str(), nullptr);
        return out = {literal_kind::floating, float_canonical(negative ? -value : value)}, true;
    }

    bool text(literal& out, bool bytes) {
        const char quote = text_[at_++];
        std::string decoded;
        for (;;) {
            if (at_ >= text_.size()) return fail("unterminated string");
            const char c = text_[at_++];
            if (c == quote) break;
            if (c == '\n') return fail("newline inside a string");
            if (c != '\\') {
                decoded += c;
                continue;
            }
            if (at_ >= text_.size()) return fail("unterminated string");
            const char e = text_[at_++];
            switch (e) {
            case '\n': break;
            case '\\': decoded += '\\'; break;
            case '\'': decoded += '\''; break;
            case '"': decoded += '"'; break;
            case 'n': decoded += '\n'; break;
            case 'r': decoded += '\r'; break;
            case 't': decoded += '\t'; break;
            case 'a': decoded += '\a'; break;
            case 'b': decoded += '\b'; break;
            case 'f': decoded += '\f'; break;
            case 'v': decoded += '\v'; break;
            case 'x': case 'u': case 'U': {
                const int width = e == 'x' ? 2 : e == 'u' ? 4 : 8;
                if (bytes && e != 'x') {
                    decoded += '\\';
                    decoded += e;
                    break;
                }
                unsigned long cp = 0;
                for (int i = 0; i < width; ++i) {
                    const int d = at_ < text_.size() ? hex_digit(text_[at_]) : -1;
                    if (d < 0) return fail("bad \\" + std::string(1, e) + " escape");
                    cp = cp * 16 + static_cast<unsigned long>(d);
                    ++at_;
                }
                if (cp > 0x10FFFF) return fail("escape beyond Unicode");
                if (bytes) decoded += static_cast<char>(cp);
                else append_utf8(decoded, cp);
                break;
            }
            default:
                if (e >= '0' && e <= '7') {
                    unsigned long cp = static_cast<unsigned long>(e - '0');
                    for (int i = 0; i < 2 && at_ < text_.size() && text_[at_] >= '0' && text_[at_] <= '7'; ++i)
                        cp = cp * 8 + static_cast<unsigned long>(text_[at_++] - '0');
                    if (bytes) decoded += static_cast<char>(cp & 0xFF);
                    else append_utf8(decoded, cp);
                } else {
                    // Python keeps an unknown escape as written.
                    decoded += '\\';
                    decoded += e;
                }
            }
        }
        out.kind = bytes ? literal_kind::bytes : literal_kind::text;
        out.canonical = (bytes ? "b" : "s") + std::to_string(decoded.size()) + ":" + decoded;
        return true;
    }

    // Items until `close`; a one-item tuple needs its comma, as in Python.
    bool items(std::vector<literal>& out, int depth, char close, bool& trailing_comma) {
        ++at_;
        trailing_comma = false;
        for (;;) {
            skip_space();
            if (at_ < text_.size() && text_[at_] == close) {
                ++at_;
                return true;
            }
            literal item;
            if (!value(item, depth + 1)) return false;
            out.push_back(std::move(item));
            skip_space();
            trailing_comma = eat(",");
            if (!trailing_comma && !(at_ < text_.size() && text_[at_] == close))
                return fail(std::string("',' or '") + close + "' expected");
        }
    }

    bool sequence(literal& out, int depth, char close, literal_kind kind) {
        std::vector<literal> parts;
        bool trailing_comma = false;
        if (!items(parts, depth, close, trailing_comma)) return false;
        // Parentheses around one value without a comma are grouping, not a tuple.
        if (kind == literal_kind::tuple && parts.size() == 1 && !trailing_comma) return out = parts[0], true;
        std::string joined = kind == literal_kind::tuple ? "t(" : "l[";
        for (std::size_t i = 0; i < parts.size(); ++i) joined += (i ? "," : "") + parts[i].canonical;
        joined += kind == literal_kind::tuple ? ")" : "]";
        out = {kind, std::move(joined)};
        return true;
    }

    bool braces(literal& out, int depth) {
        ++at_;
        skip_space();
        if (eat("}")) return out = {literal_kind::dict, "d{}"}, true;
        std::map<std::string, std::string> pairs;  // by key: Python keeps a repeated key's last value
        std::vector<std::string> members;
        bool is_dict = false;
        for (bool first = true;; first = false) {
            skip_space();
            if (!first && eat("}")) break;
            literal key;
            if (!value(key, depth + 1)) return false;
            skip_space();
            if (first) is_dict = at_ < text_.size() && text_[at_] == ':';
            if (is_dict) {
                if (!eat(":")) return fail("':' expected in a dict");
                literal item;
                if (!value(item, depth + 1)) return false;
                pairs[key.canonical] = std::move(item.canonical);
            } else {
                members.push_back(std::move(key.canonical));
            }
            skip_space();
            if (eat("}")) break;
            if (!eat(",")) return fail("',' or '}' expected");
        }
        std::string joined = is_dict ? "d{" : "S{";
        if (is_dict) {
            bool first = true;
            for (const auto& [key, item] : pairs) joined += (first ? "" : ",") + key + ":" + item, first = false;
        } else {
            std::sort(members.begin(), members.end());
            members.erase(std::unique(members.begin(), members.end()), members.end());
            for (std::size_t i = 0; i < members.size(); ++i) joined += (i ? "," : "") + members[i];
        }
        out = {is_dict ? literal_kind::dict : literal_kind::set, joined + "}"};
        return true;
    }
};

} // namespace

bool parse_literal(std::string_view text, literal& out, std::string& error) {
    return parser(text).parse(out, error);
}

bool literals_equal(const literal& got, const literal& expected, bool identical) {
    if (identical && got.kind != expected.kind) return false;
    return got.canonical == expected.canonical;
}

} // namespace headroom
