#include "app/ui/theme.h"

namespace {

Theme g_theme;

constexpr float body_px = 15.0f, heading_px = 18.0f, title_px = 22.0f;

ImVec4 Rgb(int hex, float alpha = 1.0f) {
    return ImVec4(((hex >> 16) & 0xff) / 255.0f, ((hex >> 8) & 0xff) / 255.0f, (hex & 0xff) / 255.0f, alpha);
}

// Latin text plus the few symbols the panels print (dashes, arrows, dots, multiplication).
const ImWchar* GlyphRanges() {
    static ImVector<ImWchar> ranges;
    if (ranges.empty()) {
        ImFontGlyphRangesBuilder builder;
        builder.AddRanges(ImGui::GetIO().Fonts->GetGlyphRangesDefault());
        builder.AddText("\u2013\u2014\u2026\u2022\u00b7\u2192\u2190\u2264\u2265\u00d7\u2248\u25b8\u2713");
        builder.BuildRanges(&ranges);
    }
    return ranges.Data;
}

void LoadFonts(float scale, const char* font_path) {
    ImGuiIO& io = ImGui::GetIO();
    io.Fonts->Clear();
    ImFontConfig config;
    config.OversampleH = 2;  // the font is already rasterised at device pixels
    config.OversampleV = 1;
    g_theme.body = io.Fonts->AddFontFromFileTTF(font_path, body_px * scale, &config, GlyphRanges());
    g_theme.heading = io.Fonts->AddFontFromFileTTF(font_path, heading_px * scale, &config, GlyphRanges());
    g_theme.title = io.Fonts->AddFontFromFileTTF(font_path, title_px * scale, &config, GlyphRanges());
    if (!g_theme.body) {
        // Only if the embedded file went missing: ImGui's own font still shows words.
        config = ImFontConfig();
        config.SizePixels = 13.0f * scale;
        g_theme.body = g_theme.heading = g_theme.title = io.Fonts->AddFontDefault(&config);
    }
    io.FontDefault = g_theme.body;
}

void SetColors(ImGuiStyle& style) {
    // A light, low-contrast frame around high-contrast numbers, matching web/style.css.
    ImVec4* c = style.Colors;
    g_theme.background = Rgb(0xf6f7f9);
    g_theme.accent = Rgb(0x0b6e69);
    g_theme.muted = Rgb(0x5b6472);
    g_theme.best = Rgb(0x1d4ed8);
    g_theme.warning_text = Rgb(0x7a4b00);
    g_theme.warning_fill = Rgb(0xfff1cc);
    g_theme.error_text = Rgb(0xb42318);

    c[ImGuiCol_Text] = Rgb(0x1f2328);
    c[ImGuiCol_TextDisabled] = g_theme.muted;
    c[ImGuiCol_WindowBg] = g_theme.background;
    c[ImGuiCol_ChildBg] = Rgb(0xffffff);
    c[ImGuiCol_PopupBg] = Rgb(0xffffff);
    c[ImGuiCol_Border] = Rgb(0xd5dae1);
    c[ImGuiCol_BorderShadow] = Rgb(0x000000, 0.0f);
    c[ImGuiCol_FrameBg] = Rgb(0xeef1f5);
    c[ImGuiCol_FrameBgHovered] = Rgb(0xe2e8f0);
    c[ImGuiCol_FrameBgActive] = Rgb(0xd5dde8);
    c[ImGuiCol_TitleBg] = Rgb(0xe9edf2);
    c[ImGuiCol_TitleBgActive] = Rgb(0xe9edf2);
    c[ImGuiCol_TitleBgCollapsed] = Rgb(0xe9edf2);
    c[ImGuiCol_MenuBarBg] = Rgb(0xe9edf2);
    c[ImGuiCol_ScrollbarBg] = Rgb(0xf1f3f6);
    c[ImGuiCol_ScrollbarGrab] = Rgb(0xc3cad4);
    c[ImGuiCol_ScrollbarGrabHovered] = Rgb(0xa9b2bf);
    c[ImGuiCol_ScrollbarGrabActive] = Rgb(0x8f99a8);
    c[ImGuiCol_CheckMark] = g_theme.accent;
    c[ImGuiCol_SliderGrab] = g_theme.accent;
    c[ImGuiCol_SliderGrabActive] = Rgb(0x095955);
    c[ImGuiCol_Button] = Rgb(0xe6ebf1);
    c[ImGuiCol_ButtonHovered] = Rgb(0xd3e9e7);
    c[ImGuiCol_ButtonActive] = Rgb(0xb9dcd9);
    c[ImGuiCol_Header] = Rgb(0xd3e9e7);
    c[ImGuiCol_HeaderHovered] = Rgb(0xc2e0dd);
    c[ImGuiCol_HeaderActive] = Rgb(0xb0d6d2);
    c[ImGuiCol_Separator] = Rgb(0xd5dae1);
    c[ImGuiCol_SeparatorHovered] = Rgb(0xa9b2bf);
    c[ImGuiCol_SeparatorActive] = g_theme.accent;
    c[ImGuiCol_ResizeGrip] = Rgb(0x000000, 0.0f);
    c[ImGuiCol_ResizeGripHovered] = Rgb(0x000000, 0.0f);
    c[ImGuiCol_ResizeGripActive] = Rgb(0x000000, 0.0f);
    c[ImGuiCol_Tab] = Rgb(0xe6ebf1);
    c[ImGuiCol_TabHovered] = Rgb(0xd3e9e7);
    c[ImGuiCol_TabActive] = Rgb(0xffffff);
    c[ImGuiCol_TableHeaderBg] = Rgb(0xeef1f5);
    c[ImGuiCol_TableBorderStrong] = Rgb(0xd5dae1);
    c[ImGuiCol_TableBorderLight] = Rgb(0xe6e9ee);
    c[ImGuiCol_TableRowBg] = Rgb(0xffffff, 0.0f);
    c[ImGuiCol_TableRowBgAlt] = Rgb(0xf4f6f8);
    c[ImGuiCol_TextSelectedBg] = Rgb(0x0b6e69, 0.25f);
    c[ImGuiCol_NavHighlight] = g_theme.accent;
    c[ImGuiCol_ModalWindowDimBg] = Rgb(0x1f2328, 0.3f);
}

} // namespace

void ApplyTheme(float scale, const char* font) {
    g_theme.scale = scale;
    LoadFonts(scale, font);

    // Sizes are set in CSS pixels, then scaled once to device pixels.
    ImGuiStyle style;
    style.WindowPadding = ImVec2(14, 12);
    style.FramePadding = ImVec2(9, 5);
    style.ItemSpacing = ImVec2(10, 7);
    style.ItemInnerSpacing = ImVec2(7, 5);
    style.CellPadding = ImVec2(8, 4);
    style.ScrollbarSize = 12;
    style.WindowRounding = 0;
    style.ChildRounding = 6;
    style.FrameRounding = 4;
    style.PopupRounding = 4;
    style.ScrollbarRounding = 6;
    style.GrabRounding = 4;
    style.WindowBorderSize = 0;
    style.ChildBorderSize = 1;
    style.FrameBorderSize = 0;
    SetColors(style);
    style.ScaleAllSizes(scale);
    ImGui::GetStyle() = style;
}

const Theme& GetTheme() { return g_theme; }
