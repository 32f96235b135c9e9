// The fault spec and the injector's draws: parsing with errors that name the key, rates
// close to the spec, and draws that depend on the body and its arrival count only.
#include "serve/faults.h"

#include <catch2/catch.hpp>

#include <array>
#include <cmath>
#include <stdexcept>
#include <string>

using namespace headroom::serve;

TEST_CASE("faults: the spec parses every key", "[faults]") {
    const fault_spec s = parse_fault_spec("429=0.2,retry_after=3,500=0.1,503=0.1,hang=0.05,reset=0.05,malformed=0.05,ignore_n=1");
    CHECK(s.rate_limited == 0.2);
    CHECK(s.retry_after_s == 3);
    CHECK(s.server_error == 0.1);
    CHECK(s.unavailable == 0.1);
    CHECK(s.hang == 0.05);
    CHECK(s.reset == 0.05);
    CHECK(s.malformed == 0.05);
    CHECK(s.ignore_n == 1);
    CHECK_FALSE(parse_fault_spec("").any());
}

TEST_CASE("faults: a bad spec names the key", "[faults][bad_input]") {
    auto message = [](const char* spec) {
        try {
            parse_fault_spec(spec);
        } catch (const std::invalid_argument& e) {
            return std::string(e.what());
        }
        return std::string("no error");
    };
    CHECK(message("404=0.1") == "--faults: unknown key '404' (429, 500, 503, hang, reset, malformed, ignore_n, retry_after)");
    CHECK(message("429=x") == "--faults: 429: 'x' is not a number");
    CHECK(message("429") == "--faults: '429' is not key=value");
    CHECK(message("500=1.5") == "--faults: 500: a probability from 0 to 1");
    CHECK(message("500=0.1,500=0.2") == "--faults: 500 is given twice");
    CHECK(message("retry_after=1.5") == "--faults: retry_after: whole seconds from 0 to 3600");
    CHECK(message("429=0.6,500=0.6") == "--faults: 429 + 500 + 503 + hang + reset + malformed add up to more than 1");
}

TEST_CASE("faults: draws follow the body and its arrivals, at the spec's rates", "[faults]") {
    const fault_spec spec = parse_fault_spec("429=0.2,500=0.1,503=0.1,hang=0.05,reset=0.05,malformed=0.05,ignore_n=0.3");
    fault_injector a(spec, 9), b(spec, 9), other_seed(spec, 10);
    std::array<int, 7> counts{};
    int ignored = 0, differ = 0;
    const int n = 20000;
    for (int i = 0; i < n; ++i) {
        const std::string body = "{\"request\": " + std::to_string(i) + "}";
        const fault_draw first = a.draw(body);
        CHECK(b.draw(body).kind == first.kind);  // same seed, same body, same arrival
        differ += other_seed.draw(body).kind != first.kind;
        ++counts[static_cast<std::size_t>(first.kind)];
        ignored += first.ignore_n;
    }
    // Within 5 standard deviations of the binomial.
    auto near = [&](int count, double p) {
        const double sd = std::sqrt(n * p * (1 - p));
        INFO("count " << count << ", expected " << n * p);
        CHECK(std::abs(count - n * p) < 5 * sd);
    };
    near(counts[static_cast<std::size_t>(fault::none)], 0.45);
    near(counts[static_cast<std::size_t>(fault::rate_limited)], 0.2);
    near(counts[static_cast<std::size_t>(fault::server_error)], 0.1);
    near(counts[static_cast<std::size_t>(fault::unavailable)], 0.1);
    near(counts[static_cast<std::size_t>(fault::hang)], 0.05);
    near(counts[static_cast<std::size_t>(fault::reset)], 0.05);
    near(counts[static_cast<std::size_t>(fault::malformed)], 0.05);
    near(ignored, 0.3);
    CHECK(differ > n / 3);  // another seed, other faults

    // A retried body draws again: over many arrivals of one body, a fault does not stick.
    fault_injector c(spec, 9);
    int clean = 0;
    for (int i = 0; i < 200; ++i) clean += c.draw("{\"same\": 1}").kind == fault::none;
    CHECK(clean > 50);
    CHECK(clean < 150);
}
