// Ledger entries for units of sampling work, built the same way whether the response
// came over HTTP (sampler.cpp) or from a Batch API output file (batch.cpp).
#pragma once
#include "sample/chat.h"
#include "sample/plan.h"

#include <cstdint>
#include <string>
#include <vector>

namespace headroom::sample {

// Which units one request covers: samples first..first+n-1 of (query, model, budget),
// all indices into the plan and its query study.
struct request_units {
    std::size_t query = 0, model = 0, budget = 0;
    std::uint32_t first_sample = 0, n = 1;
    std::string mode;  // "n" (one request for n samples), "single", "single_fallback"
};

std::string key_of(const plan& p, const study& queries, const request_units& r, std::uint32_t sample);

// The request a unit group sends (sampling parameters explicit, seed = plan seed +
// first sample index).
json_value request_for(const plan& p, const study& queries, const request_units& r);

// One entry per unit, status "failed", with the reason and message.
std::vector<json_value> failed_entries(const plan& p, const study& queries, const request_units& r,
                                       const json_value& request, int attempts, const std::vector<std::string>& retried,
                                       const std::string& reason, const std::string& message);

// One entry per returned choice (status "ok", "length" or "empty"). Fewer choices than
// requested give fewer entries; the caller redoes the rest.
std::vector<json_value> done_entries(const plan& p, const study& queries, const request_units& r,
                                     const json_value& request, const chat_response& response, int attempts,
                                     const std::vector<std::string>& retried, double latency_ms);

} // namespace headroom::sample
