#include "app/ui/widgets.h"

#include "app/ui/theme.h"

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstdarg>
#include <cstdio>

void SectionHeader(const char* title) {
    ImGui::PushFont(GetTheme().heading);
    ImGui::TextUnformatted(title);
    ImGui::PopFont();
    ImGui::Separator();
}

void Explanation(const char* text) {
    ImGui::PushStyleColor(ImGuiCol_Text, GetTheme().muted);
    TextWrappedWords("%s", text);
    ImGui::PopStyleColor();
}

std::string WrapAtSpaces(std::string_view text, float width) {
    ImFont* font = ImGui::GetFont();
    const float size = ImGui::GetFontSize();
    // ImGui reads a null end as "up to the terminating zero": an empty view is never passed.
    auto measure = [&](std::string_view s) {
        return s.empty() ? 0.0f : font->CalcTextSizeA(size, FLT_MAX, 0.0f, s.data(), s.data() + s.size()).x;
    };
    std::string out;
    float line = 0;  // width of the line being filled
    auto new_line = [&] {
        out += '\n';
        line = 0;
    };
    for (std::size_t i = 0; i < text.size();) {
        if (text[i] == '\n') {
            new_line();
            ++i;
            continue;
        }
        // A run of spaces, then the word after it.
        std::size_t word_start = i;
        while (word_start < text.size() && text[word_start] == ' ') ++word_start;
        std::size_t word_end = word_start;
        while (word_end < text.size() && text[word_end] != ' ' && text[word_end] != '\n') ++word_end;
        std::string_view spaces = text.substr(i, word_start - i), word = text.substr(word_start, word_end - word_start);
        i = word_end;
        if (word.empty()) continue;  // spaces ending a line or the text show nothing
        if (line > 0 && line + measure(spaces) + measure(word) > width) {
            new_line();
            spaces = {};  // a line does not start with the spaces it broke at
        }
        out += spaces;
        line += measure(spaces);
        // Too wide for a line of its own: cut it, a character at a time (UTF-8 aware).
        while (!word.empty() && line + measure(word) > width) {
            std::size_t fits = 0;
            for (std::size_t next = 1; next <= word.size(); ++next) {
                if (next < word.size() && (static_cast<unsigned char>(word[next]) & 0xC0) == 0x80) continue;
                if (line + measure(word.substr(0, next)) > width) break;
                fits = next;
            }
            if (fits == 0 && line == 0)  // not even one character fits: take one anyway
                for (fits = 1; fits < word.size() && (static_cast<unsigned char>(word[fits]) & 0xC0) == 0x80;) ++fits;
            out += word.substr(0, fits);
            word.remove_prefix(fits);
            new_line();
        }
        out += word;
        line += measure(word);
    }
    return out;
}

void TextWrappedWords(const char* format, ...) {
    va_list args, again;
    va_start(args, format);
    va_copy(again, args);
    const int length = std::vsnprintf(nullptr, 0, format, args);
    va_end(args);
    std::string text(static_cast<std::size_t>(std::max(length, 0)), '\0');
    std::vsnprintf(text.data(), text.size() + 1, format, again);
    va_end(again);
    const float width = ImGui::GetContentRegionAvail().x;
    ImGui::TextUnformatted(width > 0 ? WrapAtSpaces(text, width).c_str() : text.c_str());
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
    ImGui::TextUnformatted(WrapAtSpaces(text, ImGui::GetFontSize() * 28.0f).c_str());
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
    state.page.targets[key] = {a.x, a.y, b.x, b.y};
    if (ImGui::IsItemFocused()) state.page.focused_target = key;
}

namespace {

// A share in points to two decimals; one that rounds to zero without a sign (a gap of
// exactly nothing, negated, printed as -0.00 and read as a loss).
double TwoDecimalPoints(double share) {
    const double points = 100.0 * share;
    return std::abs(points) < 0.005 ? 0.0 : points;
}

} // namespace

void TextPercent(double share, const char* marker) {
    char text[48];
    std::snprintf(text, sizeof text, "%s%.2f", marker ? marker : "", TwoDecimalPoints(share));
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

void SectionPicker(AppState& state) {
    if (!state.session.shown) return;
    const auto& sections = state.session.shown->sections;
    if (state.session.section >= sections.size()) state.session.section = 0;
    for (std::size_t i = 0; i < sections.size(); ++i) {
        const auto& sec = sections[i];
        const std::string label = sec.benchmark + " (" + std::to_string(sec.summary.queries) + ")";
        if (i > 0) ImGui::SameLine(0, 0);
        // Wrap to the next line rather than run off the panel.
        if (i > 0 && ImGui::GetContentRegionAvail().x < ImGui::CalcTextSize(label.c_str()).x + 24 * GetTheme().scale)
            ImGui::NewLine();
        ImGui::PushID(static_cast<int>(i));
        if (ToggleButton(label.c_str(), state.session.section == i)) state.session.section = i;
        ImGui::PopID();
        RecordTarget(state, ("section=" + sec.benchmark).c_str());
    }
}

void NoteChart(AppState& state, const char* name, ImVec2 min, ImVec2 max) {
    if (!state.page.chart_name.empty()) return;  // the first chart of the tab is its main one
    state.page.chart_name = name;
    state.page.chart_rect = {min.x, min.y, max.x, max.y};
    state.page.targets["chart"] = state.page.chart_rect;  // tests hover it
}

std::string CsvField(const std::string& text) {
    if (text.find_first_of(",\"\n\r") == std::string::npos) return text;
    std::string out = "\"";
    for (char c : text) {
        if (c == '"') out += '"';
        out += c;
    }
    return out + "\"";
}

std::string Points(double share) {
    char text[32];
    std::snprintf(text, sizeof text, "%.2f", TwoDecimalPoints(share));
    return text;
}

void Pending(const char* what) {
    const int dots = static_cast<int>(ImGui::GetTime() * 3.0) % 4;
    static const char* const trail[] = {"", ".", "..", "..."};
    ImGui::TextColored(GetTheme().muted, "%s%s", what, trail[dots]);
}
