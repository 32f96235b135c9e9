#include "core/sim/judges.h"

#include <algorithm>
#include <array>
#include <string_view>

namespace headroom::sim {
namespace {

constexpr std::array<std::string_view, 3> rationale{
    "The response does not answer the question correctly.",
    "The response is partly right but incomplete or imprecise.",
    "The response answers the question correctly and completely.",
};

std::string verdict(const judge_spec& judge, rng& r, int grade) {
    if (judge.scale == judge_scale::rubric) return "[[" + std::to_string(grade) + "]]";
    // Grades map to bands of the 1-10 scale: 0 -> 1-3, 1 -> 4-6, 2 -> 7-10.
    static constexpr std::array<int, 3> low{1, 4, 7}, width{3, 3, 4};
    const int score = low[static_cast<std::size_t>(grade)] + static_cast<int>(r.below(static_cast<std::uint64_t>(width[static_cast<std::size_t>(grade)])));
    return "Rating: " + std::to_string(score);
}

} // namespace

judge_reply write_judge_reply(rng& r, const judge_spec& judge, int true_quality, std::uint32_t answer_tokens,
                              bool harsh_query) {
    judge_reply out;
    int grade = true_quality;
    if (grade == 2 && harsh_query && r.bernoulli(judge.harsh_penalty)) grade = 1;
    if (grade == 2 && answer_tokens < judge.concise_tokens && r.bernoulli(judge.concise_penalty)) grade = 1;
    if (grade == 0 && answer_tokens > judge.verbose_tokens && r.bernoulli(judge.verbose_reward)) grade = 2;
    if (r.bernoulli(judge.noise)) grade = std::clamp(grade + (r.bernoulli(0.5) ? 1 : -1), 0, 2);
    out.intended_grade = grade;
    const std::string because(rationale[static_cast<std::size_t>(grade)]);
    const double u = r.uniform();
    if (u < judge.no_verdict) {
        out.malformed = true;
        out.text = because + " I cannot settle on a single score for this one.";
    } else if (u < judge.no_verdict + judge.two_verdicts) {
        out.malformed = true;
        const int other = grade == 2 ? 1 : grade + 1;
        out.text = because + " Score: " + verdict(judge, r, grade) + ", or arguably " + verdict(judge, r, other) + ".";
    } else {
        out.text = because + " " + verdict(judge, r, grade);
    }
    return out;
}

} // namespace headroom::sim
