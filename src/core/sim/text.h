// Text of the simulated pool: queries built from grammars and vocabularies, and
// answers written the way each model habitually writes them.
#pragma once
#include "rng.h"
#include "sim/simulate.h"

#include <string>
#include <vector>

namespace headroom::sim {

struct drafted_query {
    std::string subject;
    std::string text;
    std::vector<std::string> options;   // mcq
    char gold_letter = 'A';             // mcq
    long long answer = 0;               // numeric
    std::vector<long long> steps;       // numeric: intermediate results, in order
    std::string property;               // mcq: what the question asks about
};

drafted_query draft_mcq_query(rng& r);
drafted_query draft_numeric_query(rng& r);

// Reasoning of about `reasoning_tokens` tokens, then the final answer in `habit`.
std::string write_mcq_answer(rng& r, const drafted_query& q, char letter, mcq_habit habit, int reasoning_tokens);
std::string write_numeric_answer(rng& r, const drafted_query& q, long long value, numeric_habit habit,
                                 int reasoning_tokens);
std::string write_refusal(rng& r);

std::string number_in_words(long long n);        // 0 <= n < 10^9
std::string with_thousands_separators(long long n);

} // namespace headroom::sim
