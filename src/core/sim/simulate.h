// The simulated model pool: a deterministic generator of queries, model answers (as
// text) and judge replies, with the phenomena of both papers planted at known sizes.
// Everything downstream reads only the text it writes, never its knobs; the knobs and
// the planted rates it measured are published in study.json's provenance.
#pragma once
#include "core/sim/judges.h"
#include "core/study/study.h"

#include <cstdint>
#include <string>
#include <vector>

namespace headroom::sim {

// How a model writes its final answer. Each habit is a format real models use; some
// defeat P1's strict extraction, which is the point.
enum class mcq_habit : std::uint8_t {
    answer_line,        // "Answer: B"
    bold_letter,        // "The correct option is **B**."
    letter_with_text,   // "B) neutron star"
    option_text_only,   // "So the answer is neutron star."       (strict misreads)
    trailing_remark,    // "Answer: B. Option A is a common trap." (strict misreads)
};
enum class numeric_habit : std::uint8_t {
    plain,              // "The answer is 1250."
    hash_line,          // "#### 1250"
    separators,         // "The answer is 1,250."                 (strict misreads >= 1000)
    currency,           // "The answer is $1,250.00."              (strict misreads >= 1000)
    words,              // "The answer is forty-two."              (strict misreads)
};
enum class code_habit : std::uint8_t {
    fenced_python,      // ```python ... ```
    fenced_plain,       // ``` ... ```                            (strict finds no program)
    unfenced,           // the bare function after the prose      (strict finds no program)
};

enum class query_style : std::uint8_t { knowledge, clinical, math, code_function, code_basic, instruct, chat };

struct model_spec {
    std::string id, family;
    int tier = 0;
    double ability = 0;           // logit of success on a query of difficulty 0
    double subject_spread = 0.5;  // sd of the per-subject ability offsets (what routers can learn)
    double item_spread = 0;       // sd of a per-query offset: what no text feature can predict
    double verbosity = 120;       // mean reasoning tokens before the final answer
    double refusal_rate = 0.01;
    std::vector<double> mcq_habits{1, 0, 0, 0, 0};      // weights by mcq_habit
    std::vector<double> numeric_habits{1, 0, 0, 0, 0};  // weights by numeric_habit
    std::vector<double> code_habits{1, 0, 0};           // weights by code_habit
    double price_input_per_mtok = 0, price_output_per_mtok = 0, latency_ms_per_token = 0;
};

struct benchmark_spec {
    std::string id;
    query_style style = query_style::knowledge;
    std::string mirrors;
    int queries = 100;
    double difficulty_mean = 0, difficulty_sd = 1;
    // sd of a per-query log factor on every model's answer length: some queries make
    // every model long-winded, so the budget cuts them for everyone.
    double length_spread = 0;
    // Share of queries whose wording pulls every model towards a format strict
    // extraction misreads (they then answer in such a habit with probability 0.9).
    double format_pull = 0;
    // The benchmark's published test set: its last test_queries queries (0: none, and
    // routers are tested on a seeded share of every benchmark instead).
    int test_queries = 0;
};

struct pool_config {
    std::string name, description;
    std::uint64_t seed = 1;
    std::vector<benchmark_spec> benchmarks;
    std::vector<model_spec> models;
    std::vector<judge_spec> judges;      // every generation gets a reply from each
    std::vector<std::uint32_t> budgets;  // max output tokens; every sample is cut at each
    // Item-response slope: P(right) = logistic(discrimination * (ability - difficulty)).
    // Higher makes a model's outcome on a query less of a coin toss.
    double discrimination = 1.7;
    int samples = 1;                     // per (query, model)
    double temperature = 0;              // 0: greedy, deterministic per (query, model)
};

task_kind kind_of(query_style style);

// The walking-skeleton pool: MMLU-like and GSM8K-like benchmarks, four models in two
// families, two budgets, five samples at temperature 0.7.
pool_config skeleton_pool(std::uint64_t seed);
// Mirrors P1: GSM8K-like and MMLU-like benchmarks, seven similar-size models, ten samples
// at temperature 0.7, P1's split sizes.
pool_config p1_routing_pool(std::uint64_t seed, double scale = 1.0);
// Mirrors P2: six benchmarks, a four-tier family and a two-tier family, greedy decoding,
// a short and a generous budget, two judges; at scale 1, over 200,000 query-model pairs.
pool_config p2_artifacts_pool(std::uint64_t seed, double scale = 1.0);
// By name: "skeleton", "p1-routing", "p2-artifacts"; throws std::invalid_argument.
pool_config pool_by_name(const std::string& name, std::uint64_t seed, double scale = 1.0);

// Generates the study (benchmarks, queries, models, generations, judge replies; no grades).
study simulate(const pool_config& config);

} // namespace headroom::sim
