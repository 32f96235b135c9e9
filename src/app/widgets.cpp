#include "widgets.h"

#include "theme.h"

#include <algorithm>
#include <cstdio>

void SectionHeader(const char* title) {
    ImGui::PushFont(GetTheme().heading);
    ImGui::TextUnformatted(title);
    ImGui::PopFont();
    ImGui::Separator();
}

void Explanation(const char* text) {
    ImGui::PushStyleColor(ImGuiCol_Text, GetTheme().muted);
    ImGui::TextWrapped("%s", text);
    ImGui::PopStyleColor();
}

void Badge(const char* text, const ImVec4& text_color, const ImVec4& fill) {
    // A disabled-looking button would react to hover; draw the box by hand instead.
    const ImVec2 pad = ImGui::GetStyle().FramePadding;
    const ImVec2 size = ImGui::CalcTextSize(text);
    const ImVec2 p0 = ImGui::GetCursorScreenPos();
    const ImVec2 p1(p0.x + size.x + 2 * pad.x, p0.y + size.y + 2 * pad.y);
    ImDrawList* draw = ImGui::GetWindowDrawList();
    draw->AddRectFilled(p0, p1, ImGui::GetColorU32(fill), ImGui::GetStyle().FrameRounding);
    draw->AddRect(p0, p1, ImGui::GetColorU32(ImVec4(text_color.x, text_color.y, text_color.z, 0.35f)),
                  ImGui::GetStyle().FrameRounding);
    draw->AddText(ImVec2(p0.x + pad.x, p0.y + pad.y), ImGui::GetColorU32(text_color), text);
    ImGui::Dummy(ImVec2(p1.x - p0.x, p1.y - p0.y));
}

void ItemTooltip(const char* text) {
    if (!ImGui::IsItemHovered()) return;
    ImGui::BeginTooltip();
    ImGui::PushTextWrapPos(ImGui::GetFontSize() * 28.0f);
    ImGui::TextUnformatted(text);
    ImGui::PopTextWrapPos();
    ImGui::EndTooltip();
}

bool ToggleButton(const char* label, bool active) {
    const Theme& theme = GetTheme();
    if (active) {
        ImGui::PushStyleColor(ImGuiCol_Button, theme.accent);
        ImGui::PushStyleColor(ImGuiCol_ButtonHovered, theme.accent);
        ImGui::PushStyleColor(ImGuiCol_ButtonActive, theme.accent);
        ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(1, 1, 1, 1));
    }
    const bool clicked = ImGui::Button(label);
    if (active) ImGui::PopStyleColor(4);
    return clicked;
}

void RecordTarget(AppState& state, const char* key) {
    const ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
    state.targets[key] = {a.x, a.y, b.x, b.y};
}

void TextPercent(double share, const char* marker) {
    char text[48];
    std::snprintf(text, sizeof text, "%s%.2f", marker ? marker : "", 100.0 * share);
    // Right-aligned, so digits of equal weight line up down the column.
    const float slack = ImGui::GetContentRegionAvail().x - ImGui::CalcTextSize(text).x;
    if (slack > 0) ImGui::SetCursorPosX(ImGui::GetCursorPosX() + slack);
    ImGui::TextUnformatted(text);
}

float PercentColumnWidth(const char* header) {
    const float widest_value = ImGui::CalcTextSize("\u25b8 100.00").x;
    return std::max(ImGui::CalcTextSize(header).x, widest_value) + ImGui::GetFontSize();
}

void NumericHeadersRow(int first, int end) {
    ImGui::TableNextRow(ImGuiTableRowFlags_Headers);
    const int columns = ImGui::TableGetColumnCount();
    for (int c = 0; c < columns; ++c) {
        if (!ImGui::TableSetColumnIndex(c)) continue;
        const char* name = ImGui::TableGetColumnName(c);
        if (c >= first && c < end) {
            const float slack = ImGui::GetContentRegionAvail().x - ImGui::CalcTextSize(name).x;
            if (slack > 0) ImGui::SetCursorPosX(ImGui::GetCursorPosX() + slack);
        }
        ImGui::TableHeader(name);
    }
}
