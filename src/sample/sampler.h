// `headroom sample`: every unit of a plan's shard through the dispatcher, each
// finished unit appended to the ledger, and at the end the study tables written from
// the ledger. A restarted run skips what the ledger holds as done.
#pragma once
#include "sample/ledger.h"
#include "sample/plan.h"
#include "sample/units.h"

#include <functional>
#include <map>
#include <string>

namespace headroom::sample {

struct run_options {
    shard part;
    std::size_t window = 0;  // requests queued or in flight at most; 0: twice the total concurrency
    std::function<void(std::size_t finished, std::size_t total)> on_progress;
};

struct run_summary {
    std::size_t units = 0;         // in this shard
    std::size_t already_done = 0;  // found in the ledger
    std::size_t ok = 0, truncated = 0, empty = 0, failed = 0;  // this run's units by status
    std::size_t content_filtered = 0;  // of ok and empty: cut by the provider's content filter
    std::size_t retries = 0;       // attempts that failed and were retried
    std::size_t n_fallbacks = 0;   // n > 1 requests redone as single requests
    std::map<std::string, std::size_t> failed_by_reason;
    std::size_t torn_bytes = 0;    // cut from the ledger's end when it was opened
};

inline constexpr const char* ledger_file = "ledger.jsonl";

run_summary run_sampling(const plan& p, const std::string& out_dir, const run_options& options);

// The study a plan's shard has produced so far: its queries, its models and every
// generation the ledger holds as done, in a canonical order (query, model, budget,
// sample) that does not depend on the order in which work finished.
study sampled_study(const plan& p, const study& queries, const ledger& l, const shard& part);

// Writes the study tables from the ledger alone, sending nothing (after a Batch API
// output file was read into the ledger).
void write_sampled_study(const plan& p, const std::string& out_dir, const shard& part);

std::string summary_text(const run_summary& s);

} // namespace headroom::sample
