#include "sim/simulate.h"

#include "det_math.h"
#include "rng.h"
#include "sim/text.h"
#include "tokens.h"

#include <nlohmann/json.hpp>

namespace headroom::sim {

namespace {

// Prompt overhead around the query text: instructions and answer-format request.
constexpr std::uint32_t prompt_overhead_tokens = 38;

std::size_t pick_weighted(rng& r, const std::vector<double>& weights) {
    double total = 0;
    for (double w : weights) total += w;
    double u = r.uniform() * total;
    for (std::size_t i = 0; i < weights.size(); ++i) {
        if (u < weights[i]) return i;
        u -= weights[i];
    }
    return weights.size() - 1;
}

model_spec make_model(std::string id, std::string family, int tier, double ability, double verbosity,
                      std::vector<double> mcq, std::vector<double> numeric, double price_in, double price_out,
                      double ms_per_token) {
    model_spec m;
    m.id = std::move(id);
    m.family = std::move(family);
    m.tier = tier;
    m.ability = ability;
    m.verbosity = verbosity;
    m.mcq_habits = std::move(mcq);
    m.numeric_habits = std::move(numeric);
    m.price_input_per_mtok = price_in;
    m.price_output_per_mtok = price_out;
    m.latency_ms_per_token = ms_per_token;
    return m;
}

nlohmann::ordered_json provenance_of(const pool_config& c) {
    using nlohmann::ordered_json;
    ordered_json p;
    p["generator"] = "headroom simulated pool";
    p["seed"] = c.seed;
    p["samples"] = c.samples;
    p["temperature"] = c.temperature;
    p["budgets"] = c.budgets;
    p["prompt_overhead_tokens"] = prompt_overhead_tokens;
    p["benchmarks"] = ordered_json::array();
    for (const auto& b : c.benchmarks)
        p["benchmarks"].push_back({{"id", b.id}, {"queries", b.queries}, {"difficulty_mean", b.difficulty_mean},
                                   {"difficulty_sd", b.difficulty_sd}});
    p["models"] = ordered_json::array();
    for (const auto& m : c.models)
        p["models"].push_back({{"id", m.id},
                               {"ability", m.ability},
                               {"subject_spread", m.subject_spread},
                               {"verbosity", m.verbosity},
                               {"refusal_rate", m.refusal_rate},
                               {"mcq_habits", {{"answer_line", m.mcq_habits[0]}, {"bold_letter", m.mcq_habits[1]},
                                               {"letter_with_text", m.mcq_habits[2]},
                                               {"option_text_only", m.mcq_habits[3]},
                                               {"trailing_remark", m.mcq_habits[4]}}},
                               {"numeric_habits", {{"plain", m.numeric_habits[0]}, {"hash_line", m.numeric_habits[1]},
                                                   {"separators", m.numeric_habits[2]},
                                                   {"currency", m.numeric_habits[3]},
                                                   {"words", m.numeric_habits[4]}}}});
    return p;
}

} // namespace

pool_config skeleton_pool(std::uint64_t seed) {
    pool_config c;
    c.name = "skeleton";
    c.description = "Walking-skeleton study from the simulated pool: an MMLU-like and a GSM8K-like benchmark, "
                    "four simulated models in two families, two budgets, five samples at temperature 0.7.";
    c.seed = seed;
    c.benchmarks = {
        {"mcq-knowledge", task_kind::mcq, "MMLU", 200, -0.3, 1.0},
        {"math-word", task_kind::numeric, "GSM8K", 200, 0.0, 1.0},
    };
    //                 id            family  tier ability verbosity  mcq habits               numeric habits           $in   $out  ms/tok
    c.models = {
        make_model("sim-lark-s", "lark", 0, 0.2, 70, {6, 2, 2, 1, 1}, {6, 2, 1, 1, 1}, 0.05, 0.10, 8),
        make_model("sim-lark-m", "lark", 1, 0.8, 110, {4, 2, 2, 2, 2}, {4, 1, 2, 1, 2}, 0.20, 0.60, 14),
        make_model("sim-lark-l", "lark", 2, 1.3, 170, {3, 1, 2, 3, 2}, {3, 1, 2, 2, 2}, 0.90, 2.70, 25),
        make_model("sim-wren-m", "wren", 0, 0.9, 90, {2, 4, 2, 1, 2}, {2, 4, 1, 1, 1}, 0.25, 0.75, 12),
    };
    c.budgets = {160, 1024};
    c.samples = 5;
    c.temperature = 0.7;
    return c;
}

study simulate(const pool_config& config) {
    study s;
    s.info.name = config.name;
    s.info.description = config.description;
    s.info.simulated = true;
    s.info.provenance = provenance_of(config).dump();

    for (const auto& b : config.benchmarks)
        s.benchmarks.push_back({b.id, b.kind, b.mirrors, "simulated, " + b.mirrors + "-like"});
    for (const auto& m : config.models)
        s.models.push_back({m.id, m.family, m.tier, m.price_input_per_mtok, m.price_output_per_mtok,
                            m.latency_ms_per_token});

    // Queries, with their latent difficulty.
    std::vector<drafted_query> drafts;
    std::vector<double> difficulty;
    for (std::uint32_t b = 0; b < config.benchmarks.size(); ++b) {
        const auto& spec = config.benchmarks[b];
        rng r(derive_seed(config.seed, "queries:" + spec.id));
        for (int i = 0; i < spec.queries; ++i) {
            drafted_query d = spec.kind == task_kind::mcq ? draft_mcq_query(r) : draft_numeric_query(r);
            const double diff = r.normal(spec.difficulty_mean, spec.difficulty_sd) +
                                (spec.kind == task_kind::numeric ? 0.4 * (static_cast<double>(d.steps.size()) - 2) : 0);
            query q;
            char id[64];
            std::snprintf(id, sizeof id, "%s-%04d", spec.id.c_str(), i);
            q.id = id;
            q.benchmark = b;
            q.subject = d.subject;
            q.text = d.text;
            q.options = d.options;
            q.gold = spec.kind == task_kind::mcq ? std::string(1, d.gold_letter) : std::to_string(d.answer);
            q.latent = nlohmann::ordered_json{{"difficulty", diff}}.dump();
            s.queries.push_back(std::move(q));
            drafts.push_back(std::move(d));
            difficulty.push_back(diff);
        }
    }

    auto& g = s.generations;
    for (std::uint32_t q = 0; q < s.queries.size(); ++q) {
        const query& qu = s.queries[q];
        const drafted_query& d = drafts[q];
        const task_kind kind = s.benchmarks[qu.benchmark].kind;
        const std::uint32_t input_tokens = count_tokens(qu.text) + prompt_overhead_tokens;
        for (std::uint16_t m = 0; m < config.models.size(); ++m) {
            const model_spec& spec = config.models[m];
            // An ability offset per (model, subject): the signal a router can learn from text.
            rng subject_rng(derive_seed(config.seed, "subject:" + spec.id + ":" + qu.subject));
            const double offset = subject_rng.normal(0, spec.subject_spread);
            const double p_correct = det_math::logistic(1.7 * (spec.ability + offset - difficulty[q]));
            for (int sample = 0; sample < config.samples; ++sample) {
                rng r(derive_seed(config.seed, "generation:" + spec.id, static_cast<std::uint64_t>(q) * 4096 + sample));
                // Greedy decoding (temperature 0) always takes the model's most likely outcome.
                const bool correct = config.temperature == 0 ? p_correct >= 0.5 : r.bernoulli(p_correct);
                const double length_noise = det_math::exp(r.normal(0, 0.35));
                const double steps_factor = kind == task_kind::numeric ? 0.6 + 0.2 * static_cast<double>(d.steps.size()) : 1.0;
                const int reasoning = static_cast<int>(spec.verbosity * steps_factor * length_noise);
                std::string text;
                if (r.bernoulli(spec.refusal_rate)) {
                    text = write_refusal(r);
                } else if (kind == task_kind::mcq) {
                    // Wrong answers favour one "attractive" distractor per query, as real ones do.
                    char letter = d.gold_letter;
                    if (!correct) {
                        const int attractive = (d.gold_letter - 'A' + 1 + static_cast<int>(q % 3)) % 4;
                        letter = static_cast<char>('A' + (r.bernoulli(0.6) ? attractive
                                                                          : (d.gold_letter - 'A' + 1 + static_cast<int>(r.below(3))) % 4));
                    }
                    const auto habit = static_cast<mcq_habit>(pick_weighted(r, spec.mcq_habits));
                    text = write_mcq_answer(r, d, letter, habit, reasoning);
                } else {
                    long long value = d.answer;
                    if (!correct) {
                        // A slip in one step: off by a step's size, or an intermediate taken as final.
                        value = d.steps.size() > 1 && r.bernoulli(0.4)
                                    ? d.steps[static_cast<std::size_t>(r.below(d.steps.size() - 1))]
                                    : d.answer + (r.bernoulli(0.5) ? 1 : -1) * (1 + static_cast<long long>(r.below(12)));
                        if (value == d.answer) value += 10;
                    }
                    const auto habit = static_cast<numeric_habit>(pick_weighted(r, spec.numeric_habits));
                    text = write_numeric_answer(r, d, value, habit, reasoning);
                }
                const std::uint32_t full_tokens = count_tokens(text);
                const double ms_jitter = det_math::exp(r.normal(0, 0.15));
                for (std::uint32_t budget : config.budgets) {
                    const bool cut = full_tokens > budget;
                    const std::string_view kept = cut ? truncate_to_tokens(text, budget) : std::string_view(text);
                    const std::uint32_t out_tokens = cut ? budget : full_tokens;
                    g.id.push_back(qu.id + "." + spec.id + ".b" + std::to_string(budget) + ".s" + std::to_string(sample));
                    g.query.push_back(q);
                    g.model.push_back(m);
                    g.budget.push_back(budget);
                    g.sample.push_back(static_cast<std::uint16_t>(sample));
                    g.finish.push_back(cut ? finish_reason::length : finish_reason::stop);
                    g.input_tokens.push_back(input_tokens);
                    g.output_tokens.push_back(out_tokens);
                    // Whole milliseconds: a realistic resolution, and exact in every text format.
                    g.latency_ms.push_back(static_cast<double>(static_cast<long long>(
                        (150.0 + spec.latency_ms_per_token * out_tokens) * ms_jitter)));
                    g.text.push_back(kept);
                }
            }
        }
    }
    return s;
}

} // namespace headroom::sim
