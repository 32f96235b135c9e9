#include "core/grading/extract.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>

namespace headroom {
namespace {

// Character classes are ASCII, whatever the C locale (std::isalnum follows it, and a
// desktop window library may set one): P1's regexes and the Python reference read \w and
// \d as ASCII.
bool is_digit(char c) { return c >= '0' && c <= '9'; }
char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }
bool is_word(char c) { return is_digit(c) || (lower(c) >= 'a' && lower(c) <= 'z') || c == '_'; }

bool in_range(char c, unsigned char lo, unsigned char hi) {
    return static_cast<unsigned char>(c) >= lo && static_cast<unsigned char>(c) <= hi;
}

// Eight bytes at a time. The scans below look for bytes that are rare in prose (option
// letters, digits, the letter pairs of the answer markers), and most of a text holds none:
// testing a 64-bit word per step, a few integer operations for eight bytes, skips those
// stretches several times faster than a compare and a branch per byte. Plain integer
// arithmetic, no intrinsics: the same code builds to WebAssembly. Only whether a word
// holds a match is used, never where (the bytes are then read one by one), so the byte
// order of the load does not matter.
using chunk = std::uint64_t;
constexpr std::size_t chunk_size = sizeof(chunk);
constexpr chunk ones = 0x0101010101010101u;  // times a byte value: that byte in every lane
constexpr chunk high_bits = ones * 0x80;
constexpr chunk low_bits = ones * 0x7f;

chunk load_chunk(const char* p) {
    chunk w;
    std::memcpy(&w, p, sizeof w);
    return w;
}

// Nonzero if some byte of w is within [lo, hi] (hi at most 0x7f; none if lo > hi). Every
// sum below stays within its byte (at most 0x7f + 0x80), so no carry spills into a
// neighbour: the test is exact.
chunk any_byte_between(chunk w, unsigned char lo, unsigned char hi) {
    const chunk low7 = w & low_bits;
    const chunk at_least_lo = low7 + ones * (0x80u - lo);  // top bit set where the byte is >= lo
    const chunk above_hi = low7 + ones * (0x7fu - hi);     // top bit set where it is > hi
    return at_least_lo & ~above_hi & ~w & high_bits;      // ~w: bytes from 0x80 up never match
}

// Nonzero if some byte of w is zero (the classic test: exact about whether, not where).
chunk any_zero_byte(chunk w) { return (w - ones) & ~w & high_bits; }

// The last position before `end` whose byte is within [lo, hi] (ASCII), or npos.
std::size_t last_in_range(std::string_view text, std::size_t end, unsigned char lo, unsigned char hi) {
    while (end >= chunk_size && !any_byte_between(load_chunk(text.data() + end - chunk_size), lo, hi)) end -= chunk_size;
    while (end-- > 0)
        if (in_range(text[end], lo, hi)) return end;
    return std::string_view::npos;
}

// Case-insensitive: does `text` contain `needle` (lowercase) at `pos`?
bool iequal_at(std::string_view text, std::size_t pos, std::string_view needle) {
    if (pos + needle.size() > text.size()) return false;
    for (std::size_t i = 0; i < needle.size(); ++i)
        if (lower(text[pos + i]) != needle[i]) return false;
    return true;
}

// The option letters: 'A' up to the n-th letter. They are ASCII: for more than 26 options
// the range runs on past 'Z', up to the last ASCII byte; for none it is empty (it ends
// before 'A').
struct option_letters {
    unsigned char last;
    explicit option_letters(std::size_t n)
        : last(static_cast<unsigned char>('A' - 1 + std::min<std::size_t>(n, 0x7f - 'A' + 1))) {}
    bool contains(char c) const { return in_range(c, 'A', last); }
    // The last position before `end` holding one of the letters, or npos.
    std::size_t last_before(std::string_view text, std::size_t end) const { return last_in_range(text, end, 'A', last); }
};

// A standalone letter at i: no word character on either side.
bool standalone_letter(std::string_view text, std::size_t i, option_letters letters) {
    if (!letters.contains(text[i])) return false;
    if (i > 0 && is_word(text[i - 1])) return false;
    if (i + 1 < text.size() && is_word(text[i + 1])) return false;
    return true;
}

std::size_t last_standalone_letter(std::string_view text, option_letters letters) {
    for (std::size_t i = letters.last_before(text, text.size()); i != std::string_view::npos;
         i = letters.last_before(text, i))
        if (standalone_letter(text, i, letters)) return i;
    return std::string_view::npos;
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
    return s;
}

// Decoration that may stand between an answer marker and the answer itself.
std::size_t skip_decoration(std::string_view text, std::size_t pos) {
    for (;;) {
        const std::size_t before = pos;
        while (pos < text.size() && (text[pos] == ' ' || text[pos] == ':' || text[pos] == '*' || text[pos] == '(' ||
                                     text[pos] == '[' || text[pos] == '$' || text[pos] == '\t'))
            ++pos;
        for (std::string_view word : {"option ", "choice ", "letter "})
            if (iequal_at(text, pos, word)) pos += word.size();
        if (pos == before) return pos;
    }
}

bool ieq(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (lower(a[i]) != lower(b[i])) return false;
    return true;
}

// The option whose text `s` begins with (case-insensitive, whole option), longest first.
int option_prefix(std::string_view s, std::span<const std::string> options) {
    int best = -1;
    std::size_t best_len = 0;
    for (std::size_t i = 0; i < options.size(); ++i) {
        const std::string& o = options[i];
        if (o.empty() || o.size() < best_len || o.size() > s.size()) continue;
        if (!ieq(s.substr(0, o.size()), o)) continue;
        if (o.size() < s.size() && is_word(s[o.size()])) continue;
        best = static_cast<int>(i);
        best_len = o.size();
    }
    return best;
}

// The answer markers, case-insensitive: "answer is", "answer:", "answer would be",
// "answer =", "answer will be", "final answer", "correct option is", "correct choice is".
// Each holds "answer" or "correct ", written here as that core and what may follow (or,
// for "final answer", precede) it. At most one marker starts at any one place.
constexpr std::array<std::string_view, 5> answer_endings{" is", ":", " would be", " =", " will be"};
constexpr std::array<std::string_view, 2> correct_endings{"option is", "choice is"};

// The last j before `end` (end < text.size()) where text[j] and text[j + 1] are "sw" or
// "rr", in any case: the third and fourth letters of "answer" and "correct ", a pair
// rare in prose, so the marker scan can test eight bytes at a time.
std::size_t last_marker_pair(std::string_view text, std::size_t end) {
    constexpr chunk to_lower = ones * 0x20;  // with bit 5 set, only 'S' and 's' equal 's'
    while (end >= chunk_size) {
        // Two loads a byte apart: each lane holds a byte of `first` and the one after it.
        const chunk first = load_chunk(text.data() + end - chunk_size) | to_lower;
        const chunk second = load_chunk(text.data() + end - chunk_size + 1) | to_lower;
        if (any_zero_byte((first ^ (ones * 's')) | (second ^ (ones * 'w'))) ||
            any_zero_byte((first ^ (ones * 'r')) | (second ^ (ones * 'r'))))
            break;
        end -= chunk_size;
    }
    while (end-- > 0) {
        const char a = lower(text[end]), b = lower(text[end + 1]);
        if ((a == 's' && b == 'w') || (a == 'r' && b == 'r')) return end;
    }
    return std::string_view::npos;
}

// Offers each answer marker in the text to `accept(position, end of marker)`, from the
// last occurrence back, and stops at the first it accepts: the rules read the last
// marker followed by an answer. The scan finds the cores' letter pairs from the end back;
// a core offers its own marker, then "final answer" six bytes before it. No other core
// can start within "final ", so the markers come strictly from the last back.
template <class Accept>
bool last_marker(std::string_view text, Accept accept) {
    if (text.size() < 2) return false;
    for (std::size_t pair = last_marker_pair(text, text.size() - 1); pair != std::string_view::npos && pair >= 2;
         pair = last_marker_pair(text, pair)) {
        const std::size_t core = pair - 2;
        if (iequal_at(text, core, "answer")) {
            for (std::string_view ending : answer_endings)
                if (iequal_at(text, core + 6, ending) && accept(core, core + 6 + ending.size())) return true;
            if (core >= 6 && iequal_at(text, core - 6, "final ") && accept(core - 6, core + 6)) return true;
        } else if (iequal_at(text, core, "correct ")) {
            for (std::string_view ending : correct_endings)
                if (iequal_at(text, core + 8, ending) && accept(core, core + 8 + ending.size())) return true;
        }
    }
    return false;
}

// text.rfind(needle), found by forward searches: those skip to the needle's first
// character with memchr, where rfind compares the whole needle at every position.
std::size_t last_occurrence(std::string_view text, std::string_view needle) {
    std::size_t last = std::string_view::npos;
    for (std::size_t at = text.find(needle); at != std::string_view::npos; at = text.find(needle, at + 1)) last = at;
    return last;
}

extraction found(std::string answer, std::string_view rule) { return {true, std::move(answer), rule}; }
extraction none() { return {false, {}, "none"}; }

extraction lenient_mcq(std::string_view text, std::span<const std::string> options) {
    const option_letters letters(options.size());
    // answer-line and answer-option-text: the last answer marker that is followed by an answer.
    extraction best = none();
    if (last_marker(text, [&](std::size_t, std::size_t end) {
            const std::size_t at = skip_decoration(text, end);
            if (at >= text.size()) return false;
            if (standalone_letter(text, at, letters)) best = found(std::string(1, text[at]), "answer-line");
            else if (int o = option_prefix(text.substr(at), options); o >= 0)
                best = found(std::string(1, static_cast<char>('A' + o)), "answer-option-text");
            return best.found;
        }))
        return best;
    // bold-letter (the last **X**), paren-letter (the last "(X)", or "X)" opening a line) and
    // last-letter all sit on an option letter: one pass back over those letters finds the
    // last of each. Bold wins over the others wherever it is, so the first bold ends it.
    std::size_t paren = std::string_view::npos, standalone = std::string_view::npos;
    for (std::size_t i = letters.last_before(text, text.size()); i != std::string_view::npos;
         i = letters.last_before(text, i)) {
        if (i >= 2 && i + 2 < text.size() && text.substr(i - 2, 2) == "**" && text.substr(i + 1, 2) == "**")
            return found(std::string(1, text[i]), "bold-letter");
        if (paren == std::string_view::npos && i + 1 < text.size() && text[i + 1] == ')' &&
            (i == 0 || text[i - 1] == '(' || text[i - 1] == '\n'))
            paren = i;
        if (standalone == std::string_view::npos && standalone_letter(text, i, letters)) standalone = i;
    }
    if (paren != std::string_view::npos) return found(std::string(1, text[paren]), "paren-letter");
    // option-text: the last non-empty line is an option's text, give or take a full stop.
    std::string_view body = trim(text);
    const std::size_t nl = last_in_range(body, body.size(), '\n', '\n');
    std::string_view last = trim(nl == std::string_view::npos ? body : body.substr(nl + 1));
    if (!last.empty() && last.back() == '.') last.remove_suffix(1);
    for (std::size_t i = 0; i < options.size(); ++i)
        if (!options[i].empty() && ieq(last, options[i])) return found(std::string(1, static_cast<char>('A' + i)), "option-text");
    if (standalone != std::string_view::npos) return found(std::string(1, text[standalone]), "last-letter");
    return none();
}

struct number_word {
    std::string_view word;
    int value;
};
constexpr std::array<number_word, 28> number_words{{
    {"zero", 0},     {"one", 1},        {"two", 2},        {"three", 3},     {"four", 4},     {"five", 5},
    {"six", 6},      {"seven", 7},      {"eight", 8},      {"nine", 9},      {"ten", 10},     {"eleven", 11},
    {"twelve", 12},  {"thirteen", 13},  {"fourteen", 14},  {"fifteen", 15},  {"sixteen", 16}, {"seventeen", 17},
    {"eighteen", 18}, {"nineteen", 19}, {"twenty", 20},    {"thirty", 30},   {"forty", 40},   {"fifty", 50},
    {"sixty", 60},   {"seventy", 70},   {"eighty", 80},    {"ninety", 90},
}};

// Reads a number written in words at `pos` ("two hundred and forty-five").
bool parse_number_words(std::string_view text, std::size_t pos, double& value, std::size_t& consumed) {
    long long total = 0, current = 0;
    bool any = false;
    std::size_t p = pos, end = pos;
    for (;;) {
        std::size_t q = p;
        while (q < text.size() && (text[q] == ' ' || text[q] == '-')) ++q;
        if (any && iequal_at(text, q, "and ")) q += 4;
        bool matched = false;
        for (const auto& w : number_words) {
            if (iequal_at(text, q, w.word) &&
                (q + w.word.size() == text.size() || !is_word(text[q + w.word.size()]))) {
                current += w.value;
                p = end = q + w.word.size();
                matched = any = true;
                break;
            }
        }
        if (matched) continue;
        if (any && iequal_at(text, q, "hundred")) { current *= 100; p = end = q + 7; continue; }
        if (any && iequal_at(text, q, "thousand")) { total += current * 1000; current = 0; p = end = q + 8; continue; }
        if (any && iequal_at(text, q, "million")) { total += current * 1000000; current = 0; p = end = q + 7; continue; }
        break;
    }
    if (!any) return false;
    value = static_cast<double>(total + current);
    consumed = end - pos;
    return true;
}

// Finds the last number in `text` that parse_prose_number accepts; returns its start.
std::size_t last_number(std::string_view text, double& value) {
    for (std::size_t end = text.size(), i; (i = last_in_range(text, end, '0', '9')) != std::string_view::npos;) {
        // Walk back to the start of this numeral: digits, separators, a decimal point, a fraction bar.
        std::size_t start = i;
        while (start > 0 && (is_digit(text[start - 1]) ||
                             ((text[start - 1] == ',' || text[start - 1] == '.' || text[start - 1] == '/') &&
                              start >= 2 && is_digit(text[start - 2]))))
            --start;
        if (start > 0 && (text[start - 1] == '-' || text[start - 1] == '$')) --start;
        if (start > 0 && text[start - 1] == '-' && text[start] == '$') --start;
        std::size_t used = 0;
        if (parse_prose_number(text.substr(start), value, used)) return start;
        end = start;
    }
    return std::string_view::npos;
}

extraction lenient_numeric(std::string_view text) {
    double value = 0;
    std::size_t used = 0;
    // boxed: \boxed{...}, the last one.
    if (std::size_t b = last_occurrence(text, "\\boxed{"); b != std::string_view::npos) {
        if (parse_prose_number(text.substr(b + 7), value, used)) return found(canonical_number(value), "boxed");
    }
    // hash-line: "#### 42", the GSM8K convention.
    if (std::size_t h = last_occurrence(text, "####"); h != std::string_view::npos) {
        std::size_t at = h + 4;
        while (at < text.size() && text[at] == ' ') ++at;
        if (parse_prose_number(text.substr(at), value, used)) return found(canonical_number(value), "hash-line");
    }
    // answer-line: the last answer marker followed by a number, in digits or words.
    if (last_marker(text, [&](std::size_t, std::size_t end) {
            const std::size_t at = skip_decoration(text, end);
            return parse_prose_number(text.substr(at), value, used) || parse_number_words(text, at, value, used);
        }))
        return found(canonical_number(value), "answer-line");
    if (last_number(text, value) != std::string_view::npos) return found(canonical_number(value), "last-number");
    // number-words: only when the text holds no digits at all; the last whole phrase.
    bool any = false;
    for (std::size_t i = 0; i < text.size();) {
        if (i > 0 && is_word(text[i - 1])) { ++i; continue; }
        double v = 0;
        if (parse_number_words(text, i, v, used)) {
            value = v;
            any = true;
            i += used;
        } else {
            ++i;
        }
    }
    if (any) return found(canonical_number(value), "number-words");
    return none();
}

} // namespace

bool parse_prose_number(std::string_view text, double& value, std::size_t& consumed) {
    std::size_t p = 0;
    bool negative = false;
    if (p < text.size() && text[p] == '-') { negative = true; ++p; }
    if (p < text.size() && text[p] == '$') ++p;
    if (!negative && p < text.size() && text[p] == '-') { negative = true; ++p; }
    if (p >= text.size() || !is_digit(text[p])) return false;
    // Integer part, with thousands separators only in groups of three.
    double integer = 0;
    std::size_t digits = 0;
    while (p < text.size()) {
        if (is_digit(text[p])) {
            integer = integer * 10 + (text[p] - '0');
            ++digits;
            ++p;
        } else if (text[p] == ',' && p + 3 < text.size() && is_digit(text[p + 1]) &&
                   is_digit(text[p + 2]) && is_digit(text[p + 3]) &&
                   (p + 4 >= text.size() || !is_digit(text[p + 4]))) {
            ++p;
        } else {
            break;
        }
    }
    (void)digits;
    double result = integer;
    if (p + 1 < text.size() && text[p] == '.' && is_digit(text[p + 1])) {
        ++p;
        double scale = 0.1;
        while (p < text.size() && is_digit(text[p])) {
            result += (text[p] - '0') * scale;
            scale /= 10;
            ++p;
        }
    } else if (p + 1 < text.size() && text[p] == '/' && is_digit(text[p + 1])) {
        double denominator = 0;
        std::size_t q = p + 1;
        while (q < text.size() && is_digit(text[q])) denominator = denominator * 10 + (text[q++] - '0');
        if (denominator != 0) {
            result = integer / denominator;
            p = q;
        }
    }
    if (p < text.size() && text[p] == '%') ++p;
    value = negative ? -result : result;
    consumed = p;
    return true;
}

std::string canonical_number(double value) {
    if (value == 0) return "0";
    // Whole numbers, most answers, without printf (slow, and the main cost of a numeric
    // extraction): below 2^53 a whole double is exact as a long long, and "%.6f" prints
    // it as those digits and ".000000", which the trimming below would remove.
    if (std::fabs(value) < 9007199254740992.0 && value == std::trunc(value))
        return std::to_string(static_cast<long long>(value));
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.6f", value);
    std::string s(buf);
    while (s.back() == '0') s.pop_back();
    if (s.back() == '.') s.pop_back();
    return s == "-0" ? "0" : s;
}

extraction extract_strict(task_kind kind, std::string_view text, std::size_t option_count) {
    if (kind == task_kind::mcq) {
        const std::size_t i = last_standalone_letter(text, option_letters(option_count));
        if (i == std::string_view::npos) return none();
        return found(std::string(1, text[i]), "last-letter");
    }
    if (kind == task_kind::numeric) {
        // The last run of digits, with a decimal part after it belonging to the same number.
        const std::size_t last = last_in_range(text, text.size(), '0', '9');
        if (last == std::string_view::npos) return none();
        std::size_t end = last + 1, start = last;
        while (start > 0 && is_digit(text[start - 1])) --start;
        // "12.50": the run found last is the decimals; step back to the integer digits.
        if (start >= 2 && text[start - 1] == '.' && is_digit(text[start - 2])) {
            end = start - 1;
            start = end;
            while (start > 0 && is_digit(text[start - 1])) --start;
        }
        std::string_view digits = text.substr(start, end - start);
        while (digits.size() > 1 && digits.front() == '0') digits.remove_prefix(1);
        return found(std::string(digits), "last-integer");
    }
    return none();
}

extraction extract_lenient(task_kind kind, std::string_view text, std::span<const std::string> options) {
    if (kind == task_kind::mcq) return lenient_mcq(text, options);
    if (kind == task_kind::numeric) return lenient_numeric(text);
    return none();
}

bool answer_matches(task_kind kind, std::string_view answer, std::string_view gold) {
    if (answer.empty()) return false;
    if (kind != task_kind::numeric) return answer == gold;
    double a = 0, g = 0;
    std::size_t used_a = 0, used_g = 0;
    if (!parse_prose_number(answer, a, used_a) || !parse_prose_number(gold, g, used_g)) return false;
    if (used_a != answer.size() || used_g != gold.size()) return false;
    return std::fabs(a - g) <= 1e-9 * std::fmax(1.0, std::fabs(g));
}

} // namespace headroom
