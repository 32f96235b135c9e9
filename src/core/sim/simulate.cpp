#include "core/sim/simulator.h"

#include "core/base/det_math.h"
#include "core/base/tokens.h"

#include <cstdio>

namespace headroom::sim {

namespace {

// Prompt overhead around the query text: instructions and the answer-format request.
constexpr std::uint32_t prompt_overhead_tokens = 38;

// When a model writes wrong code, which fault it makes (weights by code_fault).
constexpr std::array<double, code_fault_count> fault_weights{0, 3, 3, 3, 1, 1, 0.5, 0.5};

std::size_t pick_weighted(rng& r, const double* weights, std::size_t n) {
    double total = 0;
    for (std::size_t i = 0; i < n; ++i) total += weights[i];
    double u = r.uniform() * total;
    for (std::size_t i = 0; i < n; ++i) {
        if (u < weights[i]) return i;
        u -= weights[i];
    }
    return n - 1;
}
std::size_t pick_weighted(rng& r, const std::vector<double>& weights) {
    return pick_weighted(r, weights.data(), weights.size());
}

bool strict_misreads(numeric_habit h, long long value) {
    return h == numeric_habit::words ||
           ((h == numeric_habit::separators || h == numeric_habit::currency) && (value >= 1000 || value <= -1000));
}

} // namespace

void simulator::draft_queries() {
    study_info info;
    info.name = c_.name;
    info.description = c_.description;
    info.simulated = true;
    b_.info(info);
    for (const auto& b : c_.benchmarks)
        b_.add(benchmark{b.id, kind_of(b.style), b.mirrors, "simulated, " + b.mirrors + "-like"});
    for (const auto& m : c_.models)
        b_.add(model{m.id, m.family, m.tier, m.price_input_per_mtok, m.price_output_per_mtok, m.latency_ms_per_token, "", ""});
    for (std::uint32_t b = 0; b < c_.benchmarks.size(); ++b) {
        const auto& spec = c_.benchmarks[b];
        const task_kind kind = kind_of(spec.style);
        rng r(derive_seed(c_.seed, "queries:" + spec.id));
        rng length_rng(derive_seed(c_.seed, "length:" + spec.id));
        for (int i = 0; i < spec.queries; ++i) {
            drafted_query d;
            code_task task;
            switch (spec.style) {
            case query_style::knowledge: d = draft_mcq_query(r); break;
            case query_style::clinical: d = draft_clinical_query(r); break;
            case query_style::math: d = draft_numeric_query(r); break;
            case query_style::instruct: d = draft_instruct_query(r); break;
            case query_style::chat: d = draft_chat_query(r); break;
            case query_style::code_function:
            case query_style::code_basic:
                task = draft_code_task(r, static_cast<int>(r.below(static_cast<std::uint64_t>(code_family_count()))));
                d.subject = task.subject;
                // HumanEval-like: signature and docstring to complete; MBPP-like: one request line.
                d.text = spec.style == query_style::code_function
                             ? task.signature + "\n    \"\"\"" + task.summary + "\"\"\"\n"
                             : "Write a Python function `" + task.function + "`. " + task.summary;
                break;
            }
            const double diff = r.normal(spec.difficulty_mean, spec.difficulty_sd) +
                                (kind == task_kind::numeric ? 0.4 * (static_cast<double>(d.steps.size()) - 2) : 0);
            query q;
            char id[96];
            std::snprintf(id, sizeof id, "%s-%05d", spec.id.c_str(), i);
            q.id = id;
            q.benchmark = b;
            q.subject = d.subject;
            q.text = d.text;
            q.options = d.options;
            if (kind == task_kind::mcq) q.gold = std::string(1, d.gold_letter);
            if (kind == task_kind::numeric) q.gold = std::to_string(d.answer);
            if (kind == task_kind::code) q.tests = task.tests;
            if (spec.test_queries > 0) q.split = i >= spec.queries - spec.test_queries ? split_side::test : split_side::train;
            const double length = spec.length_spread > 0 ? det_math::exp(length_rng.normal(0, spec.length_spread)) : 1.0;
            nlohmann::ordered_json latent{{"difficulty", diff}};
            if (spec.length_spread > 0) latent["length_factor"] = length;
            for (const auto& judge : c_.judges) {
                rng hr(derive_seed(c_.seed, "harsh:" + judge.name, queries().size()));
                const bool harsh = hr.bernoulli(judge.harsh_share);
                if (harsh) latent["harsh_for_" + judge.name] = true;
                harsh_[static_cast<std::size_t>(&judge - c_.judges.data())].push_back(harsh);
            }
            rng pull_rng(derive_seed(c_.seed, "format-pull:" + spec.id, static_cast<std::uint64_t>(i)));
            const bool pull = spec.format_pull > 0 && pull_rng.bernoulli(spec.format_pull);
            if (pull) latent["format_pull"] = true;
            format_pull_.push_back(pull);
            q.latent = latent.dump();
            length_factor_.push_back(length);
            b_.add(std::move(q));
            drafts_.push_back(std::move(d));
            code_.push_back(std::move(task));
            difficulty_.push_back(diff);
        }
    }
}

drafted_answer simulator::draft_answer(rng& r, std::uint32_t q, std::uint16_t model, const success_odds& odds) const {
    const model_spec& m = c_.models[model];
    drafted_answer a;
    const query_style style = c_.benchmarks[queries()[q].benchmark].style;
    const task_kind kind = kind_of(style);
    const drafted_query& d = drafts_[q];
    const double u = r.uniform();
    a.right = u < odds.right;
    a.quality = a.right ? 2 : (kind == task_kind::open && u < odds.partial ? 1 : 0);
    const double length_noise = det_math::exp(r.normal(0, 0.35));
    const double steps_factor = kind == task_kind::numeric ? 0.6 + 0.2 * static_cast<double>(d.steps.size()) : 1.0;
    const int reasoning = static_cast<int>(m.verbosity * length_factor_[q] * steps_factor * length_noise);
    if (r.bernoulli(m.refusal_rate)) {
        a.text = write_refusal(r);
        a.right = false;
        a.quality = 0;
        return a;
    }
    switch (kind) {
    case task_kind::mcq: {
        // Wrong answers favour one "attractive" distractor per query, as real ones do.
        const int n = static_cast<int>(d.options.size());
        const int gold = d.gold_letter - 'A';
        int letter = gold;
        if (!a.right) {
            const int attractive = (gold + 1 + static_cast<int>(q % 3)) % n;
            letter = r.bernoulli(0.6) ? attractive : (gold + 1 + static_cast<int>(r.below(static_cast<std::uint64_t>(n - 1)))) % n;
        }
        auto habit = static_cast<mcq_habit>(pick_weighted(r, m.mcq_habits));
        if (format_pull_[q] && r.bernoulli(0.9))
            habit = r.bernoulli(0.5) ? mcq_habit::option_text_only : mcq_habit::trailing_remark;
        a.strict_defeating = habit == mcq_habit::option_text_only || habit == mcq_habit::trailing_remark;
        a.text = write_mcq_answer(r, d, static_cast<char>('A' + letter), habit, reasoning);
        break;
    }
    case task_kind::numeric: {
        long long value = d.answer;
        if (!a.right) {
            // A slip in one step: off by a little, or an intermediate result taken as final.
            if (d.steps.size() > 1 && r.bernoulli(0.4)) {
                value = d.steps[static_cast<std::size_t>(r.below(d.steps.size() - 1))];
            } else {
                // Sign, then size: one draw per statement, so every compiler draws in this order.
                const long long sign = r.bernoulli(0.5) ? 1 : -1;
                value = d.answer + sign * (1 + static_cast<long long>(r.below(12)));
            }
            if (value == d.answer) value += 10;
        }
        auto habit = static_cast<numeric_habit>(pick_weighted(r, m.numeric_habits));
        if (format_pull_[q] && r.bernoulli(0.9)) habit = numeric_habit::words;
        a.strict_defeating = strict_misreads(habit, value);
        a.text = write_numeric_answer(r, d, value, habit, reasoning);
        break;
    }
    case task_kind::code: {
        const auto fault = a.right ? code_fault::none
                                   : static_cast<code_fault>(pick_weighted(r, fault_weights.data(), fault_weights.size()));
        auto habit = static_cast<code_habit>(pick_weighted(r, m.code_habits));
        if (format_pull_[q] && r.bernoulli(0.9)) habit = r.bernoulli(0.5) ? code_habit::fenced_plain : code_habit::unfenced;
        a.strict_defeating = habit != code_habit::fenced_python;
        a.text = write_code_answer(r, code_[q], fault, habit, reasoning / 3);
        break;
    }
    case task_kind::open: a.text = write_open_answer(r, d, a.quality, reasoning); break;
    }
    return a;
}

budgeted_answer at_budget(const drafted_answer& a, std::uint32_t full_tokens, std::uint32_t budget) {
    if (full_tokens <= budget) return {a.text, full_tokens, false, a.quality};
    // Judges see what survived the cut: a right answer cut short is at best partial.
    return {truncate_to_tokens(a.text, budget), budget, true, std::min(a.quality, 1)};
}

success_odds simulator::odds(std::uint32_t q, std::uint16_t m) const {
    const model_spec& spec = c_.models[m];
    // An ability offset per (model, subject): the signal a router can learn from text.
    rng subject_rng(derive_seed(c_.seed, "subject:" + spec.id + ":" + queries()[q].subject));
    double ability = spec.ability + subject_rng.normal(0, spec.subject_spread);
    if (spec.item_spread > 0) {
        rng item_rng(derive_seed(c_.seed, "item:" + spec.id, q));
        ability += item_rng.normal(0, spec.item_spread);
    }
    return {det_math::logistic(c_.discrimination * (ability - difficulty_[q])),
            det_math::logistic(c_.discrimination * (ability + 1.2 - difficulty_[q]))};
}

rng simulator::answer_stream(std::uint32_t q, std::uint16_t m, int sample) const {
    // Greedy decoding: every sample of a pair is the same draw.
    const int draw = c_.temperature == 0 ? 0 : sample;
    return rng(derive_seed(c_.seed, "generation:" + c_.models[m].id,
                           static_cast<std::uint64_t>(q) * 4096 + static_cast<std::uint64_t>(draw)));
}

judge_reply simulator::judge(std::size_t j, std::uint32_t generation, std::uint32_t q, int seen_quality,
                             std::uint32_t out_tokens) const {
    rng r(derive_seed(c_.seed, "judge:" + c_.judges[j].name, generation));
    return write_judge_reply(r, c_.judges[j], seen_quality, out_tokens, harsh_[j][q]);
}

void simulator::add_generations(std::uint32_t q, std::uint16_t m, int sample, const drafted_answer& a, rng& r) {
    const model_spec& spec = c_.models[m];
    const query& qu = queries()[q];
    const task_kind kind = b_.peek().benchmarks[qu.benchmark].kind;
    const std::uint32_t full_tokens = count_tokens(a.text);
    const std::uint32_t input_tokens = count_tokens(qu.text) + prompt_overhead_tokens;
    const double ms_jitter = det_math::exp(r.normal(0, 0.15));
    if (a.right && kind != task_kind::open) {
        planted_.right_uncut_closed += 1;
        planted_.strict_defeating += a.strict_defeating ? 1 : 0;
    }
    for (std::uint32_t budget : c_.budgets) {
        const budgeted_answer kept_answer = at_budget(a, full_tokens, budget);
        const bool cut = kept_answer.cut;
        const std::string_view kept = kept_answer.text;
        const std::uint32_t out_tokens = kept_answer.tokens;
        generation_row row;
        row.id = canonical_generation_id(qu.id, spec.id, budget, static_cast<std::uint16_t>(sample));
        row.query = q;
        row.model = m;
        row.budget = budget;
        row.sample = static_cast<std::uint16_t>(sample);
        row.text = kept;
        row.finish = cut ? finish_reason::length : finish_reason::stop;
        row.input_tokens = input_tokens;
        row.output_tokens = out_tokens;
        // Whole milliseconds: a realistic resolution, and exact in every text format.
        row.latency_ms =
            static_cast<double>(static_cast<long long>((150.0 + spec.latency_ms_per_token * out_tokens) * ms_jitter));
        const std::uint32_t gen = b_.add(std::move(row));
        auto& counts = planted_.by_budget[budget];
        if (sample == 0 && a.right && !cut) {
            auto& solved = planted_.truly_solved[budget];
            solved.resize(queries().size());
            solved[q] = 1;
        }
        counts[0] += 1;
        counts[1] += cut;
        counts[2] += a.right;
        counts[3] += a.right && cut;

        const int seen_quality = kept_answer.quality;
        for (std::size_t j = 0; j < c_.judges.size(); ++j) {
            const judge_spec& judge = c_.judges[j];
            const judge_reply reply = simulator::judge(j, gen, q, seen_quality, out_tokens);
            b_.add(judgment_row{gen, judge.name, judge.scale, reply.text});
            auto& jc = planted_.judges[j];
            jc.replies += 1;
            jc.malformed += reply.malformed;
            if (seen_quality == 2) { jc.full += 1; jc.full_failed += reply.intended_grade < 2; }
            if (seen_quality == 0) { jc.wrong += 1; jc.wrong_passed += reply.intended_grade == 2; }
        }
    }
}

study simulator::run() {
    draft_queries();
    std::size_t rows = queries().size() * c_.models.size() * static_cast<std::size_t>(c_.samples) * c_.budgets.size();
    b_.reserve_generations(rows, 0);
    for (std::uint32_t q = 0; q < queries().size(); ++q) {
        for (std::uint16_t m = 0; m < c_.models.size(); ++m) {
            const success_odds o = odds(q, m);
            for (int sample = 0; sample < c_.samples; ++sample) {
                rng r = answer_stream(q, m, sample);
                const drafted_answer a = draft_answer(r, q, m, o);
                add_generations(q, m, sample, a, r);
            }
        }
    }
    study_info info = b_.peek().info;
    info.provenance = provenance().dump();
    b_.info(std::move(info));
    return b_.finish();
}

nlohmann::ordered_json knobs(const pool_config& c) {
    using nlohmann::ordered_json;
    ordered_json p;
    p["generator"] = "headroom simulated pool";
    p["seed"] = c.seed;
    p["samples"] = c.samples;
    p["temperature"] = c.temperature;
    p["discrimination"] = c.discrimination;
    p["budgets"] = c.budgets;
    p["prompt_overhead_tokens"] = prompt_overhead_tokens;
    p["benchmarks"] = ordered_json::array();
    for (const auto& b : c.benchmarks)
        p["benchmarks"].push_back({{"id", b.id}, {"mirrors", b.mirrors}, {"queries", b.queries},
                                   {"difficulty_mean", b.difficulty_mean}, {"difficulty_sd", b.difficulty_sd},
                                   {"length_spread", b.length_spread}, {"format_pull", b.format_pull},
                                   {"test_queries", b.test_queries}});
    p["models"] = ordered_json::array();
    for (const auto& m : c.models)
        p["models"].push_back({{"id", m.id}, {"family", m.family}, {"tier", m.tier}, {"ability", m.ability},
                               {"subject_spread", m.subject_spread}, {"item_spread", m.item_spread},
                               {"verbosity", m.verbosity},
                               {"refusal_rate", m.refusal_rate}, {"mcq_habits", m.mcq_habits},
                               {"numeric_habits", m.numeric_habits}, {"code_habits", m.code_habits}});
    p["habit_order"] = {{"mcq", {"answer_line", "bold_letter", "letter_with_text", "option_text_only", "trailing_remark"}},
                        {"numeric", {"plain", "hash_line", "separators", "currency", "words"}},
                        {"code", {"fenced_python", "fenced_plain", "unfenced"}}};
    p["judges"] = ordered_json::array();
    for (const auto& j : c.judges)
        p["judges"].push_back({{"name", j.name}, {"scale", to_string(j.scale)}, {"concise_tokens", j.concise_tokens},
                               {"concise_penalty", j.concise_penalty}, {"verbose_tokens", j.verbose_tokens},
                               {"verbose_reward", j.verbose_reward}, {"harsh_share", j.harsh_share},
                               {"harsh_penalty", j.harsh_penalty}, {"noise", j.noise},
                               {"no_verdict", j.no_verdict}, {"two_verdicts", j.two_verdicts}});
    return p;
}

nlohmann::ordered_json simulator::provenance() const {
    using nlohmann::ordered_json;
    ordered_json p = knobs(c_);
    // The true sizes of what was planted, measured while generating.
    ordered_json planted;
    auto share = [](double part, double whole) { return whole > 0 ? part / whole : 0.0; };
    planted["truncation"] = ordered_json::array();
    for (const auto& [budget, c] : planted_.by_budget)
        planted["truncation"].push_back({{"budget", budget}, {"cut_share", share(c[1], c[0])},
                                         {"right_answers_cut_share", share(c[3], c[2])}});
    // Query level: the share no model truly solves (first samples), overall and per
    // benchmark: U under a perfect grader at each budget.
    planted["unsolvable"] = ordered_json::array();
    for (std::uint32_t budget : c_.budgets) {
        const auto found = planted_.truly_solved.find(budget);
        const std::vector<query>& qs = queries();
        std::vector<double> asked(b_.peek().benchmarks.size()), unsolved(b_.peek().benchmarks.size());
        for (std::uint32_t q = 0; q < qs.size(); ++q) {
            const bool solved = found != planted_.truly_solved.end() && q < found->second.size() && found->second[q];
            asked[qs[q].benchmark] += 1;
            unsolved[qs[q].benchmark] += solved ? 0 : 1;
        }
        double all_queries = 0, all_unsolved = 0;
        ordered_json by_benchmark = ordered_json::object();
        for (std::size_t b = 0; b < b_.peek().benchmarks.size(); ++b) {
            by_benchmark[b_.peek().benchmarks[b].id] = share(unsolved[b], asked[b]);
            all_queries += asked[b];
            all_unsolved += unsolved[b];
        }
        planted["unsolvable"].push_back(
            {{"budget", budget}, {"share", share(all_unsolved, all_queries)}, {"by_benchmark", by_benchmark}});
    }
    planted["format"] = {{"right_answers_in_strict_defeating_habits_share",
                          share(planted_.strict_defeating, planted_.right_uncut_closed)}};
    planted["judges"] = ordered_json::array();
    for (std::size_t j = 0; j < c_.judges.size(); ++j) {
        const auto& jc = planted_.judges[j];
        planted["judges"].push_back({{"name", c_.judges[j].name},
                                     {"full_answers_failed_share", share(jc.full_failed, jc.full)},
                                     {"wrong_answers_passed_share", share(jc.wrong_passed, jc.wrong)},
                                     {"malformed_share", share(jc.malformed, jc.replies)}});
    }
    p["planted"] = planted;
    return p;
}

task_kind kind_of(query_style style) {
    switch (style) {
    case query_style::knowledge:
    case query_style::clinical: return task_kind::mcq;
    case query_style::math: return task_kind::numeric;
    case query_style::code_function:
    case query_style::code_basic: return task_kind::code;
    case query_style::instruct:
    case query_style::chat: return task_kind::open;
    }
    return task_kind::open;
}

study simulate(const pool_config& config) { return simulator(config).run(); }

} // namespace headroom::sim
