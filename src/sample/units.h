// Units of work and their identity. A unit is one sample of one model on one query
// under one budget. Its ledger key names the model, the endpoint, a hash of the
// canonical sampling parameters, the query id and the sample index, never the prompt
// text: two queries with identical text stay two units.
#pragma once
#include "sample/plan.h"

#include <cstdint>
#include <string>

namespace headroom::sample {

// The hash of everything that shapes a generation besides the query and the sample:
// served model, budget, temperature, top_p, seed base and the prompt template.
std::string sampling_params_hash(const plan& p, const model_spec& m, std::uint32_t budget, task_kind kind);

std::string unit_key(const std::string& model, const std::string& endpoint, const std::string& params_hash,
                     const std::string& query, std::uint32_t sample);

// `--shard i/N` (i from 0): shard i takes every query whose position in the plan's
// query order is i modulo N, with all its models, budgets and samples, so a request
// for n samples is never split across machines.
struct shard {
    std::uint32_t index = 0, count = 1;
    bool holds(std::size_t query_position) const { return query_position % count == index; }
    std::string text() const { return std::to_string(index) + "/" + std::to_string(count); }
};
shard parse_shard(const std::string& text);  // throws std::invalid_argument with the reason

// 64-bit FNV-1a, as 16 hex digits: stable across platforms and runs.
std::string hash_hex(std::string_view text);

} // namespace headroom::sample
