#include "core/analysis/query_flags.h"

#include "core/grading/judge.h"
#include "core/study/judge_grades.h"

namespace headroom {

std::vector<char> disputed_queries(const study& s, const study_index& index) {
    std::vector<char> flags(s.queries.size(), 0);
    const auto judges = graded_judges(s);
    if (judges.size() < 2) return flags;
    const auto& g = s.generations;
    for (std::uint32_t gen = 0; gen < g.size(); ++gen) {
        int first = -1;  // the first usable verdict: 1 pass, 0 fail
        for (const graded_judge& j : judges) {
            const std::int32_t row = index.grade_row(j.grader, gen);
            if (row < 0 || s.grades.status[static_cast<std::size_t>(row)] != grade_status::ok) continue;
            const int pass = judge_passes(j.scale, s.grades.score[static_cast<std::size_t>(row)]) ? 1 : 0;
            if (first < 0) first = pass;
            else if (first != pass) flags[g.query[gen]] = 1;
        }
    }
    return flags;
}

std::vector<char> truncated_queries(const study& s, std::uint32_t budget) {
    std::vector<char> flags(s.queries.size(), 0);
    const auto& g = s.generations;
    for (std::size_t i = 0; i < g.size(); ++i)
        if (g.budget[i] == budget && g.finish[i] == finish_reason::length) flags[g.query[i]] = 1;
    return flags;
}

} // namespace headroom
