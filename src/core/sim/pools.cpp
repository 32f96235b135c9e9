// The shipped pools and their knobs. Every value here is published in the study's
// study.json; calibration targets are the papers' headline figures (analysis/claims.cpp).
#include "core/sim/simulate.h"

#include <cmath>
#include <stdexcept>

namespace headroom::sim {
namespace {

model_spec model(std::string id, std::string family, int tier, double ability, double verbosity,
                 std::vector<double> mcq, std::vector<double> numeric, std::vector<double> code, double price_in,
                 double price_out, double ms_per_token) {
    model_spec m;
    m.id = std::move(id);
    m.family = std::move(family);
    m.tier = tier;
    m.ability = ability;
    m.verbosity = verbosity;
    m.mcq_habits = std::move(mcq);
    m.numeric_habits = std::move(numeric);
    m.code_habits = std::move(code);
    m.price_input_per_mtok = price_in;
    m.price_output_per_mtok = price_out;
    m.latency_ms_per_token = ms_per_token;
    return m;
}

int scaled(int n, double scale) { return std::max(1, static_cast<int>(std::lround(n * scale))); }

} // namespace

pool_config skeleton_pool(std::uint64_t seed) {
    pool_config c;
    c.name = "skeleton";
    c.description = "Walking-skeleton study from the simulated pool: an MMLU-like and a GSM8K-like benchmark, "
                    "four simulated models in two families, two budgets, five samples at temperature 0.7.";
    c.seed = seed;
    c.benchmarks = {
        {"mcq-knowledge", query_style::knowledge, "MMLU", 200, -0.3, 1.0},
        {"math-word", query_style::math, "GSM8K", 200, 0.0, 1.0},
    };
    //          id            family tier ability verbosity  mcq habits       numeric habits   code     $in   $out  ms/token
    c.models = {
        model("sim-lark-s", "lark", 0, 0.2, 70, {6, 2, 2, 1, 1}, {6, 2, 1, 1, 1}, {1, 0, 0}, 0.05, 0.10, 8),
        model("sim-lark-m", "lark", 1, 0.8, 110, {4, 2, 2, 2, 2}, {4, 1, 2, 1, 2}, {1, 0, 0}, 0.20, 0.60, 14),
        model("sim-lark-l", "lark", 2, 1.3, 170, {3, 1, 2, 3, 2}, {3, 1, 2, 2, 2}, {1, 0, 0}, 0.90, 2.70, 25),
        model("sim-wren-m", "wren", 0, 0.9, 90, {2, 4, 2, 1, 2}, {2, 4, 1, 1, 1}, {1, 0, 0}, 0.25, 0.75, 12),
    };
    c.budgets = {160, 1024};
    c.samples = 5;
    c.temperature = 0.7;
    return c;
}

pool_config p1_routing_pool(std::uint64_t seed, double scale) {
    pool_config c;
    c.name = "p1-routing";
    c.description = "Mirrors P1 (Srivatsa et al., 2024) on the simulated pool: a GSM8K-like and an MMLU-like "
                    "benchmark, seven similar-size simulated models, ten samples per model per query at "
                    "temperature 0.7, answers graded by extraction and majority vote.";
    c.seed = seed;
    // P1's sizes and splits: GSM8K 7,473 train + 1,319 test; the MMLU-like set keeps P1's
    // 1,530 test queries. Routers are tested on exactly those test sets.
    c.benchmarks = {
        {"math-word", query_style::math, "GSM8K", scaled(8792, scale), 0.15, 1.6, 0, 0, scaled(1319, scale)},
        {"mcq-knowledge", query_style::knowledge, "MMLU", scaled(7650, scale), 0.2, 1.4, 0, 0, scaled(1530, scale)},
    };
    const std::vector<double> code{1, 0, 0};
    c.models = {
        model("sim-ash", "ash", 0, 0.55, 110, {5, 2, 2, 1, 1}, {5, 2, 1, 1, 1}, code, 0.15, 0.15, 18),
        model("sim-birch", "birch", 0, 0.35, 90, {3, 3, 2, 1, 1}, {4, 3, 1, 1, 1}, code, 0.12, 0.12, 16),
        model("sim-cedar", "cedar", 0, 0.75, 140, {4, 1, 3, 1, 1}, {5, 1, 2, 1, 1}, code, 0.20, 0.20, 20),
        model("sim-elm", "elm", 0, 0.25, 80, {6, 1, 1, 1, 1}, {6, 1, 1, 1, 1}, code, 0.10, 0.10, 15),
        model("sim-fir", "fir", 0, 0.45, 120, {2, 4, 2, 1, 1}, {3, 4, 1, 1, 1}, code, 0.15, 0.15, 18),
        model("sim-hazel", "hazel", 0, 0.60, 100, {3, 2, 2, 2, 1}, {4, 2, 2, 1, 1}, code, 0.18, 0.18, 19),
        model("sim-oak", "oak", 0, 0.40, 130, {4, 2, 1, 1, 2}, {4, 2, 1, 1, 2}, code, 0.13, 0.13, 17),
    };
    for (auto& m : c.models) {
        m.subject_spread = 0.15;
        m.item_spread = 0.9;
    }
    c.budgets = {512};
    c.samples = 10;
    c.temperature = 0.7;
    return c;
}

pool_config p2_artifacts_pool(std::uint64_t seed, double scale) {
    pool_config c;
    c.name = "p2-artifacts";
    c.description = "Mirrors P2 (arXiv 2605.07395) on the simulated pool: six benchmarks, a four-tier and a "
                    "two-tier model family, greedy decoding at a short and a generous budget, two judges with "
                    "planted biases, exact match and executed tests where gold exists.";
    c.seed = seed;
    // Query counts follow the real benchmarks' sizes; 34,459 queries x 6 models = 206,754 pairs.
    c.benchmarks = {
        {"mcq-knowledge", query_style::knowledge, "MMLU", scaled(14042, scale), -0.6, 1.5, 0.5, 0.12},
        {"mcq-clinical", query_style::clinical, "MedQA", scaled(1273, scale), -0.1, 1.5, 0.5, 0.12},
        {"code-function", query_style::code_function, "HumanEval", scaled(164, scale), -0.3, 1.5, 0.5, 0.12},
        {"code-basic", query_style::code_basic, "MBPP", scaled(500, scale), -0.6, 1.5, 0.5, 0.12},
        {"instruct", query_style::instruct, "Alpaca", scaled(10000, scale), -0.8, 1.5, 0.5},
        {"chat", query_style::chat, "ShareGPT", scaled(8480, scale), -0.6, 1.5, 0.5},
    };
    //          id             family  tier ability verbosity  mcq habits        numeric habits   code habits  $in   $out   ms/token
    c.models = {
        model("sim-gale-xs", "gale", 0, 0.9, 60, {3, 2, 2, 2, 1}, {3, 2, 1, 1, 1}, {5, 2, 1}, 0.03, 0.06, 6),
        model("sim-gale-s", "gale", 1, 1.3, 75, {3, 2, 2, 2, 2}, {3, 2, 1, 1, 1}, {5, 2, 1}, 0.10, 0.30, 10),
        model("sim-gale-m", "gale", 2, 1.7, 95, {3, 2, 2, 2, 2}, {3, 2, 1, 1, 1}, {5, 1, 1}, 0.30, 0.90, 18),
        model("sim-gale-l", "gale", 3, 2.1, 120, {3, 2, 2, 2, 2}, {3, 2, 1, 1, 1}, {6, 1, 1}, 0.90, 2.70, 30),
        model("sim-brook-s", "brook", 0, 1.0, 85, {2, 3, 2, 3, 1}, {3, 2, 1, 1, 1}, {3, 2, 2}, 0.05, 0.08, 9),
        model("sim-brook-l", "brook", 1, 1.9, 140, {2, 3, 2, 3, 1}, {3, 2, 1, 1, 1}, {4, 2, 1}, 0.60, 0.80, 26),
    };
    c.judges = {
        //            scale             concise  verbose    harsh      noise no-verdict two-verdicts
        {"verbose", judge_scale::rubric, 90, 0.45, 300, 0.20, 0.25, 0.85, 0.03, 0.02, 0.01},
        {"calibrated", judge_scale::ten, 0, 0.0, 1e9, 0.0, 0.03, 0.50, 0.10, 0.02, 0.01},
    };
    c.discrimination = 3.0;
    c.budgets = {192, 2048};
    c.samples = 1;
    c.temperature = 0;
    return c;
}

pool_config pool_by_name(const std::string& name, std::uint64_t seed, double scale) {
    if (name == "skeleton") return skeleton_pool(seed);
    if (name == "p1-routing") return p1_routing_pool(seed, scale);
    if (name == "p2-artifacts") return p2_artifacts_pool(seed, scale);
    throw std::invalid_argument("unknown pool '" + name + "' (skeleton, p1-routing, p2-artifacts)");
}

} // namespace headroom::sim
