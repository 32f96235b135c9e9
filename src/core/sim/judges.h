// Simulated judges: they read an answer's true quality (0, 1, 2) and its length and
// reply in text, with the biases of real LLM judges planted at known rates.
#pragma once
#include "core/base/rng.h"
#include "core/study/study.h"

#include <string>

namespace headroom::sim {

struct judge_spec {
    std::string name;
    judge_scale scale = judge_scale::rubric;
    // Verbosity bias: a fully right answer shorter than concise_tokens loses a grade
    // with probability concise_penalty; a wrong one longer than verbose_tokens is
    // passed with probability verbose_reward.
    double concise_tokens = 0, concise_penalty = 0;
    double verbose_tokens = 1e9, verbose_reward = 0;
    // Query harshness: on this share of queries the judge fails a fully right answer
    // with probability harsh_penalty (a rubric it reads too literally for them).
    double harsh_share = 0, harsh_penalty = 0;
    double noise = 0;        // probability of a verdict one grade off
    double no_verdict = 0;   // replies without a verdict
    double two_verdicts = 0; // replies with two verdicts
};

struct judge_reply {
    std::string text;
    int intended_grade = 0;  // 0..2 after bias and noise, before any malformation
    bool malformed = false;
};

judge_reply write_judge_reply(rng& r, const judge_spec& judge, int true_quality, std::uint32_t answer_tokens,
                              bool harsh_query);

} // namespace headroom::sim
