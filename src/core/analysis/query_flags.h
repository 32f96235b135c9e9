// Per-query flags the query inspector filters by, computed once per study (disputed)
// or per budget (truncated), here rather than in the panel so the CLI and tests read
// the same definition.
#pragma once
#include "core/labels/labels.h"

#include <cstdint>
#include <vector>

namespace headroom {

// 1 for each query on which two judges gave one of its generations different
// verdicts (replies without a usable verdict do not count).
std::vector<char> disputed_queries(const study& s, const study_index& index);

// 1 for each query with a generation cut by the token budget (finish = length) at `budget`.
std::vector<char> truncated_queries(const study& s, std::uint32_t budget);

} // namespace headroom
