// Python literals as the exec grader reads them: a value's repr() text, parsed by the
// trusted side into a canonical form. The candidate's process only ever hands back
// text; nothing it returns is an object the grader evaluates, so an __eq__ that says
// yes to everything, a patched builtin or a forged type cannot reach the comparison.
//
// Accepted: None, True, False, ints, floats (with inf and nan), str and bytes (any
// quoting, the escapes repr writes), and tuples, lists, dicts, sets, set() and
// frozenset({...}) of those. Anything else (a class's repr, a complex, an object
// address) is not a plain literal and is refused.
#pragma once
#include <string>
#include <string_view>

namespace headroom {

enum class literal_kind { none, boolean, integer, floating, text, bytes, tuple, list, dict, set, frozenset };

struct literal {
    literal_kind kind = literal_kind::none;
    // Two values are == in Python iff their canonical texts are equal: numbers by
    // value (True == 1 == 1.0), sets and dicts regardless of order.
    std::string canonical;
};

// False, with `error` saying where and why, when `text` is not one plain literal.
bool parse_literal(std::string_view text, literal& out, std::string& error);

// `identical` also wants the same type at the top (the check `type(got) is type(expected)`).
bool literals_equal(const literal& got, const literal& expected, bool identical);

} // namespace headroom
