#include "support.h"

#include <fstream>
#include <random>
#include <sstream>

namespace headroom::test {

namespace fs = std::filesystem;

scratch_dir::scratch_dir(const std::string& name) {
    std::random_device device;
    path_ = fs::temp_directory_path() / ("headroom-sample-" + name + "-" + std::to_string(device()));
    fs::remove_all(path_);
    fs::create_directories(path_);
}

scratch_dir::~scratch_dir() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
}

void write_query_files(const fs::path& dir, int n) {
    std::ofstream b(dir / "benchmarks.jsonl");
    b << R"({"id":"mmlu-like","kind":"mcq","mirrors":"MMLU","description":""})" "\n"
      << R"({"id":"gsm-like","kind":"numeric","mirrors":"GSM8K","description":""})" "\n"
      << R"({"id":"chat-like","kind":"open","mirrors":"ShareGPT","description":""})" "\n";
    std::ofstream q(dir / "queries.jsonl");
    for (int i = 0; i < n; ++i) {
        q << json_value{{"id", "m" + std::to_string(i)}, {"benchmark", "mmlu-like"}, {"subject", "s"},
                        {"text", "Which option is number " + std::to_string(i) + "?"},
                        {"options", {"one", "two", "three", "four"}}, {"gold", "B"}}.dump() << "\n";
        // Queries 0 and 1 of gsm-like share their text on purpose.
        q << json_value{{"id", "g" + std::to_string(i)}, {"benchmark", "gsm-like"}, {"subject", "s"},
                        {"text", "What is " + std::to_string(i < 2 ? 0 : i) + " plus 2?"}, {"gold", "2"}}.dump() << "\n";
        q << json_value{{"id", "o" + std::to_string(i)}, {"benchmark", "chat-like"}, {"subject", "s"},
                        {"text", "Tell me about topic " + std::to_string(i) + "."}}.dump() << "\n";
    }
}

json_value basic_plan(const std::string& url) {
    return {{"name", "sampled"},
            {"benchmarks", {{{"benchmarks", "benchmarks.jsonl"}, {"queries", "queries.jsonl"}}}},
            {"models",
             {{{"id", "small"}, {"family", "f"}, {"tier", 0}, {"endpoint", url}, {"model", "small-served"},
               {"price_input_per_mtok", 0.1}, {"price_output_per_mtok", 0.2}, {"max_concurrency", 8}},
              {{"id", "large"}, {"family", "f"}, {"tier", 1}, {"endpoint", url}, {"model", "large-served"},
               {"price_input_per_mtok", 1.0}, {"price_output_per_mtok", 2.0}, {"max_concurrency", 8}}}},
            {"budgets", {16, 64}},
            {"samples", 3},
            {"temperature", 0.7},
            {"seed", 0},
            {"retry", {{"max_attempts", 30}, {"total_budget_s", 60}, {"attempt_timeout_s", 10},
                       {"base_delay_s", 0.001}, {"max_delay_s", 0.02}}}};
}

std::string write_plan(const fs::path& dir, const json_value& plan) {
    const std::string path = (dir / "plan.json").string();
    std::ofstream(path) << plan.dump(2);
    return path;
}

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

std::string without_latency(const std::string& text) {
    std::string out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
        json_value row = json_value::parse(line);
        row.erase("latency_ms");
        row.erase("latency_ms_per_token");
        out += row.dump() + "\n";
    }
    return out;
}

} // namespace headroom::test
