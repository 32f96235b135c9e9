#include "page_bridge.h"

#include <emscripten/emscripten.h>
#include <emscripten/wget.h>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <span>
#include <string>

namespace {

AppState* g_page_state = nullptr;

void OnStudyFetched(void* arg, void* data, int size) {
    auto& state = *static_cast<AppState*>(arg);
    LoadStudy(state, std::span<const std::uint8_t>(static_cast<const std::uint8_t*>(data),
                                                   static_cast<std::size_t>(size)));
}

void OnStudyFetchFailed(void* arg) {
    auto& state = *static_cast<AppState*>(arg);
    // emscripten_async_wget_data reports neither the HTTP status nor the network error,
    // so say what the likely causes are.
    FailLoading(state, "Could not download the study from '" + state.study_url +
                           "': the server did not return it (the file may be missing, the address "
                           "mistyped, or the server unreachable).");
}

// Converts canvas pixels to viewport CSS pixels in JavaScript, where the canvas's box is known.
// clang-format off
EM_JS(void, JsPublish, (int ready, const char* status, int revision, const char* name, const char* protocol,
                        const char* report_json, const char* error, const char* protocol_error,
                        double compute_ms, const char* targets_json), {
    const text = (p) => (p ? UTF8ToString(p) : "");
    const canvas = Module["canvas"];
    const box = canvas.getBoundingClientRect();
    const sx = canvas.width ? box.width / canvas.width : 1;
    const sy = canvas.height ? box.height / canvas.height : 1;
    const targets = {};
    const raw = JSON.parse(text(targets_json) || "{}");
    for (const key in raw) {
        const r = raw[key];
        targets[key] = {x: box.left + (r[0] + r[2]) / 2 * sx, y: box.top + (r[1] + r[3]) / 2 * sy};
    }
    const state = {
        ready: !!ready,
        status: text(status),
        revision: revision,
        name: text(name),
        protocol: text(protocol),
        report: JSON.parse(text(report_json) || "null"),
        error: text(error),
        protocol_error: text(protocol_error),
        compute_ms: compute_ms,
        targets: targets,
    };
    window.headroom = state;
    window.dispatchEvent(new CustomEvent("headroom", {detail: state}));
});
// clang-format on

const char* StatusName(LoadStatus s) {
    switch (s) {
    case LoadStatus::Fetching: return "fetching";
    case LoadStatus::Ready: return "ready";
    case LoadStatus::Failed: return "failed";
    }
    return "?";
}

} // namespace

void ConnectPage(AppState& state) { g_page_state = &state; }

void StartStudyFetch(AppState& state) {
    state.status = LoadStatus::Fetching;
    emscripten_async_wget_data(state.study_url.c_str(), &state, OnStudyFetched, OnStudyFetchFailed);
}

void PublishToPage(AppState& state) {
    state.publish_pending = false;
    ++state.revision;
    const bool ready = state.status == LoadStatus::Ready && state.shown;
    nlohmann::json targets = nlohmann::json::object();
    for (const auto& [key, t] : state.targets) targets[key] = {t.x0, t.y0, t.x1, t.y1};
    const std::string name = ready ? ProtocolName(state, state.current) : "";
    const std::string protocol = ready ? headroom::describe(state.current) : "";
    JsPublish(ready, StatusName(state.status), state.revision, name.c_str(), protocol.c_str(),
              ShownReportJson(state).c_str(), state.error.c_str(), state.protocol_error.c_str(), state.compute_ms,
              targets.dump().c_str());
}

extern "C" EMSCRIPTEN_KEEPALIVE int headroom_set_protocol(const char* text) {
    if (!g_page_state || !text) return 0;
    return SetProtocolText(*g_page_state, text) ? 1 : 0;
}
