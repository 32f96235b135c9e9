// Everything the app knows: the loaded study, its index, and the headroom report of
// each protocol seen so far. Panels only read this; the few functions below change it.
// The GUI is a function of this state (STYLE.md).
#pragma once
#include "labels.h"
#include "protocol.h"
#include "report.h"
#include "study.h"

#include <cstdint>
#include <map>
#include <memory>
#include <span>
#include <string>

enum class LoadStatus { Fetching, Ready, Failed };

// A clickable widget's rectangle in canvas pixels, published so a test can click it.
struct ClickTarget {
    float x0 = 0, y0 = 0, x1 = 0, y1 = 0;
    bool operator==(const ClickTarget&) const = default;
};

struct AppState {
    LoadStatus status = LoadStatus::Fetching;
    std::string study_url;
    std::string error;  // why loading failed, in words

    // study_index keeps a reference to its study, so both live on the heap and never move.
    std::unique_ptr<headroom::study> study;
    std::unique_ptr<headroom::study_index> index;
    headroom::protocol naive, corrected;

    headroom::protocol current;          // the protocol the controls show and the table reports
    std::string protocol_error;          // the last protocol refused, and why
    // Reports by describe(protocol): a protocol is computed once, revisiting it is free.
    std::map<std::string, headroom::protocol_report> reports;
    const headroom::protocol_report* shown = nullptr;
    double compute_ms = 0;               // time of the last report computation

    // The page learns of each change once it is on screen and its layout has settled
    // (ImGui tables size their columns over the first frames), see main.cpp.
    bool publish_pending = false;
    int revision = 0;
    std::map<std::string, ClickTarget> targets;       // recorded by this frame's widgets
    std::map<std::string, ClickTarget> last_targets;  // ... and by the previous frame's
};

// Unpacks and indexes the fetched study, then reports the naive protocol. Failures
// (a foreign file, a truncated pack, a protocol the study cannot support) become
// state.error; nothing throws out of here.
void LoadStudy(AppState& state, std::span<const std::uint8_t> bytes);
void FailLoading(AppState& state, std::string message);

// Makes `p` the shown protocol, computing its report unless it is cached. Returns false
// (and sets protocol_error, keeping the previous report) when the study cannot support it.
bool SetProtocol(AppState& state, const headroom::protocol& p);
// Parses "key=value ..." as headroom::parse_protocol does, relative to the naive
// protocol (the same base as the CLI's --protocol), then SetProtocol.
bool SetProtocolText(AppState& state, const std::string& text);

// "naive" or "corrected" when `p` is one of the study's two named protocols, otherwise
// describe(p): the name the CLI gives `--protocol "<describe(p)>"`, so the two reports match.
std::string ProtocolName(const AppState& state, const headroom::protocol& p);
// The shown report as headroom::to_json would print it for a study_report holding
// exactly the shown protocol.
std::string ShownReportJson(const AppState& state);
