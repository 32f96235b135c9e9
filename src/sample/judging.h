// `headroom judge DIR --plan PLAN.json`: every generation of a sampled study sent to the
// plan's one or two judges (P2's 0/1/2 rubric, or the 1-10 scale), through the same
// client, retry layer and ledger as sampling; the replies become judgments.jsonl, which
// the `judge:<name>` graders read.
#pragma once
#include "sample/plan.h"

#include <functional>
#include <map>
#include <string>

namespace headroom::sample {

struct judge_summary {
    std::size_t units = 0, already_done = 0, ok = 0, truncated = 0, empty = 0, failed = 0, retries = 0;
    std::map<std::string, std::size_t> failed_by_reason;
};

inline constexpr const char* judge_ledger_file = "judge_ledger.jsonl";

judge_summary run_judging(const plan& p, const std::string& study_dir,
                          const std::function<void(std::size_t, std::size_t)>& on_progress = {});

std::string summary_text(const judge_summary& s);

} // namespace headroom::sample
