// `headroom embed DIR --endpoint URL --model NAME`: every query of a study (the text a
// router reads: its words and options) sent in batches to an OpenAI-compatible
// /embeddings endpoint, through the client's retry layer; the vectors become
// embeddings.jsonl, which routers read as the "embeddings" features. Nothing is written
// unless every query got its vector.
#pragma once
#include "client/retry.h"

#include <functional>
#include <string>

namespace headroom::sample {

struct embed_options {
    std::string endpoint;     // base URL, e.g. http://127.0.0.1:8000/v1 (".../embeddings" is added)
    std::string model;        // the served embedding model
    std::string api_key_env;  // the environment variable holding the API key; empty: none
    std::size_t batch = 64;   // queries per request
    std::size_t max_concurrency = 8;
    client::retry_policy retry;
};

struct embed_summary {
    std::size_t queries = 0, requests = 0, retries = 0, dimensions = 0;
};

// Throws input_error for a bad study or a key variable that is not set, and
// std::runtime_error naming the first failed batch and why.
embed_summary run_embedding(const embed_options& options, const std::string& study_dir,
                            const std::function<void(std::size_t, std::size_t)>& on_progress = {});

} // namespace headroom::sample
