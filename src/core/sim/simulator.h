// The simulated pool's generator, for simulate.cpp and regenerate.cpp only: the rest of
// the project sees simulate.h and regenerate.h.
#pragma once
#include "core/base/rng.h"
#include "core/study/builder.h"
#include "core/sim/code_tasks.h"
#include "core/sim/judges.h"
#include "core/sim/simulate.h"
#include "core/sim/text.h"

#include <nlohmann/json_fwd.hpp>

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace headroom::sim {

// What one sample is, beyond its text: the truth the judges see and the planted-rate
// counters count.
struct drafted_answer {
    std::string text;
    bool right = false;             // closed/code: correct answer or passing program; open: quality 2
    int quality = 0;                // 0..2, uncut
    bool strict_defeating = false;  // written in a habit strict extraction misreads
};

// Counters behind the "planted" rates published in study.json.
struct planted_counts {
    std::map<std::uint32_t, std::array<double, 4>> by_budget;  // generations, cut, right, right-and-cut
    double right_uncut_closed = 0, strict_defeating = 0;
    struct judge_counts {
        double full = 0, full_failed = 0, wrong = 0, wrong_passed = 0, replies = 0, malformed = 0;
    };
    std::vector<judge_counts> judges;
    // By budget, by query: some model's first sample is right and survives the cut.
    // What a perfect grader would call solvable, for the decomposition to be checked against.
    std::map<std::uint32_t, std::vector<char>> truly_solved;
};

// What a generation keeps of an answer under a budget (max output tokens).
struct budgeted_answer {
    std::string_view text;     // the answer, cut at the budget when it runs over
    std::uint32_t tokens = 0;  // output tokens
    bool cut = false;          // finish reason `length`
    int quality = 0;           // what judges see: a right answer cut short is at best partial
};
budgeted_answer at_budget(const drafted_answer& a, std::uint32_t full_tokens, std::uint32_t budget);

// Success odds of one model on one query, from its ability there and the query's difficulty.
struct success_odds {
    double right = 0;    // P(a right answer; quality 2 on open tasks)
    double partial = 0;  // open tasks: P(quality at least 1)
};

// Writes a study (run) or, once its queries are drafted, any one answer again: every
// answer and judge reply has its own seeded stream, so one can be rebuilt alone.
class simulator {
public:
    explicit simulator(const pool_config& c) : c_(c) {
        planted_.judges.resize(c.judges.size());
        harsh_.resize(c.judges.size());
    }
    study run();

    // Queries and their latent parameters: what every answer depends on.
    void draft_queries();
    const std::vector<query>& queries() const { return b_.peek().queries; }
    success_odds odds(std::uint32_t q, std::uint16_t m) const;
    // The stream an answer is drawn from; after the answer, it also draws the latency.
    rng answer_stream(std::uint32_t q, std::uint16_t m, int sample) const;
    drafted_answer draft_answer(rng& r, std::uint32_t q, std::uint16_t m, const success_odds& odds) const;
    // Judge j's reply on the generation with row `generation` in the written study.
    judge_reply judge(std::size_t j, std::uint32_t generation, std::uint32_t q, int seen_quality,
                      std::uint32_t out_tokens) const;

private:
    void add_generations(std::uint32_t q, std::uint16_t m, int sample, const drafted_answer& a, rng& r);
    nlohmann::ordered_json provenance() const;

    const pool_config& c_;
    study_builder b_;
    std::vector<drafted_query> drafts_;
    std::vector<code_task> code_;       // by query, for code benchmarks
    std::vector<double> difficulty_;
    std::vector<double> length_factor_;  // by query
    std::vector<bool> format_pull_;      // by query
    std::vector<std::vector<bool>> harsh_;  // by judge, by query
    planted_counts planted_;
};

// The pool's knobs as study.json's provenance publishes them (everything but the planted rates).
nlohmann::ordered_json knobs(const pool_config& c);

} // namespace headroom::sim
