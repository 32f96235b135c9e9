// "Chart as PNG": reads the current chart's pixels back from the frame just rendered
// and hands them to the browser as a PNG file (stb_image_write).
#pragma once
#include "app/ui/app_state.h"

// Call after rendering, before the frame ends (WebGL keeps no buffer afterwards).
void ExportChartPng(AppState& state, int framebuffer_width, int framebuffer_height);
