// Places the panels in one window that covers the canvas: two columns when the canvas
// is wide, one scrolling column when it is narrow (a phone, a split screen).
#include "panels.h"
#include "theme.h"
#include "widgets.h"

#include <algorithm>
#include <cmath>

namespace {

constexpr ImGuiWindowFlags host_flags = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                                        ImGuiWindowFlags_NoSavedSettings |
                                        ImGuiWindowFlags_NoBringToFrontOnFocus;

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
    CentreBlock(ImGui::CalcTextSize(state.study_url.c_str()).x);
    ImGui::TextUnformatted(state.study_url.c_str());
    ImGui::PopStyleColor();
}

void DrawError(const AppState& state) {
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
    ImGui::TextUnformatted(state.error.c_str());
    ImGui::Dummy(ImVec2(0, 6 * s));
    ImGui::PushStyleColor(ImGuiCol_Text, theme.muted);
    ImGui::TextUnformatted("The page names the study in its address, e.g. ?study=precomputed/skeleton/study.pack "
                           "(the default). It must be a packed study made by `headroom pack`.");
    ImGui::PopStyleColor();
    ImGui::PopTextWrapPos();
    ImGui::EndGroup();
    const ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
    draw->ChannelsSetCurrent(0);
    const ImVec2 p0(a.x - pad, a.y - pad), p1(a.x + width + pad, b.y + pad);
    draw->AddRectFilled(p0, p1, ImGui::GetColorU32(ImGuiCol_ChildBg), ImGui::GetStyle().ChildRounding);
    draw->AddRect(p0, p1, ImGui::GetColorU32(theme.error_text), ImGui::GetStyle().ChildRounding, 0, 1.5f * s);
    draw->ChannelsMerge();
}

void DrawPanels(AppState& state) {
    const float s = GetTheme().scale;
    const float width = ImGui::GetContentRegionAvail().x;
    if (width / s < 880) {
        // Narrow: everything in one column that scrolls.
        ImGui::BeginChild("column", ImVec2(0, 0), true);
        DrawProtocolPanel(state);
        ImGui::Dummy(ImVec2(0, 4 * s));
        DrawHeadroomPanel(state);
        ImGui::Dummy(ImVec2(0, 4 * s));
        DrawRoutersPanel(state);
        ImGui::Dummy(ImVec2(0, 4 * s));
        DrawStudyPanel(state);
        ImGui::EndChild();
        return;
    }
    // Wide: what the study is on the left; what you change and what it does on the right.
    const float left = std::clamp(width * 0.34f, 340 * s, 460 * s);
    ImGui::BeginChild("study", ImVec2(left, 0), true);
    DrawStudyPanel(state);
    ImGui::EndChild();
    ImGui::SameLine();
    ImGui::BeginChild("report", ImVec2(0, 0), true);
    DrawProtocolPanel(state);
    ImGui::Dummy(ImVec2(0, 4 * s));
    DrawHeadroomPanel(state);
    ImGui::Dummy(ImVec2(0, 4 * s));
    DrawRoutersPanel(state);
    ImGui::EndChild();
}

} // namespace

void DrawApp(AppState& state) {
    const ImGuiViewport* viewport = ImGui::GetMainViewport();
    ImGui::SetNextWindowPos(viewport->WorkPos);
    ImGui::SetNextWindowSize(viewport->WorkSize);
    ImGui::Begin("Headroom", nullptr, host_flags);
    switch (state.status) {
    case LoadStatus::Fetching: DrawLoading(state); break;
    case LoadStatus::Failed: DrawError(state); break;
    case LoadStatus::Ready: DrawPanels(state); break;
    }
    ImGui::End();
}
