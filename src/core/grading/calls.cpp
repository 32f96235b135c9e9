#include "core/grading/calls.h"

#include <algorithm>
#include <charconv>
#include <optional>

namespace headroom {
namespace {

void add_item(std::string& out, std::string_view item) {
    out += std::to_string(item.size());
    out += '\n';
    out.append(item);
}

struct record {
    char kind = 0;
    std::string_view text;
};

// Records up to the first malformed byte (a candidate that wrote garbage on fd 4
// only loses its own cases).
std::vector<record> read_records(std::string_view report) {
    std::vector<record> out;
    while (!report.empty()) {
        const char kind = report[0];
        const std::size_t newline = report.find('\n');
        if (newline == std::string_view::npos) break;
        std::size_t length = 0;
        const auto [end, error] = std::from_chars(report.data() + 1, report.data() + newline, length);
        if (error != std::errc() || end != report.data() + newline || length > report.size() - newline - 1) break;
        out.push_back({kind, report.substr(newline + 1, length)});
        report.remove_prefix(newline + 1 + length);
    }
    return out;
}

std::string shown(std::string_view text, std::size_t cap = 200) {
    if (text.size() <= cap) return std::string(text);
    return std::string(text.substr(0, cap)) + "...";
}

// "f(1, 2)" from the entry and the repr of (1, 2).
std::string call_text(const oracle& cases, std::size_t i) {
    std::string_view args = cases.args[i];
    if (args.size() >= 2 && args.front() == '(' && args.back() == ')') args = args.substr(1, args.size() - 2);
    if (args.size() >= 1 && args.back() == ',') args.remove_suffix(1);
    return cases.entry + "(" + shown(args) + ")";
}

// The last non-blank line, trimmed and capped, as a traceback's summary is read.
std::string last_line(std::string_view text) {
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ')) text.remove_suffix(1);
    const std::size_t start = text.rfind('\n');
    std::string_view line = start == std::string_view::npos ? text : text.substr(start + 1);
    while (!line.empty() && line.front() == ' ') line.remove_prefix(1);
    return std::string(line.substr(0, 300));
}

// The assert's message as Python would have shown it, when it is a plain string or an
// f-string whose fields are only {name!r} of the names the grader holds.
std::optional<std::string> format_message(const call_case& c, std::string_view args, std::string_view expected,
                                          std::string_view got) {
    std::string_view m = c.message;
    if (m.empty()) return std::nullopt;
    if (m.front() != 'f' && m.front() != 'F') {
        literal plain;
        std::string error;
        if (!parse_literal(m, plain, error) || plain.kind != literal_kind::text) return std::nullopt;
        return plain.canonical.substr(plain.canonical.find(':') + 1);
    }
    m.remove_prefix(1);
    if (m.size() < 2 || (m.front() != '\'' && m.front() != '"') || m.back() != m.front()) return std::nullopt;
    m = m.substr(1, m.size() - 2);
    std::string out;
    for (std::size_t i = 0; i < m.size(); ++i) {
        if (m[i] == '\\' || m[i] == '\'' || m[i] == '"') return std::nullopt;
        if (m.substr(i, 2) == "{{" || m.substr(i, 2) == "}}") {
            out += m[i++];
            continue;
        }
        if (m[i] == '}') return std::nullopt;
        if (m[i] != '{') {
            out += m[i];
            continue;
        }
        const std::size_t close = m.find('}', i);
        if (close == std::string_view::npos) return std::nullopt;
        const std::string_view field = m.substr(i + 1, close - i - 1);
        if (field.size() < 3 || field.substr(field.size() - 2) != "!r") return std::nullopt;
        const std::string_view name = field.substr(0, field.size() - 2);
        if (!c.args_name.empty() && name == c.args_name) out += args;
        else if (!c.expected_name.empty() && name == c.expected_name) out += expected;
        else if (!c.got_name.empty() && name == c.got_name) out += got;
        else return std::nullopt;
        i = close;
    }
    return out;
}

} // namespace

std::string oracle_payload(const case_plan& plan) {
    std::string out;
    add_item(out, "eval");
    add_item(out, plan.setup);
    add_item(out, "");
    for (const call_case& c : plan.cases) {
        add_item(out, c.args);
        add_item(out, c.expected);
    }
    return out;
}

oracle read_oracle(const case_plan& plan, bool completed, std::string_view report, std::string_view failure) {
    oracle out;
    auto refuse = [&](std::string why) {
        out = {};
        out.why_not = std::move(why);
        return out;
    };
    if (!completed) return refuse("the tests' own setup did not run cleanly: " + shown(failure));
    const std::vector<record> records = read_records(report);
    if (records.size() != 2 * plan.cases.size() + 1 || records.back().kind != 'D')
        return refuse("the tests' oracle reported " + std::to_string(records.size()) + " records for " +
                      std::to_string(plan.cases.size()) + " cases");
    out.entry = plan.entry;
    for (std::size_t i = 0; i < plan.cases.size(); ++i) {
        const record& args = records[2 * i];
        const record& expected = records[2 * i + 1];
        for (const record* r : {&args, &expected})
            if (r->kind != 'R')
                return refuse("case " + std::to_string(i + 1) + " of the tests raised: " + shown(r->text));
        literal parsed;
        std::string error;
        if (!parse_literal(args.text, parsed, error) || parsed.kind != literal_kind::tuple)
            return refuse("case " + std::to_string(i + 1) + "'s arguments are not plain literals: " + shown(args.text));
        if (!parse_literal(expected.text, parsed, error))
            return refuse("case " + std::to_string(i + 1) + "'s expected value is not a plain literal: " +
                          shown(expected.text));
        out.args.emplace_back(args.text);
        out.expected.push_back(std::move(parsed));
        out.expected_text.emplace_back(expected.text);
        out.cases.push_back(plan.cases[i]);
    }
    out.usable = true;
    return out;
}

std::string call_payload(std::string_view program, const oracle& cases) {
    std::string out;
    add_item(out, "call");
    add_item(out, program);
    add_item(out, cases.entry);
    for (const std::string& args : cases.args) add_item(out, args);
    return out;
}

exec_outcome judge_calls(const oracle& cases, std::string_view report, std::string_view program) {
    const auto verdict = [](grade_status status, std::string detail) { return exec_outcome{status, std::move(detail), {}}; };
    // The in-process harness ran the tests after the program (on a fresh line), so its
    // line numbers for the tests start after the program's.
    std::size_t program_lines = 0;
    for (char c : program) program_lines += c == '\n';
    if (!program.empty() && program.back() != '\n') ++program_lines;
    const auto at_line = [](std::size_t line) { return " (candidate line " + std::to_string(line) + ")"; };

    const std::vector<record> records = read_records(report);
    const std::size_t n = cases.args.size();
    for (std::size_t i = 0; i < n; ++i) {
        const std::string which = "case " + std::to_string(i + 1) + " of " + std::to_string(n) + ", " + call_text(cases, i);
        if (i >= records.size())
            return verdict(grade_status::failed, "the program stopped before " + which);
        const record& r = records[i];
        if (r.kind == 'E') {
            const std::size_t newline = r.text.find('\n');
            std::size_t line = 0;
            std::from_chars(r.text.data(), r.text.data() + std::min(newline, r.text.size()), line);
            const std::string last = last_line(newline == std::string_view::npos ? r.text : r.text.substr(newline + 1));
            return verdict(grade_status::failed, (last.empty() ? which + " raised an exception" : last) +
                                                     (line ? at_line(line) : std::string()));
        }
        if (r.kind != 'R') return verdict(grade_status::failed, "the program's report broke off before " + which);
        literal got;
        std::string error;
        const call_case& c = cases.cases[i];
        const bool parsed = parse_literal(r.text, got, error);
        if (parsed && literals_equal(got, cases.expected[i], c.identical)) continue;
        if (auto message = format_message(c, cases.args[i], cases.expected_text[i], r.text))
            return verdict(grade_status::failed, "AssertionError: " + last_line(*message) + at_line(program_lines + c.line));
        if (!parsed)
            return verdict(grade_status::failed, which + " returned " + shown(r.text) + ", not a plain literal");
        return verdict(grade_status::failed, which + " returned " + shown(r.text) + ", expected " +
                                                 shown(cases.expected_text[i]) +
                                                 (c.identical && got.canonical == cases.expected[i].canonical
                                                      ? " (same value, another type)" : ""));
    }
    if (records.size() != n + 1 || records.back().kind != 'D')
        return verdict(grade_status::failed, "the program's report does not end after its " + std::to_string(n) + " cases");
    return verdict(grade_status::passed, {});
}

} // namespace headroom
