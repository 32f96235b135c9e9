// Fault injection for the simulated endpoint: the failures a client meets against real
// servers (rate limits, errors, hangs, resets, broken bodies, `n` ignored), at set
// rates, so the sampler's retry layer can be tested against them.
//
// Each request's fault is a function of its body and of how many times that exact body
// arrived before, so a run's faults do not depend on the order in which concurrent
// requests happen to land, and a retried request draws again.
#pragma once
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace headroom::serve {

enum class fault : std::uint8_t {
    none,
    rate_limited,  // 429 with Retry-After
    server_error,  // 500
    unavailable,   // 503
    hang,          // no reply until the client gives up (or the server stops)
    reset,         // the connection is reset mid-reply
    malformed,     // 200 with a cut-off JSON body
};
std::string_view to_string(fault f);

// Probabilities of the exclusive faults (sum at most 1), and of ignoring `n`.
struct fault_spec {
    double rate_limited = 0, server_error = 0, unavailable = 0, hang = 0, reset = 0, malformed = 0;
    double ignore_n = 0;
    int retry_after_s = 1;  // the Retry-After header of a 429

    bool any() const;
};

// "429=0.2,retry_after=1,500=0.1,503=0.1,hang=0.05,reset=0.05,malformed=0.05,ignore_n=1".
// Keys may come in any order and each at most once; "" means no faults. Throws
// std::invalid_argument naming the key at fault.
fault_spec parse_fault_spec(std::string_view text);

struct fault_draw {
    fault kind = fault::none;
    bool ignore_n = false;
};

class fault_injector {
public:
    fault_injector(fault_spec spec, std::uint64_t seed) : spec_(spec), seed_(seed) {}
    const fault_spec& spec() const { return spec_; }
    // Thread-safe; counts the arrivals of each distinct body.
    fault_draw draw(std::string_view body);

private:
    fault_spec spec_;
    std::uint64_t seed_;
    std::mutex mutex_;
    std::unordered_map<std::uint64_t, std::uint32_t> arrivals_;  // by hash of the body
};

} // namespace headroom::serve
