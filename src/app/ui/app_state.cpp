#include "app/ui/app_state.h"

#include "core/io/study_file.h"
#include "core/labels/cost.h"
#include "core/study/split.h"

#include <nlohmann/json.hpp>
#include <algorithm>
#include <chrono>
#include <exception>
#include <stdexcept>
#include <utility>

namespace {

constexpr ShippedStudy shipped[] = {
    {"skeleton", "precomputed/skeleton/study.pack", "400 queries, 4 models, texts included"},
    {"p1-routing", "precomputed/p1-routing/study.pack", "mirrors P1: 16,442 queries, 7 models, 10 samples"},
    {"p2-artifacts", "precomputed/p2-artifacts/study.pack", "mirrors P2: 34,459 queries, 6 models, two judges"},
};

// Text from a study (ids, names) may hold invalid UTF-8; the JSON gets U+FFFD instead of
// an exception thrown out of a frame.
std::string Dump(const nlohmann::ordered_json& j) {
    return j.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

double MillisecondsSince(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
}

} // namespace

std::span<const ShippedStudy> ShippedStudies() { return shipped; }

void FailLoading(AppState& state, std::string message) {
    state.session.status = LoadStatus::Failed;
    state.session.error = std::move(message);
    state.session.shown = nullptr;
}

void ResetStudy(AppState& state, std::string url) {
    ++state.load;
    // The old session ends with this block, its members in reverse order: what refers
    // to its study goes before the study.
    { const StudySession old = std::exchange(state.session, StudySession{}); }
    state.session.study_url = std::move(url);
}

PageFacts PageFactsOf(const AppState& state, bool working) {
    const StudySession& s = state.session;
    PageFacts f;
    f.load = state.load;
    f.status = s.status;
    f.error = s.error;
    f.protocol_error = s.protocol_error;
    f.regenerate_error = s.regenerate_error;
    f.shown = s.shown;
    f.view = state.view;
    f.selected_query = s.selected_query;
    f.section = s.section;
    f.query_benchmark = s.query_benchmark;
    f.query_texts = s.query_texts.has_value();
    f.decomposition_done = s.decomposition.Done();
    f.router_runs = s.router_runs.size();
    f.router_training = s.router_training.size();
    f.working = working;
    f.focused_target = state.page.focused_target;
    for (const auto& entry : state.page.targets) f.target_names.push_back(entry.first);
    return f;
}

void LoadStudy(AppState& state, std::span<const std::uint8_t> bytes, const std::string& initial_protocol) {
    const auto start = std::chrono::steady_clock::now();
    try {
        state.session.study = std::make_unique<headroom::study>(headroom::read_study_file(bytes, state.session.study_url));
        state.session.index = std::make_unique<headroom::study_index>(*state.session.study);
        // Visits every query: worth keeping rather than redoing on each frame of the Routers tab.
        const headroom::report_options defaults;
        state.session.baseline_split = headroom::describe_split(*state.session.study, defaults.test_fraction, defaults.split_seed);
        state.session.facts.budgets = state.session.index->budgets();
        state.session.facts.samples_per_pair = state.session.study->samples_per_pair();
        ++state.study_scans;
        state.session.facts.queries_per_benchmark.assign(state.session.study->benchmarks.size(), 0);
        for (const auto& q : state.session.study->queries) ++state.session.facts.queries_per_benchmark[q.benchmark];
        state.session.naive = headroom::naive_protocol(*state.session.study);
        state.session.corrected = headroom::corrected_protocol(*state.session.study);
    } catch (const std::exception& e) {
        // input_error names the file and what is wrong with it; show it as is.
        state.session.index.reset();
        state.session.study.reset();
        FailLoading(state, e.what());
        return;
    }
    state.session.status = LoadStatus::Ready;
    // Kept from the study before or from a link: a study without embeddings cannot train on them.
    if (state.view.features == headroom::feature_kind::embeddings && state.session.study->embeddings.empty()) {
        state.view.features = headroom::feature_kind::tfidf;
        state.view.router_view_error = "features 'embeddings' (this study has no query embeddings; TF-IDF instead)";
    }
    state.session.selected_query = -1;
    for (std::size_t q = 0; q < state.session.study->queries.size() && !state.view.linked_query.empty(); ++q)
        if (state.session.study->queries[q].id == state.view.linked_query) state.session.selected_query = static_cast<int>(q);
    state.view.linked_query.clear();
    if (!SetProtocol(state, state.session.naive)) {
        FailLoading(state, "The study loaded, but its naive protocol cannot be reported: " + state.session.protocol_error);
        return;
    }
    // A linked protocol that this study refuses leaves the naive one shown, with the reason.
    if (!initial_protocol.empty()) SetProtocolText(state, initial_protocol);
    state.session.load_ms = MillisecondsSince(start);
}

const headroom::protocol_report* ReportFor(AppState& state, const headroom::protocol& p) {
    if (state.session.status != LoadStatus::Ready) return nullptr;
    const std::string key = headroom::describe(p);
    auto it = state.session.reports.find(key);
    if (it != state.session.reports.end()) return &it->second;
    const auto start = std::chrono::steady_clock::now();
    try {
        auto report = headroom::report_protocol(*state.session.study, *state.session.index, {ProtocolName(state, p), p});
        it = state.session.reports.emplace(key, std::move(report)).first;
    } catch (const std::exception& e) {
        state.session.protocol_error = key + ": " + e.what();
        return nullptr;
    }
    state.session.compute_ms = MillisecondsSince(start);
    return &it->second;
}

const std::vector<double>& CostPerQuery(AppState& state, std::uint32_t budget) {
    auto it = state.session.cost_per_query.find(budget);
    if (it == state.session.cost_per_query.end()) {
        it = state.session.cost_per_query.emplace(budget, headroom::cost_per_query(*state.session.study, budget)).first;
        ++state.study_scans;
    }
    return it->second;
}

bool SetProtocol(AppState& state, const headroom::protocol& p) {
    const headroom::protocol_report* report = ReportFor(state, p);
    if (!report) return false;
    state.session.current = p;
    state.session.shown = report;
    state.session.protocol_error.clear();
    return true;
}

bool SetProtocolText(AppState& state, const std::string& text) {
    if (state.session.status != LoadStatus::Ready) {
        state.session.protocol_error = "no study is loaded yet";
        return false;
    }
    headroom::protocol p;
    try {
        p = headroom::parse_protocol(text, state.session.naive);
    } catch (const std::exception& e) {
        state.session.protocol_error = e.what();
        return false;
    }
    return SetProtocol(state, p);
}

std::string ProtocolName(const AppState& state, const headroom::protocol& p) {
    if (p == state.session.naive) return "naive";
    if (p == state.session.corrected) return "corrected";
    return headroom::describe(p);
}

std::string ShownReportJson(const AppState& state) {
    if (!state.session.shown || !state.session.study) return "null";
    headroom::study_report r = headroom::report_header(*state.session.study);  // the default options, as report_protocol used
    r.protocols.push_back(*state.session.shown);
    return Dump(headroom::to_json(r));
}

std::optional<headroom::analysis> CompletedDecomposition(const AppState& state) {
    if (!state.session.study || !state.session.decomposition.Done()) return std::nullopt;
    return state.session.decomposition.builder->result();
}

const std::vector<headroom::analysis_section>& DecompositionWork::Sections() const {
    static const std::vector<headroom::analysis_section> none;
    return builder ? builder->result().sections : none;
}

std::string DecompositionJson(const AppState& state) {
    const auto a = CompletedDecomposition(state);
    return a ? Dump(headroom::to_json(*a)) : "null";
}

const ProtocolDetail* ShownDetail(const AppState& state) {
    if (!state.session.shown) return nullptr;
    auto it = state.session.details.find(headroom::describe(state.session.current));
    return it == state.session.details.end() ? nullptr : &it->second;
}

const headroom::analysis_section* DecompositionAll(const AppState& state) {
    const auto& sections = state.session.decomposition.Sections();
    return sections.empty() ? nullptr : &sections.front();
}

const RouterRun* RouterRunFor(AppState& state, headroom::router_kind router, headroom::feature_kind features,
                              const headroom::protocol& train, const headroom::protocol& test) {
    const std::string key = std::string(headroom::to_string(router)) + "|" + std::string(headroom::to_string(features)) +
                            "|" + headroom::describe(train) + "|" + headroom::describe(test);
    if (auto it = state.session.router_runs.find(key); it != state.session.router_runs.end()) return &it->second;
    const bool asked = state.session.router_training.count(key) ||
                       std::any_of(state.session.router_requests.begin(), state.session.router_requests.end(),
                                   [&](const RouterRequest& r) { return r.key == key; });
    if (!asked) state.session.router_requests.push_back({key, router, features, train, test});
    return nullptr;
}

headroom::protocol RouterTrainProtocol(const AppState& state) {
    switch (state.view.train_labels) {
    case TrainLabels::Naive: return state.session.naive;
    case TrainLabels::Corrected: return state.session.corrected;
    case TrainLabels::Shown: break;
    }
    return state.session.current;
}

const RouterRun* ChosenRouterRun(AppState& state) {
    if (state.session.status != LoadStatus::Ready || !state.session.shown) return nullptr;
    return RouterRunFor(state, state.view.router, state.view.features, RouterTrainProtocol(state), state.session.current);
}

std::string ChosenRouterJson(AppState& state) {
    const RouterRun* run = ChosenRouterRun(state);
    if (!run) return "null";
    if (!run->error.empty()) return Dump(nlohmann::ordered_json{{"error", run->error}});
    return Dump(headroom::to_json(run->report));
}

const char* TrainLabelsName(TrainLabels t) {
    switch (t) {
    case TrainLabels::Naive: return "naive";
    case TrainLabels::Corrected: return "corrected";
    case TrainLabels::Shown: return "shown";
    }
    return "";
}

std::string RouterView(const AppState& state) {
    const auto policies = headroom::standard_policies();
    const auto p = static_cast<std::size_t>(state.view.router_policy);
    return std::string(headroom::to_string(state.view.router)) + ":" + std::string(headroom::to_string(state.view.features)) +
           ":" + TrainLabelsName(state.view.train_labels) + ":" + (p < policies.size() ? headroom::describe(policies[p]) : "");
}

void ApplyRouterView(AppState& state, const std::string& view) {
    std::vector<std::string> parts(1);
    for (char c : view) {
        if (c == ':') parts.emplace_back();
        else parts.back() += c;
    }
    parts.resize(4);
    std::vector<std::string> unknown;
    auto note = [&](const char* what, const std::string& part) {
        if (!part.empty()) unknown.push_back(std::string(what) + " '" + part + "'");
    };
    try {
        state.view.router = headroom::parse_router_kind(parts[0]);
    } catch (const std::invalid_argument&) {
        note("router", parts[0]);
    }
    try {
        state.view.features = headroom::parse_feature_kind(parts[1]);
    } catch (const std::invalid_argument&) {
        note("features", parts[1]);
    }
    bool labels_known = false;
    for (TrainLabels t : {TrainLabels::Naive, TrainLabels::Corrected, TrainLabels::Shown})
        if (parts[2] == TrainLabelsName(t)) {
            state.view.train_labels = t;
            labels_known = true;
        }
    if (!labels_known) note("training labels", parts[2]);
    const auto policies = headroom::standard_policies();
    bool policy_known = false;
    for (std::size_t p = 0; p < policies.size(); ++p)
        if (headroom::describe(policies[p]) == parts[3]) {
            state.view.router_policy = static_cast<int>(p);
            policy_known = true;
        }
    if (!policy_known) note("policy", parts[3]);
    std::string list;
    for (const auto& u : unknown) list += (list.empty() ? "" : ", ") + u;
    state.view.router_view_error = unknown.empty() ? "" : "The link's router view '" + view + "' has an unknown " + list +
                                                         "; the tab shows its own choice there instead.";
}
