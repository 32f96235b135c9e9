// The OpenAI-compatible API of the simulated pool, without the HTTP: a request body in,
// a status and a JSON body out. A model answers a task prompt with the generation the
// simulator wrote for (query, model, budget = max_tokens, sample = seed + choice); a
// judge answers a judge prompt with the reply the simulator wrote for that generation.
//
// Conventions shared with the sampler (src/sample):
// - `seed` is the sample index of the first choice; choice i is sample seed + i.
// - temperature 0 asks for the greedy draw (sample 0's), any other value must be the
//   pool's own temperature; absent means the pool's own.
// - `max_tokens` (or `max_completion_tokens`) must be one of the study's budgets.
// - Queries with identical texts, and identical answers judged (the same text at two
//   budgets, say), are told apart by `metadata.query` (a query id) and
//   `metadata.generation` (a generation id, "<query>.<model>.b<budget>.s<sample>");
//   without them the first in study order is taken.
#pragma once
#include "serve/pool.h"

#include <string>
#include <string_view>

namespace headroom::serve {

struct reply {
    int status = 200;
    std::string body;        // JSON
    double latency_ms = 0;   // how long a real model would have taken (realistic latency)
};

// ignore_n: answer one choice whatever `n` asks (the fault some servers have for real).
reply complete_chat(const simulated_pool& pool, std::string_view body, bool ignore_n);

// GET /v1/models: the pool's models, then its judges.
std::string list_models(const simulated_pool& pool);

// {"error": {"message", "type", "param", "code"}}, as OpenAI writes errors.
std::string error_body(std::string_view message, std::string_view type, std::string_view param = {},
                       std::string_view code = {});

// Request bodies larger than this are refused with 413.
inline constexpr std::size_t max_request_bytes = 4u << 20;

} // namespace headroom::serve
