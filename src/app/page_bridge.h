// The app's seam with the web page (Tracy's Backend.hpp idea: one small file per
// platform concern). Fetching the study, telling the page what is on screen, and the
// function the page (or a test) calls to change the protocol.
//
// After each change is drawn, the page sees
//   window.headroom = {ready, status, revision, name, protocol, report, error,
//                      protocol_error, compute_ms, targets}
// and a "headroom" event on window carrying the same object. `report` is
// headroom::to_json of a study_report holding exactly the shown protocol; `protocol`
// is describe() of it; `targets` holds the centres of clickable widgets in viewport
// CSS pixels (for tests that click).
#pragma once
#include "app_state.h"

// Remembers the state that headroom_set_protocol acts on.
void ConnectPage(AppState& state);
// Starts the asynchronous download of state.study_url; LoadStudy or FailLoading runs
// when it ends.
void StartStudyFetch(AppState& state);
// Sets window.headroom from the state and clears publish_pending.
void PublishToPage(AppState& state);

// Callable from JavaScript: Module.ccall('headroom_set_protocol', 'number', ['string'], [text]).
// `text` is "key=value ..." as headroom::parse_protocol reads it, applied to the naive
// protocol. Returns 1 when the protocol is now shown, 0 when it was refused (the reason
// is in window.headroom.protocol_error after the next frame).
extern "C" int headroom_set_protocol(const char* text);
