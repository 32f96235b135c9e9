// The one way a study is made: every producer (the loaders after parsing a line, the
// simulator, the sampler, the shard merge, the importers) hands its rows to a
// study_builder, which applies the study format's checks as each row arrives.
#pragma once
#include "core/base/jsonl.h"
#include "core/study/study.h"

#include <cstdint>
#include <functional>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace headroom {

// Bounds on a study's embeddings: the widest real embedders have a few thousand
// dimensions, and the browser must hold every vector (1 GiB of floats at most).
inline constexpr std::size_t max_embedding_dimensions = 65536;
inline constexpr std::uint64_t max_embedding_values = std::uint64_t{1} << 28;

// Where a row came from, for its errors: a file and line, or a producer's name.
struct row_origin {
    std::string file;
    std::size_t line = 0;
};

// Typed rows, as every producer of a study hands them to the builder (the loaders
// after parsing a line, the simulator, the sampler, the shard merge, the importers).
// Queries and models are named by their index in the study being built.
struct generation_row {
    std::string id;                 // unique; canonical_generation_id for sampled ones
    std::uint32_t query = 0;
    std::uint16_t model = 0;
    std::uint32_t budget = unknown_budget;
    std::uint16_t sample = 0;       // a log with one sample per pair leaves it 0
    std::string_view text;
    finish_reason finish = finish_reason::unknown;
    std::uint32_t input_tokens = unknown_tokens, output_tokens = unknown_tokens;
    double latency_ms = std::numeric_limits<double>::quiet_NaN();
    double cost_usd = std::numeric_limits<double>::quiet_NaN();
};

struct judgment_row {
    std::uint32_t generation = 0;
    std::string_view judge;
    judge_scale scale = judge_scale::rubric;
    std::string_view reply;
};

struct grade_row {
    std::uint32_t generation = 0;
    std::string_view grader;
    grade_status status = grade_status::ok;
    float score = 0;
    std::string_view answer, rule, detail;
};

// Builds a study table by table with the validation of the study format: the record
// adders parse one JSONL line into a typed row and call the typed adder, so every
// producer goes through the same checks. Errors are input_errors naming the row's
// origin and field.
class study_builder {
public:
    void info(const record& r);
    void benchmark(const record& r);
    void query(const record& r);
    void model(const record& r);
    void generation(const record& r);
    void judgment(const record& r);
    void grade(const record& r);
    void embedding(const record& r);

    void info(study_info info, const row_origin& at = {});
    std::uint32_t add(headroom::benchmark b, const row_origin& at = {});
    std::uint32_t add(headroom::query q, const row_origin& at = {});  // q.benchmark: an index
    std::uint16_t add(headroom::model m, const row_origin& at = {});
    std::uint32_t add(generation_row g, const row_origin& at = {});
    void add(const judgment_row& j, const row_origin& at = {});
    void add(const grade_row& g, const row_origin& at = {});
    // A query's gold may stay absent when its outcomes come graded (imported logs).
    void allow_missing_gold(bool allow) { allow_missing_gold_ = allow; }

    std::optional<std::uint32_t> find_benchmark(std::string_view id) const;
    std::optional<std::uint32_t> find_query(std::string_view id) const;
    std::optional<std::uint16_t> find_model(std::string_view id) const;
    std::optional<std::uint32_t> find_generation(std::string_view id) const;
    const study& peek() const { return s_; }
    // Reserves room for generations (a producer that knows how many it writes).
    void reserve_generations(std::size_t rows, std::size_t text_chars);

    study finish();  // checks what needs the whole study (embeddings cover every query, ...)

private:
    struct generation_key {
        std::uint64_t query_budget;
        std::uint32_t model_sample;
        bool operator==(const generation_key&) const = default;
    };
    struct key_hash {
        std::size_t operator()(const generation_key& k) const {
            return std::hash<std::uint64_t>{}(k.query_budget * 0x9e3779b97f4a7c15ull ^ k.model_sample);
        }
    };
    study s_;
    bool allow_missing_gold_ = false;
    std::unordered_map<std::string, std::uint32_t> benchmark_ids_, query_ids_, model_ids_, generation_ids_;
    std::unordered_map<generation_key, std::uint32_t, key_hash> generation_keys_;
    std::unordered_map<std::uint64_t, std::size_t> grade_keys_, judgment_keys_;  // generation x grader/judge
    std::vector<char> embedded_;  // per query, once embeddings.jsonl has begun
    std::string embeddings_file_;
};

// Gold numbers as graders compare them: thousands separators dropped ("1,800" -> "1800").
// nullopt when the text is not a number.
std::optional<std::string> normalised_number(std::string_view text);

} // namespace headroom
