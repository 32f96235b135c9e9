#include "app/web/page_bridge.h"

#include "app/web/trainer_bridge.h"

#include <emscripten/emscripten.h>
#include <emscripten/wget.h>

#include <imgui.h>
#include <nlohmann/json.hpp>

#include <cstdint>
#include <cstdlib>
#include <span>
#include <string>

namespace {

AppState* g_page_state = nullptr;

// What to apply once the fetched study is loaded (the protocol from the address), and
// which load it belongs to: a download that ends after the reader moved on to another
// study (a dropped file, the picker) is ignored.
struct FetchContext {
    AppState* state;
    std::string protocol;
    std::uint64_t load = 0;  // AppState::load at the start of the download
};

bool Current(const FetchContext* context) { return context->load == context->state->load; }

void OnStudyFetched(void* arg, void* data, int size) {
    auto* context = static_cast<FetchContext*>(arg);
    if (Current(context)) {
        const std::span<const std::uint8_t> bytes(static_cast<const std::uint8_t*>(data), static_cast<std::size_t>(size));
        LoadStudy(*context->state, bytes, context->protocol);
        ShareStudyWithTrainer(*context->state, bytes);
    }
    delete context;
}

// `status`: the HTTP status when the server answered, 0 when it is not known.
void FailFetch(FetchContext* context, int status) {
    if (Current(context)) {
        const std::string where = "Could not download the study from '" + context->state->session.study_url + "': ";
        FailLoading(*context->state,
                    status > 0 ? where + "the server answered HTTP " + std::to_string(status) + "."
                               : where + "the server did not return it (the file may be missing, the address "
                                         "mistyped, or the server unreachable).");
    }
    delete context;
}

// emscripten_async_wget_data reports neither the HTTP status nor the network error.
void OnStudyFetchFailed(void* arg) { FailFetch(static_cast<FetchContext*>(arg), 0); }

// site.js starts downloading the study from the address while app.wasm downloads and
// compiles. If that download is for `url`, the app takes it (once) and is called back
// through headroom_study_fetched / headroom_study_fetch_failed; returns 0 otherwise.
// clang-format off
EM_JS(int, JsTakePrefetchedStudy, (const char* url, void* context), {
    const pre = window.headroomStudyPrefetch;
    if (!pre || pre.url !== UTF8ToString(url)) return 0;
    window.headroomStudyPrefetch = null;
    pre.response.then((got) => {
        const bytes = got.buffer ? new Uint8Array(got.buffer) : null;
        // _malloc returns 0 when the module's memory cannot grow to hold the study.
        const pointer = bytes ? _malloc(Math.max(bytes.length, 1)) : 0;
        if (!pointer) {
            _headroom_study_fetch_failed(context, got.status);
            return;
        }
        HEAPU8.set(bytes, pointer);
        // The trainer worker's copy (trainer_bridge.cpp) takes these bytes instead of a new one.
        Module["headroomStudyBytes"] = bytes;
        _headroom_study_fetched(context, pointer, bytes.length);
        Module["headroomStudyBytes"] = null;
    });
    return 1;
});
// clang-format on

// Converts canvas pixels to viewport CSS pixels in JavaScript, where the canvas's box is
// known, and keeps the address bar on this view (replaceState: no history entry per click).
// clang-format off
EM_JS(void, JsPublish, (const char* json), {
    const state = JSON.parse(UTF8ToString(json));
    const canvas = Module["canvas"];
    const box = canvas.getBoundingClientRect();
    const sx = canvas.width ? box.width / canvas.width : 1;
    const sy = canvas.height ? box.height / canvas.height : 1;
    const targets = {};
    for (const key in state.targets) {
        const r = state.targets[key];
        targets[key] = {x: box.left + (r[0] + r[2]) / 2 * sx, y: box.top + (r[1] + r[3]) / 2 * sy};
    }
    state.targets = targets;
    const params = new URLSearchParams();
    if (state.study_url) params.set("study", state.study_url);
    if (state.ready && state.name !== "naive") params.set("protocol", state.protocol);
    if (state.tab && state.tab !== "headroom") params.set("tab", state.tab);
    if (state.query) params.set("query", state.query);
    if (state.router_view) params.set("router", state.router_view);
    const link = location.origin + location.pathname + "?" + params.toString().split("+").join("%20");
    // A dropped file has no address to link to: keep the address bar as it was.
    if (!state.dropped && location.protocol !== "file:") history.replaceState(null, "", link);
    state.link = state.dropped ? "" : link;
    window.headroom = state;
    window.dispatchEvent(new CustomEvent("headroom", {detail: state}));
});

EM_JS(void, JsCopyLink, (), {
    const link = window.headroom && window.headroom.link ? window.headroom.link : location.href;
    window.headroomCopiedLink = link;
    if (navigator.clipboard && navigator.clipboard.writeText)
        navigator.clipboard.writeText(link).catch(() => {});
});

EM_JS(void, JsDownload, (const char* name, const char* mime, const std::uint8_t* bytes, int size), {
    const data = HEAPU8.slice(bytes, bytes + size);
    const blob = new Blob([data], {type: UTF8ToString(mime)});
    const a = document.createElement("a");
    a.href = URL.createObjectURL(blob);
    a.download = UTF8ToString(name);
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 10000);
    window.headroomLastDownload = {name: UTF8ToString(name), size: size};
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

bool IsDropped(const AppState& state) { return state.session.study_url.rfind("dropped:", 0) == 0; }

// Where the inspector's texts of the selected query came from, once they are there.
nlohmann::ordered_json QueryTextsJson(const AppState& state) {
    if (state.session.status != LoadStatus::Ready || state.session.selected_query < 0) return nullptr;
    nlohmann::ordered_json out{{"error", state.session.regenerate_error}};
    if (state.session.query_texts && state.session.query_texts->query == static_cast<std::uint32_t>(state.session.selected_query)) {
        out["source"] = state.session.query_texts->rebuilt ? "simulator" : "study";
        out["texts"] = state.session.query_texts->text.size();
        out["replies"] = state.session.query_texts->reply.size();
    }
    return out;
}

// Where the chosen router run was trained: "worker", "page" (in place), "" (none yet).
const char* RouterTrainer(AppState& state) {
    if (state.view.tab != Tab::Routers) return "";
    const RouterRun* run = ChosenRouterRun(state);
    return !run ? "" : run->in_worker ? "worker" : "page";
}

} // namespace

void ConnectPage(AppState& state) { g_page_state = &state; }

void StartStudyFetch(AppState& state, const std::string& protocol) {
    EndTrainer();
    state.session.status = LoadStatus::Fetching;
    auto* context = new FetchContext{&state, protocol, ++state.load};
    if (JsTakePrefetchedStudy(state.session.study_url.c_str(), context)) return;
    emscripten_async_wget_data(state.session.study_url.c_str(), context, OnStudyFetched, OnStudyFetchFailed);
}

void PublishToPage(AppState& state, bool working) {
    state.page.published = PageFactsOf(state, working);
    ++state.page.revision;
    const bool ready = state.session.status == LoadStatus::Ready && state.session.shown;
    // ordered_json keeps the report's keys in the core's order, which the tests compare.
    using nlohmann::ordered_json;
    ordered_json targets = ordered_json::object();
    for (const auto& [key, t] : state.page.targets) targets[key] = {t.x0, t.y0, t.x1, t.y1};
    ordered_json out = {
        {"ready", ready},
        {"status", StatusName(state.session.status)},
        {"revision", state.page.revision},
        {"name", ready ? ProtocolName(state, state.session.current) : ""},
        {"protocol", ready ? headroom::describe(state.session.current) : ""},
        {"report", ordered_json::parse(ShownReportJson(state))},
        {"decomposition", ordered_json::parse(DecompositionJson(state))},
        {"error", state.session.error},
        {"protocol_error", state.session.protocol_error},
        {"compute_ms", state.session.compute_ms},
        {"load_ms", state.session.load_ms},
        {"study_url", IsDropped(state) ? "" : state.session.study_url},
        {"dropped", IsDropped(state)},
        {"tab", TabName(state.view.tab)},
        {"guess", state.view.guess},
        {"revealed", state.view.headroom_revealed},
        {"query", ready && state.session.selected_query >= 0 ? state.session.study->queries[state.session.selected_query].id : ""},
        {"query_search", std::string(state.view.query_search)},
        {"query_texts", QueryTextsJson(state)},
        {"working", working},
        {"router_view", ready && state.view.tab == Tab::Routers ? RouterView(state) : ""},
        {"router_view_error", state.view.router_view_error},
        // Only while the Routers tab is shown; asking queues the run if it is missing.
        {"router", ready && state.view.tab == Tab::Routers ? ordered_json::parse(ChosenRouterJson(state)) : ordered_json()},
        {"router_trainer", RouterTrainer(state)},
        {"targets", targets},
        {"focused", state.page.focused_target},
    };
    // Ids from a dropped file may hold invalid UTF-8: replaced, never thrown out of a frame.
    JsPublish(out.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace).c_str());
}

void ServePageRequests(AppState& state) {
    if (!state.page.requested_study.empty()) {
        std::string url = std::move(state.page.requested_study);
        state.page.requested_study.clear();
        ResetStudy(state, std::move(url));
        StartStudyFetch(state);
    }
    if (state.page.copy_link_requested) {
        state.page.copy_link_requested = false;
        JsCopyLink();
        state.view.link_copied_at = ImGui::GetTime();
    }
    if (state.page.export_csv_requested) {
        state.page.export_csv_requested = false;
        if (!state.page.table_csv.empty())
            DownloadBytes("headroom-" + state.page.table_name + ".csv", "text/csv",
                          reinterpret_cast<const std::uint8_t*>(state.page.table_csv.data()), state.page.table_csv.size());
    }
}

void DownloadBytes(const std::string& name, const char* mime, const std::uint8_t* bytes, std::size_t size) {
    JsDownload(name.c_str(), mime, bytes, static_cast<int>(size));
}

extern "C" EMSCRIPTEN_KEEPALIVE int headroom_set_protocol(const char* text) {
    if (!g_page_state || !text) return 0;
    return SetProtocolText(*g_page_state, text) ? 1 : 0;
}

extern "C" EMSCRIPTEN_KEEPALIVE void headroom_load_bytes(std::uint8_t* data, int size, const char* name) {
    if (!g_page_state) {
        std::free(data);
        return;
    }
    EndTrainer();
    ResetStudy(*g_page_state, std::string("dropped:") + (name ? name : "file"));
    const std::span<const std::uint8_t> bytes(data, static_cast<std::size_t>(size > 0 ? size : 0));
    LoadStudy(*g_page_state, bytes);
    ShareStudyWithTrainer(*g_page_state, bytes);
    std::free(data);
}

extern "C" EMSCRIPTEN_KEEPALIVE void headroom_study_fetched(void* context, std::uint8_t* data, int size) {
    OnStudyFetched(context, data, size);
    std::free(data);
}

extern "C" EMSCRIPTEN_KEEPALIVE void headroom_study_fetch_failed(void* context, int status) {
    FailFetch(static_cast<FetchContext*>(context), status);
}

extern "C" EMSCRIPTEN_KEEPALIVE void headroom_select(const char* tab, int query) {
    if (!g_page_state) return;
    AppState& state = *g_page_state;
    if (tab) {
        if (auto t = ParseTab(tab)) {
            state.view.tab = *t;
            state.view.tab_from_url = true;
        }
    }
    if (state.session.study && query >= -1 && query < static_cast<int>(state.session.study->queries.size())) state.session.selected_query = query;
}
