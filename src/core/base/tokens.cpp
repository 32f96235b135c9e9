#include "core/base/tokens.h"

namespace headroom {
namespace {

bool is_space(unsigned char c) { return c == ' ' || c == '\n' || c == '\t' || c == '\r'; }
// Letters, digits and every byte of a multi-byte UTF-8 character count as word bytes.
bool is_word(unsigned char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80;
}

// Calls on_token(end) after each token; stops early when it returns false.
template <class F>
void scan(std::string_view text, F on_token) {
    std::size_t i = 0;
    while (i < text.size()) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (is_space(c)) {
            ++i;
            continue;
        }
        if (is_word(c)) {
            std::size_t run = 0;
            while (i < text.size() && is_word(static_cast<unsigned char>(text[i]))) {
                ++i;
                // Never split inside a UTF-8 sequence: continuation bytes join their lead.
                if (++run >= 4 && (i >= text.size() || (static_cast<unsigned char>(text[i]) & 0xC0) != 0x80)) {
                    if (!on_token(i)) return;
                    run = 0;
                }
            }
            if (run && !on_token(i)) return;
        } else {
            ++i;
            if (!on_token(i)) return;
        }
    }
}

} // namespace

std::uint32_t count_tokens(std::string_view text) {
    std::uint32_t n = 0;
    scan(text, [&](std::size_t) { ++n; return true; });
    return n;
}

std::string_view truncate_to_tokens(std::string_view text, std::uint32_t budget) {
    if (budget == 0) return text.substr(0, 0);
    std::uint32_t n = 0;
    std::size_t end = text.size();
    bool cut = false;
    scan(text, [&](std::size_t token_end) {
        if (++n == budget) {
            end = token_end;
            cut = true;
            return false;
        }
        return true;
    });
    return cut ? text.substr(0, end) : text;
}

} // namespace headroom
