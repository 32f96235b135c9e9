// Lookups every reader of judge grades needs: which of the study's judges have grades,
// under which grader, on which scale; and each generation's grade row under a grader.
// The labels, the judge-bias measures and the query flags read them from here.
#pragma once
#include "core/study/study.h"

#include <cstdint>
#include <vector>

namespace headroom {

struct graded_judge {
    std::uint16_t judge = 0;   // index into judgment_table::judges
    std::uint16_t grader = 0;  // index into grade_table::graders ("judge:<name>")
    judge_scale scale = judge_scale::rubric;  // from the judge's first reply (rubric without one)
};

// The study's judges that have a `judge:<name>` grader, in the study's judge order.
std::vector<graded_judge> graded_judges(const study& s);

// Per generation, its row in the grade table under `grader`, or -1 when it has none.
std::vector<std::int32_t> grade_rows(const grade_table& t, std::uint16_t grader, std::size_t generations);

} // namespace headroom
