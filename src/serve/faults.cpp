#include "serve/faults.h"

#include "core/base/rng.h"

#include <charconv>
#include <set>
#include <stdexcept>

namespace headroom::serve {

std::string_view to_string(fault f) {
    switch (f) {
    case fault::none: return "none";
    case fault::rate_limited: return "429";
    case fault::server_error: return "500";
    case fault::unavailable: return "503";
    case fault::hang: return "hang";
    case fault::reset: return "reset";
    case fault::malformed: return "malformed";
    }
    return "none";
}

bool fault_spec::any() const {
    return rate_limited + server_error + unavailable + hang + reset + malformed + ignore_n > 0;
}

namespace {

double parse_number(std::string_view key, std::string_view value) {
    double out = 0;
    const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), out);
    if (ec != std::errc() || end != value.data() + value.size())
        throw std::invalid_argument("--faults: " + std::string(key) + ": '" + std::string(value) + "' is not a number");
    return out;
}

} // namespace

fault_spec parse_fault_spec(std::string_view text) {
    fault_spec spec;
    std::set<std::string, std::less<>> seen;
    while (!text.empty()) {
        const std::size_t comma = text.find(',');
        const std::string_view item = text.substr(0, comma);
        text = comma == std::string_view::npos ? std::string_view() : text.substr(comma + 1);
        const std::size_t eq = item.find('=');
        if (eq == std::string_view::npos)
            throw std::invalid_argument("--faults: '" + std::string(item) + "' is not key=value");
        const std::string_view key = item.substr(0, eq);
        const double value = parse_number(key, item.substr(eq + 1));
        if (!seen.insert(std::string(key)).second)
            throw std::invalid_argument("--faults: " + std::string(key) + " is given twice");
        if (key == "retry_after") {
            if (value < 0 || value > 3600 || value != static_cast<int>(value))
                throw std::invalid_argument("--faults: retry_after: whole seconds from 0 to 3600");
            spec.retry_after_s = static_cast<int>(value);
            continue;
        }
        double* slot = key == "429"         ? &spec.rate_limited
                       : key == "500"       ? &spec.server_error
                       : key == "503"       ? &spec.unavailable
                       : key == "hang"      ? &spec.hang
                       : key == "reset"     ? &spec.reset
                       : key == "malformed" ? &spec.malformed
                       : key == "ignore_n"  ? &spec.ignore_n
                                            : nullptr;
        if (!slot)
            throw std::invalid_argument("--faults: unknown key '" + std::string(key) +
                                        "' (429, 500, 503, hang, reset, malformed, ignore_n, retry_after)");
        if (!(value >= 0 && value <= 1))
            throw std::invalid_argument("--faults: " + std::string(key) + ": a probability from 0 to 1");
        *slot = value;
    }
    const double exclusive =
        spec.rate_limited + spec.server_error + spec.unavailable + spec.hang + spec.reset + spec.malformed;
    if (exclusive > 1 + 1e-12)
        throw std::invalid_argument("--faults: 429 + 500 + 503 + hang + reset + malformed add up to more than 1");
    return spec;
}

fault_draw fault_injector::draw(std::string_view body) {
    fault_draw out;
    if (!spec_.any()) return out;
    const std::uint64_t key = derive_seed(seed_, body);
    std::uint32_t arrival = 0;
    {
        const std::lock_guard lock(mutex_);
        arrival = arrivals_[key]++;
    }
    rng r(derive_seed(key, "fault", arrival));
    const double probabilities[] = {spec_.rate_limited, spec_.server_error, spec_.unavailable,
                                    spec_.hang,         spec_.reset,        spec_.malformed};
    const fault kinds[] = {fault::rate_limited, fault::server_error, fault::unavailable,
                           fault::hang,         fault::reset,        fault::malformed};
    double u = r.uniform();
    for (std::size_t i = 0; i < std::size(kinds); ++i) {
        if (u < probabilities[i]) {
            out.kind = kinds[i];
            break;
        }
        u -= probabilities[i];
    }
    out.ignore_n = r.bernoulli(spec_.ignore_n);
    return out;
}

} // namespace headroom::serve
