// PLAN.json: everything a sampling run needs, validated whole before the first
// request. Errors are input_errors naming the plan file and the field's path
// ("models[2].max_concurrency"). API keys are never in the plan, only the names of the
// environment variables that hold them.
#pragma once
#include "client/retry.h"
#include "core/grading/prompts.h"
#include "core/study/study.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace headroom::sample {

// How a model's endpoint is asked for several samples of one prompt.
enum class n_mode : std::uint8_t {
    automatic,  // ask for n > 1, fall back to single requests if the server ignores or rejects it
    single,     // always one request per sample (with seed + sample index)
};

struct endpoint_spec {
    std::string url;           // base URL of an OpenAI-compatible API, e.g. http://host:8000/v1
    std::string served_model;  // the "model" field sent
    std::string api_key_env;   // environment variable holding the key; "" for none
    std::size_t max_concurrency = 16;
    double requests_per_minute = 0;
    double tokens_per_minute = 0;
};

struct model_spec {
    headroom::model info;  // id, family, tier, prices (latency is measured unless given)
    bool latency_given = false;
    endpoint_spec endpoint;
    n_mode n = n_mode::automatic;
};

struct judge_spec {
    std::string name;
    judge_scale scale = judge_scale::rubric;
    endpoint_spec endpoint;
    std::uint32_t max_tokens = 512;
    double temperature = 0;
};

struct query_source {
    std::string benchmarks;  // benchmarks.jsonl (resolved against the plan's directory)
    std::string queries;     // queries.jsonl
};

struct plan {
    std::string file;  // where it was read from
    std::string name, description;
    std::vector<query_source> sources;
    std::vector<model_spec> models;
    std::vector<std::uint32_t> budgets;
    std::uint16_t samples = 1;
    double temperature = 0;
    double top_p = 1;
    std::uint64_t seed = 0;
    std::map<task_kind, prompt_template> templates;  // every kind has one (defaults filled in)
    std::vector<judge_spec> judges;
    client::retry_policy retry;
    std::string hash;  // of the canonical plan, so shards of different plans never merge
};

// Reads and validates, including that every named API-key variable is set, so that a
// missing key is reported before anything is sent.
plan load_plan(const std::string& path);
plan parse_plan(const std::string& text, const std::string& file, const std::string& base_dir);

// Benchmarks and queries of every source, as a study without generations.
study load_plan_queries(const plan& p);

} // namespace headroom::sample
