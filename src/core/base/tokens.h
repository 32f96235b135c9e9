// The study's token count. Real tokenizers differ per model; the simulator and the
// budget cut need one shared, deterministic rule: a token is a run of letters or
// digits (split every 4 characters, as subword tokenizers split long words) or a
// single punctuation character. White space is free.
#pragma once
#include <cstdint>
#include <string_view>

namespace headroom {

std::uint32_t count_tokens(std::string_view text);
// The longest prefix of `text` holding at most `budget` tokens (trailing space dropped).
std::string_view truncate_to_tokens(std::string_view text, std::uint32_t budget);

} // namespace headroom
