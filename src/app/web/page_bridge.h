// The app's seam with the web page (Tracy's Backend.hpp idea: one small file per
// platform concern). Fetching a study, telling the page what is on screen, keeping
// the address bar in step with the view, and the functions the page (or a test) calls.
//
// After each change is drawn, the page sees
//   window.headroom = {ready, status, revision, name, protocol, report, error,
//                      protocol_error, compute_ms, load_ms, study_url, tab, query,
//                      working, decomposition, router_view, router, router_trainer,
//                      link, targets}
// and a "headroom" event on window carrying the same object. `report` is
// headroom::to_json of a study_report holding exactly the shown protocol; `protocol`
// is describe() of it; `decomposition` is headroom::to_json of the analysis (as
// `headroom decompose --json - --resamples 200` prints it) once computed, else null;
// on the Routers tab, `router_view` is RouterView() and `router` headroom::to_json of
// the chosen route_report with every standard policy (`headroom route --json` prints
// the same numbers for the policy it is given), {error} if the run failed, null until
// computed, and `router_trainer` where it was trained ("worker": the trainer worker,
// "page": in place); `working` is true while background work remains (in the worker too);
// `link` is the address of this view; `targets` holds the centres of clickable
// widgets in viewport CSS pixels (for tests that click).
#pragma once
#include "app/ui/app_state.h"

#include <cstdint>

// Remembers the state the exported functions act on.
void ConnectPage(AppState& state);
// Starts the asynchronous download of state.study_url (or takes the one the page began
// ahead of the app); LoadStudy or FailLoading runs when it ends, then applies
// `protocol` (may be empty).
void StartStudyFetch(AppState& state, const std::string& protocol = {});
// Sets window.headroom from the state, updates the address bar, and records what it told (page.published).
void PublishToPage(AppState& state, bool working);
// Serves what the panels asked of the page this frame: another study, a copied link,
// a CSV download. (The PNG export reads pixels, so main.cpp does it after rendering.)
void ServePageRequests(AppState& state);
// Hands `bytes` to the browser as a download named `name`.
void DownloadBytes(const std::string& name, const char* mime, const std::uint8_t* bytes, std::size_t size);

// Callable from JavaScript: Module.ccall('headroom_set_protocol', 'number', ['string'], [text]).
// `text` is "key=value ..." as headroom::parse_protocol reads it, applied to the naive
// protocol. Returns 1 when the protocol is now shown, 0 when it was refused (the reason
// is in window.headroom.protocol_error after the next frame).
extern "C" int headroom_set_protocol(const char* text);
// A study file the reader dropped on the page: `size` bytes at `data` (the page
// allocated them with _malloc; the app frees them), named `name` in messages.
extern "C" void headroom_load_bytes(std::uint8_t* data, int size, const char* name);
// The study site.js downloaded ahead (see StartStudyFetch): `size` bytes at `data`,
// allocated with _malloc and freed here; or the HTTP status that refused it (0: none).
extern "C" void headroom_study_fetched(void* context, std::uint8_t* data, int size);
extern "C" void headroom_study_fetch_failed(void* context, int status);
// Select a query by row (-1: none) and a tab by name; for tests and links.
extern "C" void headroom_select(const char* tab, int query);
