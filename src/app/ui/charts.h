// Thin ImDrawList drawing of the charts whose arithmetic (scales, ticks, hull,
// waterfall layout, hit-testing) lives in the core's chart module. Each call draws one
// chart as one ImGui item of the given size and shows a tooltip for what the mouse is
// over. Values are in display units (percentage points, dollars): the panel converts.
#pragma once
#include "core/chart/hull.h"
#include "core/chart/waterfall.h"

#include <imgui.h>

#include <span>
#include <string>
#include <vector>

struct ChartOutcome {
    ImVec2 min, max;   // the chart's whole rectangle, for PNG export
    int hovered = -1;  // the bar or point under the mouse
};

struct BarItem {
    std::string label;
    double value = 0, low = 0, high = 0;  // low == high: no whisker
    ImU32 color = 0;
    std::string tip;                      // extra tooltip lines
};

// A horizontal line across the plot, labelled at its right end (oracle, noise null...).
struct ReferenceLine {
    std::string label;
    double value = 0;
    ImU32 color = 0;
    bool dashed = false;
};

// Vertical bars with interval whiskers, and reference lines. The y axis spans
// [y_min, the largest value, whisker or line], widened to nice ticks.
ChartOutcome BarChart(const char* id, std::span<const BarItem> bars, std::span<const ReferenceLine> lines,
                      const char* unit, ImVec2 size, double y_min = 0);

// Floating bars from headroom::chart::layout_waterfall; totals stand on zero, steps
// float. Whiskers show each bar's interval.
ChartOutcome WaterfallChart(const char* id, const std::vector<headroom::chart::waterfall_bar>& bars,
                            const char* unit, ImVec2 size);

struct ScatterItem {
    std::string label;
    double x = 0, y = 0;
    ImU32 color = 0;
    std::string tip;
    bool labelled = true;  // the label is drawn beside the point, not only in its tooltip
};
// Points with their upper convex hull drawn as a line (the cost-quality frontier).
ChartOutcome ScatterChart(const char* id, std::span<const ScatterItem> points, const char* x_unit,
                          const char* y_unit, ImVec2 size);

// Counts per bin with a label under each bin.
ChartOutcome HistogramChart(const char* id, std::span<const std::size_t> counts, std::span<const std::string> labels,
                            std::span<const ImU32> colors, const char* unit, ImVec2 size);
