// The tabs of the right-hand column, declared once in tabs.cpp. A new tab is its panel
// file (panel_<name>.cpp defining its draw function), a value in `Tab` (app_state.h)
// and one row in tabs.cpp; the tab bar, the page's address and the tests read the table.
#pragma once
#include "app/ui/app_state.h"

#include <span>

struct TabEntry {
    Tab id;
    const char* name;   // in the page's address (?tab=) and in the click target "tab=<name>"
    const char* label;  // on the tab bar
    void (*draw)(AppState&);
};

// Every tab, in the tab bar's order (the order of `Tab`).
std::span<const TabEntry> Tabs();
