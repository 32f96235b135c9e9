// Answer extraction from model text: the graders `strict` (P1's published rules,
// reproduced exactly so P1's numbers can be) and `lenient` (format-tolerant, same
// gold). Both are hand-written scanners, no regex engine: extraction runs over every
// generation of every study, in the browser too.
#pragma once
#include "core/study/study.h"

#include <span>
#include <string>
#include <string_view>

namespace headroom {

struct extraction {
    bool found = false;
    std::string answer;      // mcq: a letter; numeric: a canonical number ("1234", "-0.5")
    std::string_view rule;   // which rule matched ("none" when nothing did)
};

// P1's rules. mcq: the last standalone letter among the options' letters (a letter
// with no word character on either side). numeric: the last number in the text,
// matched as digits with an optional decimal part, keeping its integer digits only
// (sign and decimals dropped, thousands separators split the number).
extraction extract_strict(task_kind kind, std::string_view text, std::size_t option_count);

// Format-tolerant rules, tried in order, each named in extraction::rule:
//   mcq:     answer-line ("Answer: B", "the answer is (B)", "final answer: **B**"),
//            answer-option-text ("the answer is carbon"), bold-letter (**B**),
//            paren-letter ((B) or "B)" opening a line), option-text (the last line is
//            one option's text), last-letter (as strict).
//   numeric: boxed (\boxed{..}), hash-line (#### ..), answer-line ("answer is 1,250 apples"),
//            last-number (signs, decimals, thousands separators, fractions, units),
//            number-words ("forty-two") when the text has no digits.
// Nothing is invented: no rule fires, no answer.
extraction extract_lenient(task_kind kind, std::string_view text, std::span<const std::string> options);

// The program in a code answer, for the exec grader (program_extract.cpp).
//   strict:  the last closed ```python fenced block (rule python-fence).
//   lenient: fences opened by ``` or ~~~, indented or not (their indentation removed);
//            the last python fence that defines `entry`, else the last fence of any
//            language that defines it (later fences are usage examples), else the last
//            python fence, else the last other fence; named python-fence or any-fence
//            as the fence's language, or entry-fence when defining `entry` made the
//            choice (a fence other than the last python, or last, one); else, unless the answer was cut inside a fence, the text
//            from the first line that starts a definition or import (bare-def), up to
//            the first prose line at the left margin after it.
// `entry`: the function the tests call ("" when unknown).
extraction extract_program(std::string_view text, bool lenient, std::string_view entry = {});

// Whether an extracted answer equals the gold. Numbers compare by value.
bool answer_matches(task_kind kind, std::string_view answer, std::string_view gold);

// Parses a number as written in prose: "-1,234.50", "3/4", "$12", "45%". Returns false if
// `text` does not start with one. `consumed` tells how many bytes it used.
bool parse_prose_number(std::string_view text, double& value, std::size_t& consumed);
// Canonical text for a number: no exponent, no trailing zeros, "-0" as "0".
std::string canonical_number(double value);

} // namespace headroom
