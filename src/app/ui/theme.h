// One look for the whole app: colours, spacing and the DejaVu Sans font, all scaled
// by the display's pixel ratio so text stays sharp and the same physical size on
// HiDPI screens. Panels take colours from here instead of inventing their own.
#pragma once
#include <imgui.h>

struct Theme {
    float scale = 1;          // device pixels per CSS pixel
    ImFont* body = nullptr;
    ImFont* heading = nullptr;
    ImFont* title = nullptr;
    ImVec4 accent;            // headroom, the number the app is about
    ImVec4 muted;             // explanations, units
    ImVec4 best;              // the best model of a column
    ImVec4 warning_text, warning_fill;  // the simulated-pool badge
    ImVec4 error_text;
    ImVec4 background;        // behind every window; also the GL clear colour
};

// The font embedded in the browser build (--embed-file in CMakeLists.txt).
inline constexpr const char* embedded_font = "/fonts/DejaVuSans.ttf";
// Rebuilds fonts and style for `scale`. Call before the first frame and again when
// devicePixelRatio changes; the renderer's font texture must then be recreated.
// `font` is a TrueType file (the native smoke test passes Debian's copy).
void ApplyTheme(float scale, const char* font = embedded_font);
const Theme& GetTheme();
