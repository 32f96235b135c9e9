// The simulated model pool: a deterministic generator of queries, model answers (as
// text) and, later, judge replies, with the phenomena of both papers planted at known
// sizes. Everything downstream reads only the text it writes, never its knobs.
#pragma once
#include "study.h"

#include <cstdint>
#include <string>
#include <vector>

namespace headroom::sim {

// How a model writes its final answer. Each habit is a format a reader might meet;
// some defeat P1's strict extraction, which is the point.
enum class mcq_habit : std::uint8_t {
    answer_line,        // "Answer: B"
    bold_letter,        // "The correct option is **B**."
    letter_with_text,   // "B) neutron star"
    option_text_only,   // "So the answer is neutron star."      (strict misses)
    trailing_remark,    // "Answer: B. Option A is a common trap." (strict misses)
};
enum class numeric_habit : std::uint8_t {
    plain,              // "The answer is 1250."
    hash_line,          // "#### 1250"
    separators,         // "The answer is 1,250."                 (strict misses >= 1000)
    currency,           // "The answer is $1,250.00."              (strict misses >= 1000)
    words,              // "The answer is forty-two."              (strict misses)
};

struct model_spec {
    std::string id, family;
    int tier = 0;
    double ability = 0;           // logit of success on a query of difficulty 0
    double subject_spread = 0.5;  // sd of the per-subject ability offsets
    double verbosity = 120;       // mean reasoning tokens before the final answer
    double refusal_rate = 0.01;
    std::vector<double> mcq_habits;      // weights, indexed by mcq_habit
    std::vector<double> numeric_habits;  // weights, indexed by numeric_habit
    double price_input_per_mtok = 0, price_output_per_mtok = 0, latency_ms_per_token = 0;
};

struct benchmark_spec {
    std::string id;
    task_kind kind = task_kind::mcq;
    std::string mirrors;
    int queries = 100;
    double difficulty_mean = 0, difficulty_sd = 1;
};

struct pool_config {
    std::string name, description;
    std::uint64_t seed = 1;
    std::vector<benchmark_spec> benchmarks;
    std::vector<model_spec> models;
    std::vector<std::uint32_t> budgets;  // max output tokens; every sample is cut at each
    int samples = 1;                     // per (query, model); 1 with temperature 0 is greedy
    double temperature = 0;
};

// The walking-skeleton pool: two benchmarks (mcq, numeric), four models in two
// families, two budgets, five samples at temperature 0.7.
pool_config skeleton_pool(std::uint64_t seed);

// Generates the study (benchmarks, queries, models, generations; no grades).
study simulate(const pool_config& config);

} // namespace headroom::sim
