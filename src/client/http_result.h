// What one HTTP attempt came back with: a status and body, or the transport failure
// that kept it from getting one. Shared by the transport and the retry layer.
#pragma once
#include <string>

namespace headroom::client {

enum class transport_error {
    none,       // a complete HTTP response arrived (any status)
    timeout,    // the attempt's deadline passed
    connect,    // could not connect (refused, unreachable)
    reset,      // the connection broke mid-exchange (reset, closed, partial body)
    too_large,  // the body exceeded the client's size cap
    other,
};

struct http_result {
    transport_error error = transport_error::none;
    std::string error_text;   // transport's message when error != none
    long status = 0;          // HTTP status when error == none
    std::string body;
    std::string retry_after;  // the Retry-After header, verbatim ("" if absent)
    std::string location;     // the Location header of a redirect ("" if absent)
    double elapsed_ms = 0;
};

} // namespace headroom::client
