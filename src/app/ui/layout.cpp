// Places the panels in one window that covers the canvas: two columns when the canvas
// is wide, one scrolling column when it is narrow (a phone, a split screen).
#include "app/ui/panels.h"
#include "app/ui/tabs.h"
#include "app/ui/theme.h"
#include "app/ui/widgets.h"

#include <algorithm>
#include <cmath>
#include <string>

namespace {

// The host fills the canvas, which main.cpp clears to the window colour already: its
// own background would be one more full-canvas layer to blend, and software WebGL
// (the headless tests', a machine without a GPU's) pays for every blended pixel.
constexpr ImGuiWindowFlags host_flags = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                                        ImGuiWindowFlags_NoSavedSettings |
                                        ImGuiWindowFlags_NoBringToFrontOnFocus | ImGuiWindowFlags_NoBackground;
// Likewise a child inside a panel: the panel's white is already there.
constexpr ImGuiWindowFlags nested_flags = ImGuiWindowFlags_NoBackground;

// Centres a block `width` wide (device pixels) on the current line.
void CentreBlock(float width) {
    const float avail = ImGui::GetContentRegionAvail().x;
    if (avail > width) ImGui::SetCursorPosX(ImGui::GetCursorPosX() + (avail - width) / 2);
}

void DrawLoading(const AppState& state) {
    const float s = GetTheme().scale;
    ImGui::SetCursorPosY(ImGui::GetWindowHeight() * 0.35f);
    const int dots = static_cast<int>(std::fmod(ImGui::GetTime() * 3.0, 4.0));
    static const char* const trail[] = {"", ".", "..", "..."};
    ImGui::PushFont(GetTheme().heading);
    const char* text = "Loading the study";
    CentreBlock(ImGui::CalcTextSize(text).x + ImGui::CalcTextSize("...").x);
    ImGui::Text("%s%s", text, trail[dots]);
    ImGui::PopFont();
    ImGui::Dummy(ImVec2(0, 4 * s));
    ImGui::PushStyleColor(ImGuiCol_Text, GetTheme().muted);
    CentreBlock(ImGui::CalcTextSize(state.session.study_url.c_str()).x);
    ImGui::TextUnformatted(state.session.study_url.c_str());
    ImGui::PopStyleColor();
}

void DrawError(AppState& state) {
    const Theme& theme = GetTheme();
    const float s = theme.scale;
    const float width = std::min(ImGui::GetContentRegionAvail().x - 40 * s, 640 * s);
    const float pad = 16 * s;
    ImGui::SetCursorPosY(ImGui::GetWindowHeight() * 0.22f);
    CentreBlock(width);
    // The card's height is known only after its text wraps: draw the text on the front
    // channel first, then the card behind it.
    ImDrawList* draw = ImGui::GetWindowDrawList();
    draw->ChannelsSplit(2);
    draw->ChannelsSetCurrent(1);
    ImGui::BeginGroup();
    ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + width);
    ImGui::PushFont(theme.heading);
    ImGui::TextColored(theme.error_text, "The study could not be loaded");
    ImGui::PopFont();
    ImGui::Dummy(ImVec2(0, 2 * s));
    ImGui::TextUnformatted(state.session.error.c_str());
    ImGui::Dummy(ImVec2(0, 6 * s));
    ImGui::PushStyleColor(ImGuiCol_Text, theme.muted);
    ImGui::TextUnformatted("The page names the study in its address, e.g. ?study=precomputed/skeleton/study.pack "
                           "(the default). It must be a packed study made by `headroom pack`. Or open a shipped one:");
    ImGui::PopStyleColor();
    for (const ShippedStudy& shipped : ShippedStudies()) {
        if (ImGui::Button(shipped.name)) state.page.requested_study = shipped.url;
        RecordTarget(state, (std::string("study=") + shipped.name).c_str());
        ImGui::SameLine();
    }
    ImGui::NewLine();
    ImGui::PopTextWrapPos();
    ImGui::EndGroup();
    const ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
    draw->ChannelsSetCurrent(0);
    const ImVec2 p0(a.x - pad, a.y - pad), p1(a.x + width + pad, b.y + pad);
    draw->AddRectFilled(p0, p1, ImGui::GetColorU32(ImGuiCol_ChildBg), ImGui::GetStyle().ChildRounding);
    draw->AddRect(p0, p1, ImGui::GetColorU32(theme.error_text), ImGui::GetStyle().ChildRounding, 0, 1.5f * s);
    draw->ChannelsMerge();
}

// The toolbar over the tabs: links and exports of what is on screen.
void DrawToolbar(AppState& state) {
    if (ImGui::Button("Copy link")) state.page.copy_link_requested = true;
    RecordTarget(state, "copy-link");
    ItemTooltip("Copies the address of this view (study, protocol, tab, selected query, router) to the clipboard.");
    if (state.view.link_copied_at >= 0 && ImGui::GetTime() - state.view.link_copied_at < copied_note_seconds) {
        ImGui::SameLine();
        ImGui::AlignTextToFramePadding();
        ImGui::TextColored(GetTheme().accent, "link copied");
    }
    ImGui::SameLine();
    ImGui::BeginDisabled(state.page.chart_name.empty());
    if (ImGui::Button("Chart as PNG")) state.page.export_png_requested = true;
    ImGui::EndDisabled();
    RecordTarget(state, "export-png");
    ItemTooltip("Downloads the chart of this tab as a PNG image.");
    ImGui::SameLine();
    ImGui::BeginDisabled(state.page.table_name.empty());
    if (ImGui::Button("Table as CSV")) state.page.export_csv_requested = true;
    ImGui::EndDisabled();
    RecordTarget(state, "export-csv");
    ItemTooltip("Downloads the table of this tab as comma-separated values.");
}

void DrawTabs(AppState& state) {
    // The toolbar offers what the tab drew last frame; the tab then records it afresh.
    DrawToolbar(state);
    state.page.chart_name.clear();
    state.page.table_name.clear();
    state.page.table_csv.clear();
    if (!ImGui::BeginTabBar("tabs")) return;
    for (const TabEntry& entry : Tabs()) {
        const Tab tab = entry.id;
        // The URL picks the first tab; after that the reader's clicks do.
        const ImGuiTabItemFlags flags = state.view.tab == tab && state.view.tab_from_url ? ImGuiTabItemFlags_SetSelected : 0;
        const bool open = ImGui::BeginTabItem(entry.label, nullptr, flags);
        RecordTarget(state, (std::string("tab=") + entry.name).c_str());
        if (!open) continue;
        if (state.view.tab_from_url) {
            // The tab bar opens its first tab until the linked one's selection takes effect.
            if (tab == state.view.tab) state.view.tab_from_url = false;
        } else {
            state.view.tab = tab;
        }
        ImGui::BeginChild("tab-body", ImVec2(0, 0), false, nested_flags);
        entry.draw(state);
        ImGui::EndChild();
        ImGui::EndTabItem();
    }
    ImGui::EndTabBar();
}

void DrawPanels(AppState& state) {
    const float s = GetTheme().scale;
    const float width = ImGui::GetContentRegionAvail().x;
    if (width / s < 880) {
        // Narrow: everything in one column that scrolls.
        ImGui::BeginChild("column", ImVec2(0, 0), true);
        DrawProtocolPanel(state);
        ImGui::Dummy(ImVec2(0, 4 * s));
        ImGui::BeginChild("tabs-box", ImVec2(0, 900 * s), false, nested_flags);
        DrawTabs(state);
        ImGui::EndChild();
        ImGui::Dummy(ImVec2(0, 4 * s));
        DrawStudyPanel(state);
        ImGui::EndChild();
        return;
    }
    // Wide: what the study is on the left; what you change and what it does on the right.
    const float left = std::clamp(width * 0.30f, 330 * s, 440 * s);
    ImGui::BeginChild("study", ImVec2(left, 0), true);
    DrawStudyPanel(state);
    ImGui::EndChild();
    ImGui::SameLine();
    ImGui::BeginChild("report", ImVec2(0, 0), true);
    DrawProtocolPanel(state);
    ImGui::Dummy(ImVec2(0, 2 * s));
    DrawTabs(state);
    ImGui::EndChild();
}

} // namespace

void DrawApp(AppState& state) {
    // The panels drawn now ask again for the router runs they show; a run asked for by
    // a tab or a choice the reader has left is not computed.
    state.session.router_requests.clear();
    const ImGuiViewport* viewport = ImGui::GetMainViewport();
    ImGui::SetNextWindowPos(viewport->WorkPos);
    ImGui::SetNextWindowSize(viewport->WorkSize);
    ImGui::Begin("Headroom", nullptr, host_flags);
    switch (state.session.status) {
    case LoadStatus::Fetching: DrawLoading(state); break;
    case LoadStatus::Failed: DrawError(state); break;
    case LoadStatus::Ready: DrawPanels(state); break;
    }
    ImGui::End();
}
