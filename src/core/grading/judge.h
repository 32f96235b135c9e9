// The judge grader: reads a judge model's reply and finds its verdict. A reply with
// no verdict, or with more than one, is a parse failure: an outcome of its own that
// is counted and reported, never read as a score of 0 and never dropped.
#pragma once
#include "core/study/study.h"

#include <string_view>

namespace headroom {

struct judge_verdict {
    bool parsed = false;
    double score = 0;            // rubric 0..2, or 1..10 (decimals allowed: "[[9.5]]")
    std::string_view problem;    // why it did not parse: "no verdict", "several verdicts"
};

// Rubric replies carry "[[0]]", "[[1]]" or "[[2]]"; ten-point replies "Rating: 7" or "[[7]]",
// also with a decimal part ("[[9.5]]", "Rating: [[8.5]]").
judge_verdict parse_judge_reply(std::string_view reply, judge_scale scale);

// Whether a parsed score passes: rubric 2 (fully correct), ten-point 7 or more.
bool judge_passes(judge_scale scale, double score);

} // namespace headroom
