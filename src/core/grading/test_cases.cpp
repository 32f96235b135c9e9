#include "core/grading/test_cases.h"

#include <cctype>
#include <optional>

namespace headroom {
namespace {

// One logical line of Python: physical lines joined while brackets are open, a string
// is open or a line ends in a backslash. `code` has comments removed.
struct logical_line {
    std::size_t begin = 0, end = 0;  // bytes of the source, end past the newline
    std::size_t indent = 0;
    std::string code;                // without strings and comments: empty for a docstring
};

std::string_view trim(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
    return s;
}

// Walks Python text outside strings and comments, calling `visit(position, depth)`
// for each such byte. Returns false if a string or bracket is left open.
template <class Visit>
bool walk(std::string_view text, Visit visit) {
    int depth = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '#') {
            while (i < text.size() && text[i] != '\n') ++i;
            if (i < text.size()) visit(i, depth);
            continue;
        }
        if (c == '\'' || c == '"') {
            const bool triple = text.substr(i, 3) == std::string(3, c);
            const std::size_t width = triple ? 3 : 1;
            std::size_t j = i + width;
            for (;; ++j) {
                if (j >= text.size()) return false;
                if (text[j] == '\\') { ++j; continue; }
                if (!triple && text[j] == '\n') return false;
                if (text.substr(j, width) == std::string(width, c)) break;
            }
            i = j + width - 1;
            continue;
        }
        if (c == '(' || c == '[' || c == '{') ++depth;
        if (c == ')' || c == ']' || c == '}') {
            if (--depth < 0) return false;
            visit(i, depth);
            continue;
        }
        if (!visit(i, depth)) return true;
    }
    return depth == 0;
}

std::optional<std::vector<logical_line>> logical_lines(std::string_view text) {
    std::vector<logical_line> lines;
    std::size_t begin = 0;
    std::string code;
    bool ok = walk(text, [&](std::size_t i, int depth) {
        const char c = text[i];
        const bool continued = i > 0 && text[i - 1] == '\\';
        if (c == '\n' && depth == 0 && !continued) {
            logical_line line{begin, i + 1, 0, {}};
            std::string_view physical = text.substr(begin, i - begin);
            while (line.indent < physical.size() && (physical[line.indent] == ' ' || physical[line.indent] == '\t'))
                ++line.indent;
            line.code = std::string(trim(code));
            // A line that is only a string (a docstring) has no code but must stay.
            if (!trim(physical).empty() && trim(physical).front() != '#') lines.push_back(std::move(line));
            code.clear();
            begin = i + 1;
        } else {
            // Bytes of strings never reach here; copy them from the source instead.
            code += c;
        }
        return true;
    });
    if (!ok) return std::nullopt;
    if (!trim(code).empty()) return std::nullopt;  // the text must end with a newline
    return lines;
}

// Strings are skipped by walk(), so rebuild each line's code from the source with only
// comments removed.
std::string source_code(std::string_view text, const logical_line& line) {
    std::string_view body = text.substr(line.begin, line.end - line.begin);
    std::string out;
    std::size_t copied = 0;
    walk(body, [&](std::size_t i, int) {
        if (body[i] == '#') {
            out.append(body.substr(copied, i - copied));
            std::size_t eol = body.find('\n', i);
            copied = eol == std::string_view::npos ? body.size() : eol;
        }
        return true;
    });
    out.append(body.substr(copied));
    return std::string(trim(out));
}

// Positions of `token` outside strings and brackets.
std::vector<std::size_t> top_level(std::string_view text, std::string_view token) {
    std::vector<std::size_t> at;
    walk(text, [&](std::size_t i, int depth) {
        if (depth == 0 && text.substr(i, token.size()) == token) at.push_back(i);
        return true;
    });
    return at;
}

bool is_name(std::string_view s) {
    if (s.empty() || std::isdigit(static_cast<unsigned char>(s[0]))) return false;
    for (char c : s)
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') return false;
    return true;
}

bool mentions(std::string_view text, std::string_view name) {
    for (std::size_t at = text.find(name); at != std::string_view::npos; at = text.find(name, at + 1)) {
        const bool left = at == 0 || !(std::isalnum(static_cast<unsigned char>(text[at - 1])) || text[at - 1] == '_');
        const std::size_t end = at + name.size();
        const bool right = end >= text.size() || !(std::isalnum(static_cast<unsigned char>(text[end])) || text[end] == '_');
        if (left && right) return true;
    }
    return false;
}

// `name(args)` spanning the whole text: the name and the argument text.
bool split_call(std::string_view text, std::string& name, std::string& args) {
    text = trim(text);
    const std::size_t open = text.find('(');
    if (open == std::string_view::npos || text.back() != ')') return false;
    name = std::string(trim(text.substr(0, open)));
    if (!is_name(name)) return false;
    // The parenthesis that opens must be the one that closes at the end.
    int depth = 0;
    bool closes_at_end = true;
    walk(text.substr(open), [&](std::size_t i, int d) {
        depth = d;
        if (text[open + i] == ')' && d == 0 && open + i + 1 != text.size()) closes_at_end = false;
        return true;
    });
    if (!closes_at_end) return false;
    args = std::string(trim(text.substr(open + 1, text.size() - open - 2)));
    return true;
}

// Positional arguments only: a top-level `name=` is a keyword argument.
bool positional_only(std::string_view args) {
    for (std::size_t at : top_level(args, "=")) {
        const char before = at ? args[at - 1] : ' ';
        const char after = at + 1 < args.size() ? args[at + 1] : ' ';
        if (before != '=' && before != '!' && before != '<' && before != '>' && after != '=') return false;
    }
    return true;
}

std::string as_tuple(std::string args) {
    while (!args.empty() && (args.back() == ',' || std::isspace(static_cast<unsigned char>(args.back()))))
        args.pop_back();
    return args.empty() ? "()" : "(" + args + ",)";
}

// The condition of an assert, without its message.
std::string_view condition_of(std::string_view statement) {
    std::string_view rest = trim(statement.substr(6));
    const std::vector<std::size_t> commas = top_level(rest, ",");
    return trim(commas.empty() ? rest : rest.substr(0, commas.front()));
}

std::string message_of(std::string_view statement) {
    std::string_view rest = trim(statement.substr(6));
    const std::vector<std::size_t> commas = top_level(rest, ",");
    return commas.empty() ? std::string() : std::string(trim(rest.substr(commas.front() + 1)));
}

std::size_t line_number(std::string_view text, std::size_t offset) {
    std::size_t line = 1;
    for (std::size_t i = 0; i < offset; ++i) line += text[i] == '\n';
    return line;
}

// `assert <callee>(args) == expected` (either side), `is True|False|None`. Empty
// when the statement is not of this shape.
std::optional<call_case> assert_case(std::string_view statement, std::string_view callee, std::string& called) {
    const std::string_view condition = condition_of(statement);
    std::string name, args;
    const std::vector<std::size_t> equals = top_level(condition, "==");
    if (equals.size() == 1) {
        std::string_view left = condition.substr(0, equals[0]), right = condition.substr(equals[0] + 2);
        if (!split_call(left, name, args)) {
            std::swap(left, right);
            if (!split_call(left, name, args)) return std::nullopt;
        }
        if ((!callee.empty() && name != callee) || !positional_only(args) || mentions(right, name) ||
            mentions(args, name))
            return std::nullopt;
        called = name;
        return call_case{as_tuple(args), std::string(trim(right)), false, 0, message_of(statement), {}, {}, {}};
    }
    const std::vector<std::size_t> is = top_level(condition, " is ");
    if (is.size() != 1 || top_level(condition, "==").size() + top_level(condition, "!=").size() != 0) return std::nullopt;
    const std::string_view right = trim(condition.substr(is[0] + 4));
    if (right != "True" && right != "False" && right != "None") return std::nullopt;
    if (!split_call(condition.substr(0, is[0]), name, args)) return std::nullopt;
    if ((!callee.empty() && name != callee) || !positional_only(args) || mentions(args, name)) return std::nullopt;
    called = name;
    return call_case{as_tuple(args), std::string(right), true, 0, message_of(statement), {}, {}, {}};
}

struct table_loop {
    std::string table, reference;
    bool identical = false;
    std::string args_name, expected_name, got_name, message;
};

// `for V in TABLE:` then `E = REF(*V)`, `G = candidate(*V)`, `assert [type(G) is type(E) and] G == E`.
std::optional<table_loop> read_table_loop(const std::vector<std::string>& body, std::string_view candidate) {
    if (body.size() != 4 || body[0].rfind("for ", 0) != 0 || body[0].back() != ':') return std::nullopt;
    const std::string_view head = std::string_view(body[0]).substr(4, body[0].size() - 5);
    const std::size_t in = head.find(" in ");
    if (in == std::string_view::npos) return std::nullopt;
    const std::string var(trim(head.substr(0, in)));
    table_loop loop{std::string(trim(head.substr(in + 4))), {}, false, var, {}, {}, message_of(body[3])};
    if (!is_name(var) || !is_name(loop.table)) return std::nullopt;
    std::string got, expected;
    for (std::size_t i = 1; i <= 2; ++i) {
        const std::vector<std::size_t> eq = top_level(body[i], "=");
        if (eq.size() != 1) return std::nullopt;
        const std::string target(trim(std::string_view(body[i]).substr(0, eq[0])));
        std::string name, args;
        if (!is_name(target) || !split_call(std::string_view(body[i]).substr(eq[0] + 1), name, args) ||
            args != "*" + var)
            return std::nullopt;
        if (name == candidate) got = target;
        else expected = target, loop.reference = name;
    }
    if (got.empty() || expected.empty() || body[3].rfind("assert ", 0) != 0) return std::nullopt;
    loop.got_name = got;
    loop.expected_name = expected;
    const std::string condition(condition_of(body[3]));
    for (const std::string& form : {got + " == " + expected, expected + " == " + got}) {
        if (condition == form) return loop;
        for (const std::string& types : {"type(" + got + ") is type(" + expected + ")",
                                         "type(" + expected + ") is type(" + got + ")"}) {
            if (condition == types + " and " + form) {
                loop.identical = true;
                return loop;
            }
        }
    }
    return std::nullopt;
}

// The elements of a top-level `NAME = [ ... ]` list, as source text.
std::optional<std::vector<std::string>> table_elements(std::string_view tests, const std::vector<logical_line>& lines,
                                                       const std::string& table) {
    for (const logical_line& line : lines) {
        if (line.indent != 0) continue;
        const std::string code = source_code(tests, line);
        const std::vector<std::size_t> eq = top_level(code, "=");
        if (eq.size() != 1 || trim(std::string_view(code).substr(0, eq[0])) != table) continue;
        std::string_view list = trim(std::string_view(code).substr(eq[0] + 1));
        if (list.size() < 2 || list.front() != '[' || list.back() != ']') return std::nullopt;
        list = list.substr(1, list.size() - 2);
        std::vector<std::string> out;
        std::size_t start = 0;
        std::vector<std::size_t> commas = top_level(list, ",");
        commas.push_back(list.size());
        for (std::size_t comma : commas) {
            const std::string_view item = trim(list.substr(start, comma - start));
            if (!item.empty()) out.emplace_back(item);
            start = comma + 1;
        }
        return out;
    }
    return std::nullopt;
}

} // namespace

case_plan plan_cases(std::string_view tests) {
    case_plan plan;
    const std::string text = std::string(tests) + "\n";
    const auto lines = logical_lines(text);
    auto refuse = [&](std::string why) {
        plan = {};
        plan.why_not = std::move(why);
        return plan;
    };
    if (!lines) return refuse("the test program does not scan as Python (an open string or bracket)");

    std::vector<bool> drop(lines->size(), false);
    std::string check_param, called;
    for (std::size_t i = 0; i < lines->size(); ++i) {
        const logical_line& line = (*lines)[i];
        if (line.indent != 0) continue;
        const std::string code = source_code(text, line);
        if (code.rfind("assert ", 0) == 0) {
            std::string name;
            auto one = assert_case(code, called, name);
            if (!one) return refuse("not a plain `assert f(...) == value`: " + code.substr(0, 120));
            called = name;
            one->line = line_number(text, line.begin);
            plan.cases.push_back(std::move(*one));
            drop[i] = true;
        } else if (code.rfind("def check(", 0) == 0 && code.back() == ':') {
            if (!check_param.empty()) return refuse("two check functions");
            check_param = std::string(trim(std::string_view(code).substr(10, code.size() - 12)));
            if (!is_name(check_param)) return refuse("check takes more than the candidate: " + code);
            drop[i] = true;
            std::vector<std::string> body;
            std::vector<std::size_t> body_line;
            for (std::size_t j = i + 1; j < lines->size() && (*lines)[j].indent > 0; ++j) {
                drop[j] = true;
                if ((*lines)[j].code.empty()) continue;
                body.push_back(source_code(text, (*lines)[j]));
                body_line.push_back(line_number(text, (*lines)[j].begin));
            }
            if (auto loop = read_table_loop(body, check_param)) {
                auto elements = table_elements(text, *lines, loop->table);
                if (!elements) return refuse("the cases " + loop->table + " are not one top-level list");
                for (const std::string& element : *elements)
                    plan.cases.push_back({"tuple(" + element + ")", loop->reference + "(*" + element + ")",
                                          loop->identical, body_line[3], loop->message, loop->args_name,
                                          loop->expected_name, loop->got_name});
                continue;
            }
            for (std::size_t k = 0; k < body.size(); ++k) {
                const std::string& statement = body[k];
                if (statement.rfind("assert True", 0) == 0 && condition_of(statement) == "True") continue;
                std::string name;
                auto one = statement.rfind("assert ", 0) == 0 ? assert_case(statement, check_param, name) : std::nullopt;
                if (!one) return refuse("check holds a statement other than `assert candidate(...) == value`: " +
                                        statement.substr(0, 120));
                one->line = body_line[k];
                plan.cases.push_back(std::move(*one));
            }
        } else if (!check_param.empty() && code.rfind("check(", 0) == 0) {
            std::string name, args;
            if (!split_call(code, name, args) || !is_name(args)) return refuse("check is called on an expression: " + code);
            if (!plan.entry.empty() && plan.entry != args) return refuse("check is called on two functions");
            plan.entry = args;
            drop[i] = true;
        }
    }
    if (!called.empty() && !plan.entry.empty() && called != plan.entry && called != check_param)
        return refuse("the assertions call " + called + " but check is called on " + plan.entry);
    if (plan.entry.empty()) plan.entry = called;
    if (plan.entry.empty() || plan.cases.empty()) return refuse("no assertion the grader can read");
    for (std::size_t i = 0; i < lines->size(); ++i) {
        const logical_line& line = (*lines)[i];
        if (drop[i]) continue;
        if (line.indent == 0 && (source_code(text, line).rfind("def " + plan.entry + "(", 0) == 0))
            return refuse("the test program defines " + plan.entry + " itself");
        plan.setup.append(text, line.begin, line.end - line.begin);
    }
    plan.usable = true;
    return plan;
}

} // namespace headroom
