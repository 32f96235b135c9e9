// The data model of a study: benchmarks, queries, models, generations and grades
// (vocabulary: docs/DEVELOPING.md). Generations and grades are stored as
// columns because every computation scans them; the small tables are rows.
#pragma once
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace headroom {

// A study is written as version 1 when it holds only what version 1 can say, so older
// readers and the shipped manifests keep working; version 2 adds source grades, unknown
// finishes, optional tokens, latency, budget and sample, and measured costs.
inline constexpr int schema_version = 2;
inline constexpr int oldest_schema_version = 1;

enum class task_kind : std::uint8_t { mcq, numeric, code, open };
std::string_view to_string(task_kind kind);
std::optional<task_kind> parse_task_kind(std::string_view text);

struct benchmark {
    std::string id;
    task_kind kind = task_kind::mcq;
    std::string mirrors;      // the real benchmark it imitates, e.g. "MMLU"
    std::string description;
};

// Where a query sits in its benchmark's own train/test split, for benchmarks that publish
// one (GSM8K: 7,473 train, 1,319 test). Routers are then tested on that test set.
enum class split_side : std::uint8_t { none, train, test };
std::string_view to_string(split_side side);
std::optional<split_side> parse_split_side(std::string_view text);  // "train" or "test"

struct query {
    std::string id;
    std::uint32_t benchmark = 0;   // index into study::benchmarks
    std::string subject;
    std::string text;
    std::vector<std::string> options;  // mcq: option texts, letter = position
    std::string gold;                  // mcq: letter; numeric: number; open: empty
    std::string tests;                 // code: the test program
    std::string latent;                // simulator parameters as compact JSON; never read by graders
    split_side split = split_side::none;
};

struct model {
    std::string id;
    std::string family;
    int tier = 0;                       // 0 = smallest in its family
    double price_input_per_mtok = 0;    // dollars per million input tokens
    double price_output_per_mtok = 0;   // dollars per million output tokens
    double latency_ms_per_token = 0;
    std::string price_source;  // where the prices come from (a price page, an invoice)
    std::string price_date;    // when they held, as the source gives it
};

enum class finish_reason : std::uint8_t { stop, length, content_filter, unknown };
std::string_view to_string(finish_reason reason);
std::optional<finish_reason> parse_finish_reason(std::string_view text);

// Text columns share one buffer; row i is chars()[begin..end). A row may share an
// earlier row's text (repeat), so a text repeated under every budget, or a forged
// pack pointing every row at one long string, is held once.
class text_column {
public:
    void push_back(std::string_view text);
    void repeat(std::size_t row);  // a new row with the same text as `row`
    std::string_view operator[](std::size_t row) const {
        return std::string_view(chars_).substr(rows_[row].begin, rows_[row].end - rows_[row].begin);
    }
    std::size_t size() const { return rows_.size(); }
    void reserve(std::size_t rows, std::size_t chars);
    const std::string& chars() const { return chars_; }

private:
    struct extent {
        std::uint64_t begin, end;
    };
    std::string chars_;
    std::vector<extent> rows_;
};

// What a generation's log did not record: a study read from another tool's logs may
// lack token counts, latency, budget or cost, and a figure that needs one says so
// instead of inventing a value.
inline constexpr std::uint32_t unknown_tokens = 0xffffffffu;
inline constexpr std::uint32_t unknown_budget = 0;  // a budget is at least one token
bool known(double measured);                        // latency and cost: NaN when not recorded

// One sample of one model on one query under one budget (max output tokens).
struct generation_table {
    std::vector<std::string> id;
    std::vector<std::uint32_t> query;
    std::vector<std::uint16_t> model;
    std::vector<std::uint32_t> budget;
    std::vector<std::uint16_t> sample;
    std::vector<finish_reason> finish;
    std::vector<std::uint32_t> input_tokens;
    std::vector<std::uint32_t> output_tokens;
    std::vector<double> latency_ms;
    // Measured dollars per generation: empty when the study has none, else one per row
    // (NaN where not measured; cost is then tokens x the model's prices).
    std::vector<double> cost_usd;
    text_column text;

    std::size_t size() const { return query.size(); }
    double measured_cost(std::size_t row) const;  // NaN when not measured
    // Whether any row needs schema version 2 to be written (an unknown field, a cost).
    bool needs_version_2() const;
};

// What became of a generation under one grader.
enum class grade_status : std::uint8_t {
    ok,             // an extraction found an answer, or a judge reply held one verdict
    invalid,        // extraction found no answer (still votes, as INVALID, in MAJ@k)
    parse_failure,  // a judge reply with no verdict or several
    passed, failed, timeout, memory, sandbox_error,  // exec
    missing,        // an imported log holds no outcome here: left out of the model's denominator
};
std::string_view to_string(grade_status status);
std::optional<grade_status> parse_grade_status(std::string_view text);

// Graders by name: "strict", "lenient", "exec:strict", "exec:lenient", "judge:<name>",
// and "source:<name>" for outcomes graded elsewhere (an imported log's own scores),
// which Headroom's grading keeps beside its own and never replaces.
struct grade_table {
    std::vector<std::string> graders;     // distinct grader names, in order of appearance
    std::vector<std::uint32_t> generation;
    std::vector<std::uint16_t> grader;    // index into graders
    std::vector<grade_status> status;
    std::vector<float> score;             // 1/0 for extraction and exec; judge rubric score
    std::vector<std::uint16_t> rule;      // index into rules: which extraction rule matched
    std::vector<std::string> rules;
    text_column answer;                   // extracted answer ("" when invalid)
    text_column detail;                   // judge reply text, exec message

    std::size_t size() const { return generation.size(); }
    std::uint16_t grader_index(std::string_view name);  // adds the name if new
    std::uint16_t rule_index(std::string_view name);
    std::optional<std::uint16_t> find_grader(std::string_view name) const;
};

// Judges' replies, raw: the `judge:<name>` graders parse them into grades.
enum class judge_scale : std::uint8_t { rubric, ten };  // "[[0..2]]" or "Rating: 1..10"
std::string_view to_string(judge_scale scale);

struct judgment_table {
    std::vector<std::string> judges;      // distinct judge names
    std::vector<std::uint32_t> generation;
    std::vector<std::uint16_t> judge;     // index into judges
    std::vector<judge_scale> scale;
    text_column reply;

    std::size_t size() const { return generation.size(); }
    std::uint16_t judge_index(std::string_view name);
};

// Dense vectors of the queries from an embedding model (an embeddings endpoint, or any
// tool that writes embeddings.jsonl): optional, and then one per query, all of one
// embedder and one length. Learned routers can read them instead of text features.
struct embedding_table {
    std::string embedder;        // the model that made them, as its endpoint names it
    std::size_t dimensions = 0;  // 0: the study has none
    std::vector<float> values;   // queries x dimensions, row-major, in query order

    bool empty() const { return dimensions == 0; }
    std::span<const float> of(std::size_t query) const {
        return std::span<const float>(values).subspan(query * dimensions, dimensions);
    }
};

struct study_info {
    int schema_version = headroom::schema_version;
    std::string name;
    std::string description;
    bool simulated = false;
    std::string provenance;   // compact JSON object: how the study was made (knobs, seeds)
    bool texts_omitted = false;  // loaded from a pack written without texts
};

// "<query>.<model>.b<budget>.s<sample>": the id the simulator and the sampler give a
// generation (the pack leaves such ids out and rebuilds them).
std::string canonical_generation_id(std::string_view query, std::string_view model, std::uint32_t budget,
                                    std::uint16_t sample);

struct study {
    study_info info;
    std::vector<benchmark> benchmarks;
    std::vector<query> queries;
    std::vector<model> models;
    generation_table generations;
    judgment_table judgments;
    grade_table grades;
    embedding_table embeddings;

    std::vector<std::uint32_t> budgets() const;  // distinct budgets, ascending
    std::uint16_t samples_per_pair() const;      // max sample index + 1
    // The lowest schema version that holds everything in the study.
    int needed_schema_version() const;
};

bool is_source_grader(std::string_view grader);  // "source:<name>"
bool valid_grader_name(std::string_view grader);

} // namespace headroom
