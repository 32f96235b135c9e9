#include "sandbox/capture.h"

#include <catch2/catch.hpp>

using headroom::sandbox::detail::capped_output;

TEST_CASE("capture keeps everything under the cap", "[capture]") {
    capped_output out(100);
    out.append("hello ");
    out.append("world");
    CHECK(out.text() == "hello world");
    CHECK(out.total() == 11);
    CHECK(out.tail(5) == "world");
}

TEST_CASE("capture keeps head and tail past the cap and counts the rest", "[capture]") {
    capped_output out(20);  // 10 bytes of head, 10 of tail
    out.append("HEAD567890");
    for (int i = 0; i < 1000; ++i) out.append("middle-");
    out.append("...TAIL890");
    CHECK(out.total() == 10 + 7000 + 10);
    const std::string text = out.text();
    CHECK(text.rfind("HEAD567890", 0) == 0);
    CHECK(text.size() >= 10);
    CHECK(text.substr(text.size() - 10) == "...TAIL890");
    CHECK(text.find("[7000 bytes omitted]") != std::string::npos);
    CHECK(out.tail(4) == "L890");
}

TEST_CASE("capture handles one huge chunk without keeping it", "[capture]") {
    capped_output out(8);
    out.append(std::string(1 << 20, 'x') + "tail");
    CHECK(out.total() == (1u << 20) + 4);
    CHECK(out.text().size() < 64);
    CHECK(out.tail(4) == "tail");
}
