#include "app_state.h"

#include "pack.h"

#include <chrono>
#include <exception>
#include <stdexcept>
#include <utility>

void FailLoading(AppState& state, std::string message) {
    state.status = LoadStatus::Failed;
    state.error = std::move(message);
    state.shown = nullptr;
    state.publish_pending = true;
}

void LoadStudy(AppState& state, std::span<const std::uint8_t> bytes) {
    try {
        state.study = std::make_unique<headroom::study>(headroom::unpack_study(bytes, state.study_url));
        state.index = std::make_unique<headroom::study_index>(*state.study);
        state.naive = headroom::naive_protocol(*state.study);
        state.corrected = headroom::corrected_protocol(*state.study);
    } catch (const std::exception& e) {
        // input_error names the file and what is wrong with it; show it as is.
        FailLoading(state, e.what());
        return;
    }
    state.status = LoadStatus::Ready;
    if (!SetProtocol(state, state.naive))
        FailLoading(state, "The study loaded, but its naive protocol cannot be reported: " + state.protocol_error);
}

bool SetProtocol(AppState& state, const headroom::protocol& p) {
    if (state.status != LoadStatus::Ready) return false;
    const std::string key = headroom::describe(p);
    auto it = state.reports.find(key);
    if (it == state.reports.end()) {
        const auto start = std::chrono::steady_clock::now();
        try {
            auto report = headroom::report_protocol(*state.study, *state.index, {ProtocolName(state, p), p});
            it = state.reports.emplace(key, std::move(report)).first;
        } catch (const std::exception& e) {
            state.protocol_error = key + ": " + e.what();
            state.publish_pending = true;
            return false;
        }
        state.compute_ms =
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    }
    state.current = p;
    state.shown = &it->second;
    state.protocol_error.clear();
    state.publish_pending = true;
    return true;
}

bool SetProtocolText(AppState& state, const std::string& text) {
    if (state.status != LoadStatus::Ready) {
        state.protocol_error = "no study is loaded yet";
        return false;
    }
    headroom::protocol p;
    try {
        p = headroom::parse_protocol(text, state.naive);
    } catch (const std::exception& e) {
        state.protocol_error = e.what();
        state.publish_pending = true;
        return false;
    }
    return SetProtocol(state, p);
}

std::string ProtocolName(const AppState& state, const headroom::protocol& p) {
    if (p == state.naive) return "naive";
    if (p == state.corrected) return "corrected";
    return headroom::describe(p);
}

std::string ShownReportJson(const AppState& state) {
    if (!state.shown || !state.study) return "null";
    headroom::study_report r;
    r.study = state.study->info.name;
    for (const auto& m : state.study->models) r.models.push_back(m.id);
    r.protocols.push_back(*state.shown);  // r.options stays the default, as report_protocol used
    return headroom::to_json(r).dump();
}
