#include "core/study/judge_grades.h"

namespace headroom {

std::vector<graded_judge> graded_judges(const study& s) {
    const auto& j = s.judgments;
    std::vector<graded_judge> out;
    for (std::size_t k = 0; k < j.judges.size(); ++k) {
        const auto grader = s.grades.find_grader("judge:" + j.judges[k]);
        if (!grader) continue;
        graded_judge g{static_cast<std::uint16_t>(k), *grader, judge_scale::rubric};
        for (std::size_t i = 0; i < j.size(); ++i)
            if (j.judge[i] == k) {
                g.scale = j.scale[i];
                break;
            }
        out.push_back(g);
    }
    return out;
}

std::vector<std::int32_t> grade_rows(const grade_table& t, std::uint16_t grader, std::size_t generations) {
    std::vector<std::int32_t> rows(generations, -1);
    for (std::size_t r = 0; r < t.size(); ++r)
        if (t.grader[r] == grader) rows[t.generation[r]] = static_cast<std::int32_t>(r);
    return rows;
}

} // namespace headroom
