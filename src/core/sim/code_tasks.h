// The library of code tasks behind the simulated code benchmarks: each family is a
// small Python function with a correct solution, plausible faulty variants, and a
// real test program that the `exec` grader runs.
#pragma once
#include "core/base/rng.h"

#include <string>
#include <vector>

namespace headroom::sim {

enum class code_fault : std::uint8_t {
    none,
    off_by_one,
    wrong_operator,
    missed_edge_case,
    wrong_return_type,
    syntax_error,
    infinite_loop,
    excessive_memory,
};
inline constexpr int code_fault_count = 8;
const char* to_string(code_fault f);

struct code_task {
    int family = 0;          // index into the library
    std::string subject;     // the family's name, used as the query's subject
    std::string function;    // the function's name
    std::string signature;   // "def f(values: list) -> int:"
    std::string summary;     // one sentence: what the function must do
    long long k = 0;         // the family's parameter (a divisor, a threshold, ...)
    std::string tests;       // a reference, literal cases, check(candidate), check(function)
};

int code_family_count();
// Draws a task of one family (0 <= family < code_family_count()), with its own cases.
code_task draft_code_task(rng& r, int family);
// The task's function, written correctly (fault none) or with the given fault.
std::string write_solution(const code_task& task, code_fault fault);

} // namespace headroom::sim
