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

std::vector<artifact_counts> artifact_flags(const study& s, const study_index& index, std::uint32_t budget) {
    std::vector<artifact_counts> out(s.models.size());
    const auto& g = s.generations;
    const auto strict = s.grades.find_grader("strict");
    const auto lenient = s.grades.find_grader("lenient");
    const auto judges = graded_judges(s);
    const auto status_of = [&](std::optional<std::uint16_t> grader, std::uint32_t gen) -> const grade_status* {
        if (!grader) return nullptr;
        const std::int32_t row = index.grade_row(*grader, gen);
        return row < 0 ? nullptr : &s.grades.status[static_cast<std::size_t>(row)];
    };
    const auto answer_of = [&](std::uint16_t grader, std::uint32_t gen) {
        return s.grades.answer[static_cast<std::size_t>(index.grade_row(grader, gen))];
    };
    for (std::uint32_t gen = 0; gen < g.size(); ++gen) {
        if (g.budget[gen] != budget) continue;
        artifact_counts& c = out[g.model[gen]];
        ++c.generations;
        if (g.finish[gen] == finish_reason::length) ++c.truncated;
        if (g.finish[gen] == finish_reason::unknown && budget != unknown_budget &&
            g.output_tokens[gen] != unknown_tokens && g.output_tokens[gen] >= budget)
            ++c.suspected_truncated;
        if (!s.info.texts_omitted && g.text[gen].find_first_not_of(" \t\r\n") == std::string_view::npos) ++c.empty;
        const grade_status* by_strict = status_of(strict, gen);
        const grade_status* by_lenient = status_of(lenient, gen);
        if (by_strict || by_lenient) {
            ++c.extracted;
            const grade_status* read = by_lenient ? by_lenient : by_strict;
            if (*read == grade_status::invalid) ++c.no_answer;
            if (by_strict && by_lenient &&
                (*by_strict != *by_lenient ||
                 (*by_strict == grade_status::ok && answer_of(*strict, gen) != answer_of(*lenient, gen))))
                ++c.extractors_disagree;
        }
        bool judged = false, unparsable = false;
        for (const graded_judge& j : judges)
            if (const grade_status* status = status_of(j.grader, gen)) {
                judged = true;
                unparsable = unparsable || *status == grade_status::parse_failure;
            }
        c.judged += judged;
        c.judge_unparsable += unparsable;
    }
    return out;
}

} // namespace headroom
