// The panels, one file each (panel_*.cpp), and the layout that places them
// (layout.cpp). Each draws from AppState; only the protocol panel changes it.
#pragma once
#include "app_state.h"

// The whole app for one frame: loading and error screens, or the panels.
void DrawApp(AppState& state);

void DrawStudyPanel(const AppState& state);
void DrawProtocolPanel(AppState& state);
void DrawHeadroomPanel(const AppState& state);
void DrawRoutersPanel(const AppState& state);
