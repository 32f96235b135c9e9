// Text of the simulated pool: queries built from grammars and vocabularies, and
// answers written the way each model habitually writes them.
#pragma once
#include "core/base/rng.h"
#include "core/sim/code_tasks.h"
#include "core/sim/simulate.h"

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

drafted_query draft_mcq_query(rng& r);       // MMLU-like: ten subjects, four options
drafted_query draft_clinical_query(rng& r);  // MedQA-like: vignettes, five options
drafted_query draft_numeric_query(rng& r);   // GSM8K-like: multi-step word problems
drafted_query draft_instruct_query(rng& r);  // Alpaca-like open requests
drafted_query draft_chat_query(rng& r);      // ShareGPT-like multi-turn conversations

// Reasoning of about `reasoning_tokens` tokens, then the final answer in `habit`.
std::string write_mcq_answer(rng& r, const drafted_query& q, char letter, mcq_habit habit, int reasoning_tokens);
std::string write_numeric_answer(rng& r, const drafted_query& q, long long value, numeric_habit habit,
                                 int reasoning_tokens);
std::string write_refusal(rng& r);
// An open answer of about `tokens` tokens whose true quality is 0, 1 or 2.
std::string write_open_answer(rng& r, const drafted_query& q, int quality, int tokens);
// A short explanation, then the function in the model's habit.
std::string write_code_answer(rng& r, const code_task& task, code_fault fault, code_habit habit, int reasoning_tokens);

std::string number_in_words(long long n);        // 0 <= n < 10^9
std::string with_thousands_separators(long long n);

} // namespace headroom::sim
