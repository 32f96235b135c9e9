// The exec grader's journal: an append-only file beside the study (grades.jsonl.partial)
// that records each program's verdict as soon as its run ends, so that `headroom grade`
// killed at any moment resumes where it stopped and ends with the grades.jsonl an
// uninterrupted run writes. grades.jsonl itself is only ever replaced whole, at the end.
//
// One JSON object per line: generation, grader (exec:strict / exec:lenient), program
// (a fingerprint of the program and its tests, so a stale entry for text that has
// since changed is never reused), status, detail, and rule when the grade's rule is not
// the extraction's (the in-process fallback). A last line cut by the kill is
// dropped; any other unreadable line is an input_error naming file, line and field.
#pragma once
#include "core/grading/grade.h"

#include <fstream>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace headroom::cli {

struct journal_entry {
    std::string generation, grader, program;
    exec_outcome outcome;
};

// SHA-256 of the program's length, the program and the tests, as 64 hex digits.
std::string program_fingerprint(std::string_view program, std::string_view tests);

class exec_journal {
public:
    // Reads what earlier runs recorded at `path` (if anything) and opens it for appending.
    explicit exec_journal(std::string path);

    // The recorded outcome of that job, or null.
    const exec_outcome* find(const std::string& generation, const std::string& grader,
                             const std::string& program) const;
    std::size_t size() const { return entries_.size(); }

    // Appends and flushes: once this returns, a kill cannot lose the entries.
    void append(const std::vector<journal_entry>& entries);
    // After grades.jsonl is in place, the journal has served.
    void remove();

private:
    std::string path_;
    std::unordered_map<std::string, journal_entry> entries_;  // by generation + grader
    std::ofstream out_;
};

} // namespace headroom::cli
