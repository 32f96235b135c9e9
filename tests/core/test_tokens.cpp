// The study's token rule (tokens.h): a run of letters/digits split every 4 bytes,
// never inside a UTF-8 sequence; each punctuation byte is a token; white space is free.
#include "core/base/tokens.h"

#include "test_support.h"

using headroom::count_tokens;
using headroom::truncate_to_tokens;

TEST_CASE("tokens: counting ASCII text by hand", "[tokens]") {
    CHECK(count_tokens("") == 0);
    CHECK(count_tokens("   \n\t\r ") == 0);
    CHECK(count_tokens("a") == 1);
    CHECK(count_tokens("abcd") == 1);        // exactly one 4-byte piece
    CHECK(count_tokens("abcde") == 2);       // abcd | e
    CHECK(count_tokens("abcdefgh") == 2);
    CHECK(count_tokens("abcdefghi") == 3);
    CHECK(count_tokens("Hello, world!") == 6);  // Hell o , worl d !
    CHECK(count_tokens("1,250") == 3);          // 1 , 250
    CHECK(count_tokens("$1,250.00.") == 7);     // $ 1 , 250 . 00 .
    CHECK(count_tokens("**B**") == 5);
    CHECK(count_tokens("a  b\n\nc") == 3);
    CHECK(count_tokens("forty-two") == 4);      // fort y - two
}

TEST_CASE("tokens: truncate_to_tokens keeps the longest prefix within the budget", "[tokens]") {
    const std::string_view text = "Hello, world! Bye.";  // Hell o , worl d ! Bye . = 8 tokens
    REQUIRE(count_tokens(text) == 8);
    CHECK(truncate_to_tokens(text, 0) == "");
    CHECK(truncate_to_tokens(text, 1) == "Hell");
    CHECK(truncate_to_tokens(text, 2) == "Hello");
    CHECK(truncate_to_tokens(text, 3) == "Hello,");
    CHECK(truncate_to_tokens(text, 6) == "Hello, world!");  // the space after it is dropped
    CHECK(truncate_to_tokens(text, 7) == "Hello, world! Bye");
    CHECK(truncate_to_tokens(text, 8) == text);
    CHECK(truncate_to_tokens(text, 1000) == text);
    // The kept prefix always holds exactly min(budget, count) tokens.
    for (std::uint32_t b = 0; b <= 9; ++b) CHECK(count_tokens(truncate_to_tokens(text, b)) == std::min<std::uint32_t>(b, 8));
    // A text that fits is returned whole, trailing space included.
    CHECK(truncate_to_tokens("ab  ", 5) == "ab  ");
}

TEST_CASE("tokens: UTF-8 sequences are never split", "[tokens]") {
    const std::string e_acute = "\xC3\xA9";  // é, two bytes
    // "abcé": the fourth byte is é's lead byte, so the piece extends over its continuation.
    CHECK(count_tokens("abc" + e_acute) == 1);
    CHECK(truncate_to_tokens("abc" + e_acute + " x", 1) == "abc" + e_acute);
    CHECK(count_tokens(e_acute + e_acute) == 1);
    const std::string snowman = "\xE2\x98\x83";  // three bytes
    CHECK(count_tokens("ab" + snowman) == 1);
    const std::string mixed = "ab" + snowman + "cd" + snowman + snowman + "z";
    for (std::uint32_t b = 1; b < 6; ++b) {
        const auto kept = truncate_to_tokens(mixed, b);
        INFO("budget " << b);
        CHECK(!headroom::find_invalid_utf8(kept).has_value());
    }
}

TEST_CASE("tokens: a word keeps splitting every 4 bytes after a UTF-8 character", "[tokens]") {
    // "abcédefgh" = a b c [C3 A9] d e f g h. The piece "abcé" ends after é (5 bytes, not
    // split inside the sequence); then "defg" and "h": 3 tokens, under either reading of
    // "every 4 characters" (bytes or code points).
    const std::string word = "abc\xC3\xA9" "defgh";
    CHECK(count_tokens(word) == 3);
    CHECK(truncate_to_tokens(word, 1) == "abc\xC3\xA9");
    CHECK(truncate_to_tokens(word, 2) == "abc\xC3\xA9" "defg");
    // A long accented word must not count as one token.
    CHECK(count_tokens("abc\xC3\xA9" "defghijklmnopqrstuvwxyz") > 5);
}
