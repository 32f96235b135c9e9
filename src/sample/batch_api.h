// The OpenAI Batch API's JSONL files, so a plan can also go through a provider's batch
// endpoint: write the requests a plan's shard still needs (one line per request,
// custom_id naming its units), and read the provider's output file back into the
// ledger, after which `headroom sample` writes the study as usual (with nothing left
// to send, or only what the batch failed).
#pragma once
#include "sample/ledger.h"
#include "sample/plan.h"
#include "sample/units.h"

#include <string>

namespace headroom::sample {

struct batch_counts {
    std::size_t requests = 0, units = 0, failed = 0;
};

// Writes the batch input for every unit the ledger does not hold as done.
batch_counts write_batch_input(const plan& p, const study& queries, const ledger& l, const shard& part,
                               const std::string& path);

// Reads a batch output file into the ledger: each response becomes the units' done
// entries, or failed entries with the status and the provider's message. Lines that do
// not belong to this plan are input_errors naming the line and field.
batch_counts read_batch_output(const plan& p, const study& queries, ledger& l, const std::string& path);

} // namespace headroom::sample
