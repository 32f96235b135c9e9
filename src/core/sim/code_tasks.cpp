#include "core/sim/code_tasks.h"

#include <algorithm>
#include <array>
#include <string_view>

namespace headroom::sim {
namespace {

// One family: a function body per variant, with {K} for the parameter. Bodies are
// indented by four spaces and follow the signature line.
struct family {
    std::string_view name, function, signature, summary;
    std::string_view correct, off_by_one, wrong_operator, missed_edge_case;
    enum { int_list, text, int_n } input;
    long long k_lo, k_hi;
    // Fixed cases ('|'-separated Python arguments, {K} substituted) that the random
    // cases may miss: each catches a planted fault that would otherwise pass.
    std::string_view edges = {};
};

constexpr std::array<family, 10> families{{
    {"sum-multiples", "sum_multiples", "def sum_multiples(values: list) -> int:",
     "Return the sum of the numbers in `values` that are divisible by {K} (0 for an empty list).",
     "    return sum(v for v in values if v % {K} == 0)\n",
     "    return sum(v for v in values if v % ({K} + 1) == 0)\n",
     "    return sum(v for v in values if v % {K} != 0)\n",
     "    return sum(v for v in values if v % {K} == 0 and v > 0)\n", family::int_list, 2, 7},
    {"count-above", "count_above", "def count_above(values: list) -> int:",
     "Return how many numbers in `values` are strictly greater than {K}.",
     "    count = 0\n    for v in values:\n        if v > {K}:\n            count += 1\n    return count\n",
     "    count = 0\n    for v in values:\n        if v >= {K}:\n            count += 1\n    return count\n",
     "    count = 0\n    for v in values:\n        if v < {K}:\n            count += 1\n    return count\n",
     "    count = 0\n    for v in values[1:]:\n        if v > {K}:\n            count += 1\n    return count\n",
     family::int_list, 0, 30, "[{K}, {K} + 1, {K}]"},
    {"running-total", "running_total", "def running_total(values: list) -> list:",
     "Return the list of running totals of `values`, each element plus {K}; an empty list gives an empty list.",
     "    out, total = [], 0\n    for v in values:\n        total += v\n        out.append(total + {K})\n    return out\n",
     "    out, total = [], 0\n    for v in values[:-1]:\n        total += v\n        out.append(total + {K})\n    return out\n",
     "    out, total = [], 0\n    for v in values:\n        total -= v\n        out.append(total + {K})\n    return out\n",
     "    out, total = [values[0] + {K}], values[0]\n    for v in values[1:]:\n        total += v\n        out.append(total + {K})\n    return out\n",
     family::int_list, 0, 5},
    {"second-largest", "second_largest", "def second_largest(values: list) -> int:",
     "Return the second largest distinct number in `values`, or {K} when there are fewer than two distinct numbers.",
     "    distinct = sorted(set(values))\n    return distinct[-2] if len(distinct) >= 2 else {K}\n",
     "    distinct = sorted(set(values))\n    return distinct[-3] if len(distinct) >= 3 else {K}\n",
     "    distinct = sorted(set(values))\n    return distinct[1] if len(distinct) >= 2 else {K}\n",
     "    ordered = sorted(values)\n    return ordered[-2] if len(ordered) >= 2 else {K}\n",
     family::int_list, -1, 0, "[5, 5, 3]"},
    {"clamp-values", "clamp_values", "def clamp_values(values: list) -> list:",
     "Return `values` with every number limited to the range 0 to {K}, inclusive.",
     "    return [min(max(v, 0), {K}) for v in values]\n",
     "    return [min(max(v, 0), {K} - 1) for v in values]\n",
     "    return [max(min(v, 0), {K}) for v in values]\n",
     "    return [min(v, {K}) for v in values]\n", family::int_list, 10, 40},
    {"count-vowels", "count_vowels", "def count_vowels(text: str) -> int:",
     "Return the number of vowels (a, e, i, o, u, in either case) in `text`, plus {K}.",
     "    return sum(1 for ch in text.lower() if ch in 'aeiou') + {K}\n",
     "    return sum(1 for ch in text.lower()[1:] if ch in 'aeiou') + {K}\n",
     "    return sum(1 for ch in text.lower() if ch not in 'aeiou') + {K}\n",
     "    return sum(1 for ch in text if ch in 'aeiou') + {K}\n", family::text, 0, 3, "'Anna echo'"},
    {"longest-word", "longest_word", "def longest_word(text: str) -> int:",
     "Return the length of the longest word in `text` (words are separated by spaces), or {K} if there is none.",
     "    words = text.split()\n    return max(len(w) for w in words) if words else {K}\n",
     "    words = text.split()\n    return max(len(w) for w in words) + 1 if words else {K}\n",
     "    words = text.split()\n    return min(len(w) for w in words) if words else {K}\n",
     "    return max(len(w) for w in text.split())\n", family::text, 0, 0},
    {"palindrome-check", "is_palindrome", "def is_palindrome(text: str) -> bool:",
     "Return True when `text`, ignoring case and every character that is not a letter or digit, reads the same "
     "backwards, and has at least {K} such characters.",
     "    kept = [ch.lower() for ch in text if ch.isalnum()]\n    return len(kept) >= {K} and kept == kept[::-1]\n",
     "    kept = [ch.lower() for ch in text if ch.isalnum()]\n    return len(kept) > {K} and kept == kept[::-1]\n",
     "    kept = [ch.lower() for ch in text if ch.isalnum()]\n    return len(kept) >= {K} or kept == kept[::-1]\n",
     "    kept = [ch for ch in text if ch.isalnum()]\n    return len(kept) >= {K} and kept == kept[::-1]\n",
     family::text, 1, 3, "'Anna'|'a' * {K}|'ab' * {K}"},
    {"run-length", "run_length", "def run_length(text: str) -> str:",
     "Return the run-length encoding of `text`: each run of a repeated character becomes the character followed by "
     "the run's length; runs shorter than {K} keep just the character.",
     "    out, i = [], 0\n    while i < len(text):\n        j = i\n        while j < len(text) and text[j] == text[i]:\n"
     "            j += 1\n        out.append(text[i] + (str(j - i) if j - i >= {K} else ''))\n        i = j\n"
     "    return ''.join(out)\n",
     "    out, i = [], 0\n    while i < len(text):\n        j = i\n        while j < len(text) and text[j] == text[i]:\n"
     "            j += 1\n        out.append(text[i] + (str(j - i - 1) if j - i >= {K} else ''))\n        i = j\n"
     "    return ''.join(out)\n",
     "    out, i = [], 0\n    while i < len(text):\n        j = i\n        while j < len(text) and text[j] == text[i]:\n"
     "            j += 1\n        out.append(text[i] + (str(j - i) if j - i <= {K} else ''))\n        i = j\n"
     "    return ''.join(out)\n",
     "    out, i, j = [], 0, 1\n    while j <= len(text):\n        if j == len(text) or text[j] != text[i]:\n"
     "            out.append(text[i] + (str(j - i) if j - i >= {K} else ''))\n            i = j\n        j += 1\n"
     "    return ''.join(out) if text[0] else ''\n",
     family::text, 1, 2},
    {"triangle-number", "triangle_number", "def triangle_number(n: int) -> int:",
     "Return 1 + 2 + ... + n, taken modulo {K}; for n <= 0 return 0.",
     "    return sum(range(1, n + 1)) % {K} if n > 0 else 0\n",
     "    return sum(range(1, n)) % {K} if n > 0 else 0\n",
     "    return sum(range(1, n + 1)) // {K} if n > 0 else 0\n",
     "    return (n * (n + 1) // 2) % {K}\n", family::int_n, 97, 1009, "-3"},
}};

constexpr std::array<std::string_view, 16> words{"river", "Anna", "level", "stone", "aabbbc", "noon", "Kayak",
                                                 "mountain", "zzz", "echo", "Madam", "lamp", "ooh", "bee", "I", "x"};

std::string replace_all(std::string text, std::string_view key, const std::string& value) {
    for (std::size_t pos = 0; (pos = text.find(key, pos)) != std::string::npos; pos += value.size())
        text.replace(pos, key.size(), value);
    return text;
}

std::string int_list(rng& r, std::size_t length) {
    std::string out = "[";
    for (std::size_t i = 0; i < length; ++i) {
        if (i) out += ", ";
        out += std::to_string(static_cast<long long>(r.below(71)) - 20);
    }
    return out + "]";
}

std::string text_case(rng& r) {
    std::string out;
    const std::size_t n = r.below(4);
    for (std::size_t i = 0; i < n; ++i) {
        if (i) out += ' ';
        out += words[static_cast<std::size_t>(r.below(words.size()))];
    }
    return "'" + out + "'";
}

// Literal argument tuples, always including the empty or zero case that edge-case
// faults trip on, then the family's fixed edge cases.
std::string cases(rng& r, const family& f, long long k) {
    std::string out = "_CASES = [\n";
    for (int i = 0; i < 8; ++i) {
        std::string arg;
        switch (f.input) {
        case family::int_list: arg = i == 0 ? "[]" : int_list(r, 1 + r.below(8)); break;
        case family::text: arg = i == 0 ? "''" : text_case(r); break;
        case family::int_n:
            arg = std::to_string(i == 0 ? 0 : i == 1 ? -1 - static_cast<long long>(r.below(5)) : static_cast<long long>(r.below(400)));
            break;
        }
        out += "    (" + arg + ",),\n";
    }
    for (std::size_t start = 0; start < f.edges.size();) {
        const std::size_t bar = std::min(f.edges.find('|', start), f.edges.size());
        out += "    (" + replace_all(std::string(f.edges.substr(start, bar - start)), "{K}", std::to_string(k)) + ",),\n";
        start = bar + 1;
    }
    return out + "]\n";
}

} // namespace

const char* to_string(code_fault f) {
    static constexpr std::array<const char*, code_fault_count> names{
        "none", "off_by_one", "wrong_operator", "missed_edge_case",
        "wrong_return_type", "syntax_error", "infinite_loop", "excessive_memory"};
    return names[static_cast<std::size_t>(f)];
}

int code_family_count() { return static_cast<int>(families.size()); }

code_task draft_code_task(rng& r, int index) {
    const family& f = families[static_cast<std::size_t>(index)];
    code_task t;
    t.family = index;
    t.subject = f.name;
    t.function = f.function;
    t.signature = f.signature;
    t.k = f.k_lo + static_cast<long long>(r.below(static_cast<std::uint64_t>(f.k_hi - f.k_lo + 1)));
    t.summary = replace_all(std::string(f.summary), "{K}", std::to_string(t.k));
    // The reference is the correct body under another name; the check compares value
    // and type, so a right number returned as a string fails.
    std::string reference = replace_all(std::string(f.signature), f.function, "_reference") + "\n" +
                            replace_all(std::string(f.correct), "{K}", std::to_string(t.k));
    t.tests = reference + "\n\n" + cases(r, f, t.k) +
              "\n\ndef check(candidate):\n"
              "    for args in _CASES:\n"
              "        expected = _reference(*args)\n"
              "        got = candidate(*args)\n"
              "        assert type(got) is type(expected) and got == expected, "
              "f'{args!r}: expected {expected!r}, got {got!r}'\n\n\n"
              "check(" + t.function + ")\n";
    return t;
}

std::string write_solution(const code_task& task, code_fault fault) {
    const family& f = families[static_cast<std::size_t>(task.family)];
    std::string_view body = f.correct;
    if (fault == code_fault::off_by_one) body = f.off_by_one;
    if (fault == code_fault::wrong_operator) body = f.wrong_operator;
    if (fault == code_fault::missed_edge_case) body = f.missed_edge_case;
    std::string code = std::string(f.signature) + "\n" + replace_all(std::string(body), "{K}", std::to_string(task.k));
    switch (fault) {
    case code_fault::wrong_return_type: {
        // Every return statement hands back the right value in the wrong type: a
        // string, or a list of characters where a string is due.
        const bool returns_text = f.signature.find("-> str") != std::string_view::npos;
        code = replace_all(code, "    return ", returns_text ? "    return list(" : "    return str(");
        std::string fixed;
        std::size_t start = 0;
        for (std::size_t nl; (nl = code.find('\n', start)) != std::string::npos; start = nl + 1) {
            std::string line = code.substr(start, nl - start);
            if (line.find("return str(") != std::string::npos || line.find("return list(") != std::string::npos) line += ")";
            fixed += line + "\n";
        }
        code = fixed;
        break;
    }
    case code_fault::syntax_error: code.erase(code.find(":\n"), 1); break;
    case code_fault::infinite_loop:
        code.insert(code.find('\n') + 1, "    while True:\n        pass\n");
        break;
    case code_fault::excessive_memory:
        code.insert(code.find('\n') + 1, "    cache = [0] * (10 ** 10)\n");
        break;
    default: break;
    }
    return code;
}

} // namespace headroom::sim
