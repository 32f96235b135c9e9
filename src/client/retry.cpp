#include "client/retry.h"

#include "core/base/rng.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>

namespace headroom::client {

namespace {

constexpr std::size_t max_message_bytes = 500;

std::string clip(std::string_view text) {
    std::string out(text.substr(0, max_message_bytes));
    if (text.size() > max_message_bytes) out += "...";
    return out;
}

// OpenAI reports an exhausted account as 429 with code or type "insufficient_quota";
// waiting does not help, so it must not be retried like a rate limit.
bool is_insufficient_quota(std::string_view body) {
    const auto value = nlohmann::json::parse(body, nullptr, false);
    if (value.is_discarded() || !value.is_object()) return body.find("insufficient_quota") != std::string_view::npos;
    const auto it = value.find("error");
    if (it == value.end() || !it->is_object()) return false;
    for (const char* key : {"code", "type"}) {
        const auto field = it->find(key);
        if (field != it->end() && field->is_string() && *field == "insufficient_quota") return true;
    }
    return false;
}

} // namespace

std::string server_message(std::string_view body) {
    const auto value = nlohmann::json::parse(body, nullptr, false);
    if (!value.is_discarded() && value.is_object()) {
        const auto it = value.find("error");
        if (it != value.end()) {
            if (it->is_string()) return clip(it->get<std::string>());
            if (it->is_object()) {
                const auto message = it->find("message");
                if (message != it->end() && message->is_string()) return clip(message->get<std::string>());
            }
        }
    }
    return clip(body);
}

std::optional<failure> classify(const http_result& result, const std::optional<std::string>& malformed_body) {
    switch (result.error) {
    case transport_error::none: break;
    case transport_error::timeout: return failure{true, "timeout", result.error_text};
    case transport_error::connect: return failure{true, "connection_failed", result.error_text};
    case transport_error::reset: return failure{true, "connection_reset", result.error_text};
    case transport_error::too_large: return failure{true, "malformed_body", result.error_text};
    case transport_error::other: return failure{false, "transport_error", result.error_text};
    }
    const long s = result.status;
    if (s >= 200 && s < 300) {
        if (malformed_body) return failure{true, "malformed_body", *malformed_body};
        return std::nullopt;
    }
    const std::string reason = "http_" + std::to_string(s);
    // Redirects are not followed (a POST would lose its body): say where it points.
    if (s >= 300 && s < 400)
        return failure{false, reason,
                       "the endpoint redirects (HTTP " + std::to_string(s) + ") " +
                           (result.location.empty() ? std::string("without a Location")
                                                    : "to " + clip(result.location)) +
                           "; set the plan's endpoint URL to the final address"};
    if (s == 429 && is_insufficient_quota(result.body))
        return failure{false, "insufficient_quota", server_message(result.body)};
    const bool retryable = s == 408 || s == 409 || s == 429 || s >= 500;
    return failure{retryable, reason, server_message(result.body)};
}

double backoff_seconds(const retry_policy& policy, int failed_attempts, std::optional<double> retry_after_s,
                       rng& random) {
    const int k = std::max(1, failed_attempts);
    const double ceiling = std::min(policy.max_delay_s, policy.base_delay_s * std::ldexp(1.0, std::min(k - 1, 60)));
    const double jittered = random.uniform(0.0, ceiling);
    return retry_after_s ? std::max(jittered, *retry_after_s) : jittered;
}

std::optional<double> parse_retry_after(std::string_view header, std::time_t now) {
    while (!header.empty() && (header.front() == ' ' || header.front() == '\t')) header.remove_prefix(1);
    while (!header.empty() && (header.back() == ' ' || header.back() == '\t' || header.back() == '\r' ||
                               header.back() == '\n'))
        header.remove_suffix(1);
    if (header.empty()) return std::nullopt;
    if (std::all_of(header.begin(), header.end(), [](char c) { return c >= '0' && c <= '9'; })) {
        if (header.size() > 9) return std::nullopt;  // more than 31 years: not a real instruction
        return static_cast<double>(std::stol(std::string(header)));
    }
    // IMF-fixdate, e.g. "Sun, 06 Nov 1994 08:49:37 GMT".
    static constexpr const char* months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                             "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    char weekday[4] = {}, month[4] = {}, zone[4] = {};
    int day = 0, year = 0, hour = 0, minute = 0, second = 0;
    const std::string text(header);
    if (std::sscanf(text.c_str(), "%3s, %d %3s %d %d:%d:%d %3s", weekday, &day, month, &year, &hour, &minute,
                    &second, zone) != 8 ||
        std::string_view(zone) != "GMT")
        return std::nullopt;
    int mon = -1;
    for (int i = 0; i < 12; ++i)
        if (std::string_view(month) == months[i]) mon = i;
    if (mon < 0 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) return std::nullopt;
    std::tm tm{};
    tm.tm_year = year - 1900;
    tm.tm_mon = mon;
    tm.tm_mday = day;
    tm.tm_hour = hour;
    tm.tm_min = minute;
    tm.tm_sec = second;
    const std::time_t when = timegm(&tm);
    return std::max(0.0, std::difftime(when, now));
}

} // namespace headroom::client
