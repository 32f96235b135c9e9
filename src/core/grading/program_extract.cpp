#include "core/grading/extract.h"

#include <algorithm>
#include <cctype>
#include <vector>

namespace headroom {
namespace {

extraction found(std::string answer, std::string_view rule) { return {true, std::move(answer), rule}; }
extraction none() { return {false, {}, "none"}; }

std::string_view trim(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
    return s;
}

bool is_python(std::string_view language) {
    std::string lower;
    for (char c : language.substr(0, language.find(' '))) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return lower == "python" || lower == "py" || lower == "python3";
}

// P1's rule, kept byte for byte: ``` at a line start opens, the next "\n```" closes.
extraction strict_program(std::string_view text) {
    extraction last_python = none();
    std::size_t pos = 0;
    while (pos < text.size()) {
        const std::size_t open = text.find("```", pos);
        if (open == std::string_view::npos) break;
        if (open > 0 && text[open - 1] != '\n') {
            pos = open + 3;
            continue;
        }
        const std::size_t line_end = text.find('\n', open);
        const std::size_t close = line_end == std::string_view::npos ? line_end : text.find("\n```", line_end);
        if (close == std::string_view::npos) break;
        const std::string_view language = trim(text.substr(open + 3, line_end - open - 3));
        if (language == "python" || language == "py" || language == "python3")
            last_python = found(std::string(text.substr(line_end + 1, close - line_end)), "python-fence");
        pos = close + 4;
    }
    return last_python;
}

struct fence {
    bool python = false;
    std::string code;
};

std::vector<std::string_view> split_lines(std::string_view text) {
    std::vector<std::string_view> lines;
    for (std::size_t start = 0; start < text.size();) {
        const std::size_t end = std::min(text.find('\n', start), text.size());
        lines.push_back(text.substr(start, end - start));
        start = end + 1;
    }
    return lines;
}

std::size_t indent_of(std::string_view line) {
    std::size_t n = 0;
    while (n < line.size() && line[n] == ' ') ++n;
    return n;
}

// The run of fence characters (``` or ~~~, three or more) opening `rest`, or 0.
std::size_t fence_run(std::string_view rest) {
    if (rest.size() < 3 || (rest[0] != '`' && rest[0] != '~')) return 0;
    std::size_t n = 0;
    while (n < rest.size() && rest[n] == rest[0]) ++n;
    return n >= 3 ? n : 0;
}

// Every closed fence; `cut` when the text ends inside one.
std::vector<fence> fences(std::string_view text, bool& cut) {
    const std::vector<std::string_view> lines = split_lines(text);
    std::vector<fence> out;
    cut = false;
    for (std::size_t i = 0; i < lines.size(); ++i) {
        const std::size_t indent = indent_of(lines[i]);
        const std::string_view rest = lines[i].substr(indent);
        const std::size_t run = fence_run(rest);
        if (run == 0) continue;
        const char mark = rest[0];
        const std::string_view info = trim(rest.substr(run));
        if (mark == '`' && info.find('`') != std::string_view::npos) continue;  // inline code, not a fence
        std::size_t close = i + 1;
        for (; close < lines.size(); ++close) {
            const std::string_view closing = trim(lines[close]);
            if (fence_run(closing) >= run && closing[0] == mark && closing.find_first_not_of(mark) == std::string_view::npos)
                break;
        }
        if (close == lines.size()) {
            cut = true;
            break;
        }
        fence f{is_python(info), {}};
        for (std::size_t j = i + 1; j < close; ++j) {
            const std::string_view line = lines[j];
            f.code.append(line.substr(std::min(indent, indent_of(line))));
            f.code += '\n';
        }
        out.push_back(std::move(f));
        i = close;
    }
    return out;
}

bool defines(std::string_view code, std::string_view entry) {
    if (entry.empty()) return false;
    for (std::string_view line : split_lines(code)) {
        for (std::string_view opener : {"def ", "async def "}) {
            if (line.rfind(opener, 0) != 0) continue;
            const std::string_view rest = trim(line.substr(opener.size()));
            if (rest.rfind(entry, 0) == 0 && trim(rest.substr(entry.size())).rfind('(', 0) == 0) return true;
        }
    }
    return false;
}

// A line at the left margin that reads as prose: a first word that is no Python
// keyword, followed by a space and a word ("This function returns ...").
bool prose(std::string_view line) {
    if (line.empty() || line[0] == ' ' || line[0] == '\t') return false;
    std::size_t word = 0;
    while (word < line.size() && (std::isalnum(static_cast<unsigned char>(line[word])) || line[word] == '_')) ++word;
    if (word == 0 || word + 1 >= line.size() || line[word] != ' ') return false;
    static const char* const keywords[] = {"def", "class", "import", "from", "if", "elif", "else", "for", "while",
                                           "try", "except", "finally", "with", "return", "assert", "async", "await",
                                           "raise", "del", "global", "nonlocal", "pass", "print", "lambda", "yield",
                                           "not", "match", "case", "type"};
    const std::string_view first = line.substr(0, word);
    for (const char* keyword : keywords)
        if (first == keyword) return false;
    return std::isalpha(static_cast<unsigned char>(line[word + 1])) != 0;
}

extraction bare_program(std::string_view text) {
    const std::vector<std::string_view> lines = split_lines(text);
    for (std::size_t i = 0; i < lines.size(); ++i) {
        const std::string_view line = lines[i];
        if (line.rfind("def ", 0) != 0 && line.rfind("import ", 0) != 0 && line.rfind("from ", 0) != 0) continue;
        const std::size_t start = static_cast<std::size_t>(line.data() - text.data());
        std::size_t end = text.size();
        for (std::size_t j = i + 1; j < lines.size(); ++j) {
            if (prose(lines[j])) {
                end = static_cast<std::size_t>(lines[j].data() - text.data());
                break;
            }
        }
        return found(std::string(text.substr(start, end - start)), "bare-def");
    }
    return none();
}

} // namespace

extraction extract_program(std::string_view text, bool lenient, std::string_view entry) {
    if (!lenient) return strict_program(text);
    bool cut = false;
    const std::vector<fence> all = fences(text, cut);
    const fence* last_python = nullptr;
    const fence* last_other = nullptr;
    const fence* python_defining = nullptr;
    const fence* any_defining = nullptr;
    for (const fence& f : all) {
        (f.python ? last_python : last_other) = &f;
        if (defines(f.code, entry)) {
            any_defining = &f;
            if (f.python) python_defining = &f;
        }
    }
    // Without an entry point: a python fence wins over other fences (those are often
    // usage examples). A fence that defines the entry point wins over both, and is
    // named entry-fence only when it is not the one that rule would have taken.
    const fence* usual = last_python ? last_python : last_other;
    const fence* chosen = python_defining ? python_defining : any_defining ? any_defining : usual;
    if (chosen) return found(chosen->code, chosen != usual ? "entry-fence" : last_python ? "python-fence" : "any-fence");
    // A cut fence holds a cut program: no program, whatever follows the cut.
    if (cut) return none();
    return bare_program(text);
}

} // namespace headroom
