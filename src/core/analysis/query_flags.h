// Flags of evaluation artifacts: per query, what the query inspector filters by,
// computed once per study (disputed) or per budget (truncated); per model, how often
// its generations carry each artifact, which `report` prints. Here rather than in a
// panel, so the CLI and tests read the same definitions.
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

// One model's generations at one budget, by artifact. A generation may carry several.
struct artifact_counts {
    std::size_t generations = 0;
    std::size_t truncated = 0;            // finish = length
    // finish unknown (an imported log) and output tokens at the budget: cut, perhaps
    std::size_t suspected_truncated = 0;
    std::size_t empty = 0;                // no text but white space (a pack without texts: not counted)
    std::size_t extracted = 0;            // mcq and numeric generations with an extraction grade
    std::size_t no_answer = 0;            //   of which no answer under the lenient extractor
    std::size_t extractors_disagree = 0;  //   of which strict and lenient found different answers
    std::size_t judged = 0;               // generations with a judge's grade
    std::size_t judge_unparsable = 0;     //   of which some judge's reply held no single verdict
};

// Per model (study order), at `budget`.
std::vector<artifact_counts> artifact_flags(const study& s, const study_index& index, std::uint32_t budget);

} // namespace headroom
