// Background work: results too slow for one frame on a large study (texts and labels for the
// inspector, bootstrap intervals, noise nulls, the decomposition, router runs) are
// computed a slice at a time between frames, what the shown tab needs first. The
// page's thread is the one that draws, so "off the frame" means "in small pieces": the
// UI stays responsive and each number appears when it is ready. Router training, the
// one piece that cannot be cut small, goes to a worker thread when the page has one.
#include "app/ui/app_state.h"

#include "core/labels/summary.h"

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <exception>

namespace {

using clock_type = std::chrono::steady_clock;

// Section rows in report order: all queries, then each benchmark's.
std::vector<std::uint32_t> SectionRows(const AppState& state, std::size_t section) {
    if (section == 0) {
        std::vector<std::uint32_t> rows(state.session.study->queries.size());
        for (std::uint32_t q = 0; q < rows.size(); ++q) rows[q] = q;
        return rows;
    }
    return state.session.index->queries_of_benchmark(static_cast<std::uint32_t>(section - 1));
}

std::size_t SectionCount(const AppState& state) { return 1 + state.session.study->benchmarks.size(); }

} // namespace

int NoiseSimulations(const headroom::study& s) {
    // The CLI's 100 deals cost seconds per section on a million generations; there 10
    // keep each slice short (the simulated oracle averages over queries as well).
    return s.generations.size() <= 200000 ? 100 : 10;
}

namespace {

// A protocol's labels, computed once and kept with its detail: the shown protocol's
// background work and the scoring of the trainer worker's routers both read them.
const headroom::label_matrix& LabelsOf(AppState& state, const headroom::protocol& p) {
    ProtocolDetail& d = state.session.details[headroom::describe(p)];
    if (!d.labels) d.labels = headroom::compute_labels(*state.session.study, *state.session.index, p);
    return *d.labels;
}

// One step of the shown protocol's detail; false when it is complete.
bool StepProtocolDetail(AppState& state, bool with_noise, clock_type::time_point deadline) {
    ProtocolDetail& d = state.session.details[headroom::describe(state.session.current)];
    if (!d.labels) {
        LabelsOf(state, state.session.current);
        return true;
    }
    if (d.bootstraps.empty()) {
        for (std::size_t s = 0; s < SectionCount(state); ++s)
            d.bootstraps.emplace_back(*d.labels, SectionRows(state, s), AppState::summary_resamples);
        return true;
    }
    if (d.intervals.empty()) {
        bool all_done = true;
        for (auto& b : d.bootstraps) {
            while (!b.done() && clock_type::now() < deadline) b.run(2);
            all_done = all_done && b.done();
        }
        if (!all_done) return true;
        for (const auto& b : d.bootstraps) d.intervals.push_back(b.result());
        return true;
    }
    if (with_noise && d.noise.size() < SectionCount(state)) {
        // The same seed as `headroom decompose`, and its simulations where affordable.
        d.noise.push_back(headroom::noise_headroom(*state.session.study, *state.session.index, state.session.current,
                                                   SectionRows(state, d.noise.size()), NoiseSimulations(*state.session.study), 1));
        return true;
    }
    return false;
}

// One step of the decomposition; false when it is complete.
bool StepDecomposition(AppState& state) {
    DecompositionWork& d = state.session.decomposition;
    if (!d.builder) {
        headroom::decomposition_options options;
        options.resamples = AppState::decomposition_resamples;
        d.builder.emplace(*state.session.study, *state.session.index, state.session.naive, state.session.corrected, options);
    }
    if (d.builder->done()) return false;
    d.builder->step();
    return true;
}

// Trains and evaluates the first router asked for; false when none is waiting. One
// router is one slice: the core's training is not divided further, so on the largest
// study a slice takes as long as the run (the panel shows how long).
bool StepRouters(AppState& state) {
    if (state.session.router_requests.empty()) return false;
    const RouterRequest request = state.session.router_requests.front();
    state.session.router_requests.erase(state.session.router_requests.begin());
    if (state.train_elsewhere && state.train_elsewhere(request)) {
        state.session.router_training.emplace(request.key, request);
        return true;
    }
    if (!state.session.feature_cache) state.session.feature_cache = std::make_unique<headroom::feature_cache>(*state.session.study);
    const auto start = clock_type::now();
    RouterRun run;
    try {
        run.report = headroom::evaluate_route(*state.session.study, *state.session.index, request.router, request.train, request.test,
                                              RouterOptions(request.features), *state.session.feature_cache);
    } catch (const std::exception& e) {
        run.error = e.what();  // e.g. labels the study cannot give under that protocol
    }
    run.ms = std::chrono::duration<double, std::milli>(clock_type::now() - start).count();
    state.session.router_runs.emplace(request.key, std::move(run));
    return true;
}

// Texts of the query in the inspector; false when they are there (or cannot be had).
bool StepQueryTexts(AppState& state) {
    if (state.session.selected_query < 0 || !state.session.regenerate_error.empty()) return false;
    const auto q = static_cast<std::uint32_t>(state.session.selected_query);
    if (state.session.query_texts && state.session.query_texts->query == q) return false;
    const headroom::study& s = *state.session.study;
    QueryTexts texts;
    texts.query = q;
    if (!s.info.texts_omitted) {
        // The query's generations from the index, not a scan of every generation; the
        // judgments have no index, so their scan first rules out generations outside
        // the query's span of ids (a query's generations sit together in the table).
        std::uint32_t first = UINT32_MAX, last = 0;
        for (std::uint16_t m = 0; m < s.models.size(); ++m)
            for (std::uint32_t budget : state.session.index->budgets())
                for (std::uint32_t gen : state.session.index->samples(q, m, budget)) {
                    texts.text.emplace(gen, s.generations.text[gen]);
                    first = std::min(first, gen);
                    last = std::max(last, gen);
                }
        for (std::uint32_t row = 0; row < s.judgments.size(); ++row) {
            const std::uint32_t gen = s.judgments.generation[row];
            if (gen >= first && gen <= last && texts.text.count(gen))
                texts.reply.emplace(std::pair{gen, s.judgments.judge[row]}, s.judgments.reply[row]);
        }
    } else {
        try {
            // Drafting the study's queries again is a slice of its own.
            if (!state.session.regenerator) {
                state.session.regenerator = std::make_unique<headroom::sim::text_regenerator>(s);
                return true;
            }
            const headroom::sim::query_texts rebuilt = state.session.regenerator->regenerate(q);
            texts.rebuilt = true;
            for (std::size_t i = 0; i < rebuilt.generations.size(); ++i)
                texts.text.emplace(rebuilt.generations[i], rebuilt.texts[i]);
            for (std::size_t i = 0; i < rebuilt.judgments.size(); ++i) {
                const std::uint32_t row = rebuilt.judgments[i];
                texts.reply.emplace(std::pair{s.judgments.generation[row], s.judgments.judge[row]}, rebuilt.replies[i]);
            }
        } catch (const std::exception& e) {
            state.session.regenerate_error = e.what();  // e.g. a study the simulator did not write
            return true;
        }
    }
    state.session.query_texts = std::move(texts);
    return true;
}

} // namespace

void FinishRouterRun(AppState& state, const std::string& key, std::vector<headroom::confidence_matrix> confidences,
                     double ms, const std::string& error) {
    const auto it = state.session.router_training.find(key);
    if (it == state.session.router_training.end() || state.session.status != LoadStatus::Ready) return;
    const RouterRequest request = it->second;
    state.session.router_training.erase(it);
    RouterRun run;
    run.ms = ms;
    run.in_worker = true;
    run.error = error;
    if (error.empty()) {
        try {
            run.report = headroom::score_route(*state.session.study, request.router, request.train, request.test,
                                               RouterOptions(request.features), LabelsOf(state, request.train),
                                               LabelsOf(state, request.test), confidences);
        } catch (const std::exception& e) {
            run.error = e.what();
        }
    }
    state.session.router_runs.emplace(key, std::move(run));
}

bool RunBackgroundWork(AppState& state, double budget_ms) {
    if (state.session.status != LoadStatus::Ready || !state.session.shown) return false;
    const auto start = clock_type::now();
    const auto deadline = start + std::chrono::microseconds(static_cast<long long>(budget_ms * 1000));
    // The decomposition and the claims read the same analysis; the headroom chart and
    // the inspector read the shown protocol's detail; the routers tab and the claims
    // read router runs, which are only computed when asked for. The tab in view goes first.
    const bool analysis_first = state.view.tab == Tab::Decomposition || state.view.tab == Tab::Claims;
    const bool routers_first = state.view.tab == Tab::Routers;
    const bool noise = state.view.tab == Tab::Headroom;
    bool more = true;
    while (more && clock_type::now() < deadline) {
        if (state.view.tab == Tab::Queries && StepQueryTexts(state)) continue;
        if (routers_first) more = StepRouters(state) || StepProtocolDetail(state, noise, deadline) || StepDecomposition(state);
        else if (analysis_first) more = StepDecomposition(state) || StepRouters(state) || StepProtocolDetail(state, noise, deadline);
        else more = StepProtocolDetail(state, noise, deadline) || StepDecomposition(state) || StepRouters(state);
    }
    return more;
}
