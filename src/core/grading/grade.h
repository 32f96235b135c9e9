// Grading a whole study: every grader reads text and writes grades.
//   strict / lenient     answer extraction on mcq and numeric generations (core)
//   judge:<name>         the verdict in each judge reply (core)
//   exec:strict/lenient  the program extracted by each rule, executed against the
//                        query's tests (the sandbox runs it; the core plans and records)
#pragma once
#include "core/study/study.h"

#include <string>
#include <vector>

namespace headroom {

// Each replaces that grader's grades if present and keeps every other grader's.
void grade_extractions(study& s);
void grade_judgments(study& s);

// The programs the exec graders need: one per (code generation, extraction rule) that
// found a program. Generations without one are graded `invalid` by add_exec_grades.
struct exec_job {
    std::uint32_t generation = 0;
    bool lenient = false;
    std::string program;
    std::string rule;
};
std::vector<exec_job> plan_exec(const study& s);

// Program output made fit for a grade's detail: invalid UTF-8 bytes become U+FFFD, and
// the text is cut at a character boundary to at most `cap` bytes. A detail holds what
// the program printed, so it is capped to keep what it may carry (a secret it read)
// short as well as to keep grades.jsonl small.
constexpr std::size_t exec_detail_cap = 600;
std::string clean_detail(std::string_view text, std::size_t cap = exec_detail_cap);

struct exec_outcome {
    grade_status status = grade_status::sandbox_error;  // passed, failed, timeout, memory, sandbox_error
    std::string detail;                                 // why, in words (may quote program output)
    std::string rule;                                   // empty: the extraction rule; else replaces it
};
// `outcomes[i]` is the result of `jobs[i]`.
void add_exec_grades(study& s, const std::vector<exec_job>& jobs, const std::vector<exec_outcome>& outcomes);

} // namespace headroom
