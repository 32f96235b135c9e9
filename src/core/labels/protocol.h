// A protocol: the evaluation choices that turn generations into labels (the README, Protocols).
#pragma once
#include "core/study/judge_grades.h"
#include "core/study/study.h"

#include <string>
#include <string_view>

namespace headroom {

enum class extractor : std::uint8_t { strict, lenient };
enum class judge_mode : std::uint8_t { single, dual };
enum class aggregation : std::uint8_t { greedy, majority, pass_at_k, mean };
// How MAJ@k settles a tie between answers with equally many votes.
//   first_seen: the answer that appeared first wins (Python's Counter.most_common, as P1's
//               published code counts votes).
//   plurality:  ours: a tie has no winner, so the label is 0 unless the gold answer has
//               strictly more votes than every other answer (INVALID included).
enum class tie_rule : std::uint8_t { first_seen, plurality };

struct protocol {
    std::uint32_t budget = 0;  // max output tokens; must be one of the study's budgets
    headroom::extractor extractor = extractor::strict;
    judge_mode judges = judge_mode::single;
    bool grounding = false;    // judge verdicts overridden by exact match where gold exists
    aggregation aggregate = aggregation::greedy;
    int k = 1;                 // samples aggregated (majority, pass@k); 0 = all
    tie_rule ties = tie_rule::first_seen;
    // A `source:<name>` grader whose scores are the labels (outcomes graded elsewhere,
    // aggregated over samples like Headroom's own grades); empty: Headroom's graders.
    std::string source;

    bool operator==(const protocol&) const = default;
};

// The protocol P2 criticises: the shortest budget, strict extraction, one judge, no
// grounding; MAJ@k over all samples (P1) when the study has several, else greedy.
protocol naive_protocol(const study& s);
// The same aggregation with every artifact fixed that the study lets us fix: the
// longest budget, lenient extraction, exact-match grounding, and dual judges unless
// the study has just one.
protocol corrected_protocol(const study& s);
// The source grader a naive or corrected protocol reads on this study, or "" for
// Headroom's own graders. A study with two extractions of one log (lm-eval's
// `<x>/strict-match` and `<x>/flexible-extract`) resolves naive to the strict one and
// corrected to the flexible one, so the decomposition's format part is their gap; a
// study graded only elsewhere resolves both to its first source grader.
std::string resolved_source(const study& s, bool corrected);
// What the naive or corrected protocol resolves to on this study, and what the study
// lacks: "corrected: lenient extraction; this study has one budget, one sample and no judges".
std::string protocol_note(const study& s, bool corrected);
// The protocol grammar every command and the app share: an optional base, `naive`
// (the default) or `corrected`, then key=value changes: "corrected budget=192".
// Throws std::invalid_argument naming the bad word.
protocol parse_protocol_named(std::string_view text, const study& s);

std::string_view to_string(headroom::extractor e);
std::string_view to_string(judge_mode j);
std::string_view to_string(tie_rule t);
// "maj@10", "pass@5", "greedy", "mean".
std::string aggregation_name(const protocol& p);
// One line, also accepted by parse_protocol:
// "budget=256 extractor=strict judges=single grounding=off aggregate=maj@10 ties=first_seen",
// followed by " grader=source:<name>" when the protocol reads a source grader.
std::string describe(const protocol& p);
// Starts from `base` and applies "key=value" words separated by spaces or commas;
// throws std::invalid_argument naming the bad word.
protocol parse_protocol(std::string_view text, const protocol& base);

} // namespace headroom
