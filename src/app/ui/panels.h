// The panels, one file each (panel_*.cpp), and the layout that places them
// (layout.cpp); the tabs' panels are declared with their rows in tabs.cpp. Each draws from AppState; the protocol panel, the study picker and
// the tabs' own selectors change it.
#pragma once
#include "app/ui/app_state.h"

// The whole app for one frame: loading and error screens, or the panels.
void DrawApp(AppState& state);

void DrawStudyPanel(AppState& state);
void DrawProtocolPanel(AppState& state);
