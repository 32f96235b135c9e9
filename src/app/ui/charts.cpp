#include "app/ui/charts.h"

#include "app/ui/theme.h"
#include "app/ui/widgets.h"
#include "core/chart/hit.h"
#include "core/chart/scale.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <utility>
#include <vector>

namespace chart = headroom::chart;

namespace {

// The chart's rectangle and its plot area inside the axes.
struct Frame {
    ImVec2 min, max;          // whole item
    ImVec2 plot_min, plot_max;
    chart::linear_scale y;
    bool hovered = false;
    ImVec2 mouse;
};

ImU32 Color(const ImVec4& c, float alpha = 1.0f) { return ImGui::GetColorU32(ImVec4(c.x, c.y, c.z, c.w * alpha)); }

ImU32 TextColor() { return ImGui::GetColorU32(ImGuiCol_Text); }
ImU32 MutedColor() { return Color(GetTheme().muted); }
ImU32 GridColor() { return ImGui::GetColorU32(ImGuiCol_TableBorderLight); }

// Where the plot starts right of the chart's left edge: after the y axis's tick labels.
float PlotLeft(double lo, double hi) {
    const chart::extent e = chart::nice_extent(lo, hi, 5);
    const chart::ticks t = chart::nice_ticks(e.lo, e.hi, 5);
    float label_w = 0;
    for (double v : t.values) label_w = std::max(label_w, ImGui::CalcTextSize(chart::format_tick(v, t.decimals).c_str()).x);
    return label_w + 10 * GetTheme().scale;
}

// The space kept between two labels on a row under the plot.
float LabelGap() { return 8 * GetTheme().scale; }

// Rows of labels under a chart of `size` whose bars (each with a `label`) fill `fill`
// of their slots: before the chart is laid out, from the same width BeginChart gives
// its plot (chart::band_scale::label_rows).
template <class Bar>
std::size_t LabelRows(std::span<const Bar> bars, ImVec2 size, double lo, double hi, float right, double fill,
                      std::size_t max_rows) {
    const float width = size.x > 0 ? size.x : ImGui::GetContentRegionAvail().x;
    std::vector<double> widths;
    for (const auto& b : bars) widths.push_back(ImGui::CalcTextSize(b.label.c_str()).x);
    return chart::band_scale{PlotLeft(lo, hi), width - right, bars.size(), fill}.label_rows(widths, LabelGap(), max_rows);
}

// Reserves the item and lays out the y axis over [lo, hi] (widened to nice ticks).
// `right` leaves room for reference-line labels; `label_rows` lines of text under the plot.
Frame BeginChart(const char* id, ImVec2 size, double lo, double hi, const char* unit, float right, int label_rows) {
    Frame f;
    const float s = GetTheme().scale;
    const ImVec2 at = ImGui::GetCursorScreenPos();
    if (size.x <= 0) size.x = ImGui::GetContentRegionAvail().x;
    ImGui::InvisibleButton(id, size);
    f.hovered = ImGui::IsItemHovered();
    f.mouse = ImGui::GetIO().MousePos;
    f.min = at;
    f.max = ImVec2(at.x + size.x, at.y + size.y);

    const chart::extent e = chart::nice_extent(lo, hi, 5);
    const chart::ticks t = chart::nice_ticks(e.lo, e.hi, 5);
    const float line = ImGui::GetTextLineHeight();
    f.plot_min = ImVec2(f.min.x + PlotLeft(lo, hi), f.min.y + line * (unit && *unit ? 1.4f : 0.6f));
    f.plot_max = ImVec2(f.max.x - right, f.max.y - line * static_cast<float>(label_rows) - 8 * s);
    f.y = {e.lo, e.hi, f.plot_max.y, f.plot_min.y};

    ImDrawList* draw = ImGui::GetWindowDrawList();
    draw->AddRectFilled(f.min, f.max, ImGui::GetColorU32(ImGuiCol_ChildBg));
    for (double v : t.values) {
        const float y = static_cast<float>(f.y.map(v));
        draw->AddLine(ImVec2(f.plot_min.x, y), ImVec2(f.plot_max.x, y), v == 0 ? MutedColor() : GridColor(), 1.0f * s);
        const std::string text = chart::format_tick(v, t.decimals);
        const ImVec2 ts = ImGui::CalcTextSize(text.c_str());
        draw->AddText(ImVec2(f.plot_min.x - 6 * s - ts.x, y - ts.y / 2), MutedColor(), text.c_str());
    }
    if (unit && *unit) draw->AddText(ImVec2(f.min.x, f.min.y), MutedColor(), unit);
    return f;
}

// A label centred under x, clipped to `width`, on text row `row` under the plot.
void LabelUnder(const Frame& f, float x, float width, const std::string& text, int row, ImU32 color) {
    const float s = GetTheme().scale;
    const ImVec2 ts = ImGui::CalcTextSize(text.c_str());
    const float y = f.plot_max.y + 4 * s + static_cast<float>(row) * ImGui::GetTextLineHeight();
    const ImVec4 clip(x - width / 2, y, x + width / 2, y + ts.y);
    ImGui::GetWindowDrawList()->AddText(nullptr, 0, ImVec2(std::max(x - ts.x / 2, clip.x), y), color, text.c_str(),
                                        nullptr, 0, &clip);
}

void Whisker(float x, float y_low, float y_high, float half, ImU32 color) {
    const float s = GetTheme().scale;
    ImDrawList* draw = ImGui::GetWindowDrawList();
    draw->AddLine(ImVec2(x, y_low), ImVec2(x, y_high), color, 1.5f * s);
    draw->AddLine(ImVec2(x - half, y_low), ImVec2(x + half, y_low), color, 1.5f * s);
    draw->AddLine(ImVec2(x - half, y_high), ImVec2(x + half, y_high), color, 1.5f * s);
}

void DashedLine(ImVec2 a, ImVec2 b, ImU32 color, float thickness, float dash) {
    const float length = std::hypot(b.x - a.x, b.y - a.y);
    if (length <= 0) return;
    const ImVec2 d((b.x - a.x) / length, (b.y - a.y) / length);
    ImDrawList* draw = ImGui::GetWindowDrawList();
    for (float t = 0; t < length; t += 2 * dash) {
        const float e = std::min(t + dash, length);
        draw->AddLine(ImVec2(a.x + d.x * t, a.y + d.y * t), ImVec2(a.x + d.x * e, a.y + d.y * e), color, thickness);
    }
}

std::string Number(double v, const char* unit) {
    char text[64];
    std::snprintf(text, sizeof text, "%.2f%s", v, unit);
    return text;
}

void Tooltip(const std::string& title, const std::string& body) {
    ImGui::BeginTooltip();
    const float width = ImGui::GetFontSize() * 26.0f;
    ImGui::PushFont(GetTheme().heading);
    ImGui::TextUnformatted(WrapAtSpaces(title, width).c_str());
    ImGui::PopFont();
    if (!body.empty()) ImGui::TextUnformatted(WrapAtSpaces(body, width).c_str());
    ImGui::EndTooltip();
}

// The unit as printed after a number: "%" stays glued, others get a space.
std::string Suffix(const char* unit) {
    if (!unit || !*unit) return "";
    if (unit[0] == '%') return "%";
    return std::string(" ") + unit;
}

} // namespace

ChartOutcome BarChart(const char* id, std::span<const BarItem> bars, std::span<const ReferenceLine> lines,
                      const char* unit, ImVec2 size, double y_min) {
    const float s = GetTheme().scale;
    double hi = y_min + 1e-9;
    for (const auto& b : bars) hi = std::max({hi, b.value, b.high});
    float right = 8 * s;
    for (const auto& l : lines) {
        hi = std::max(hi, l.value);
        right = std::max(right, ImGui::CalcTextSize(l.label.c_str()).x + 12 * s);
    }
    // Names wider than their bar's slot (the models') take turns on up to three rows
    // rather than run into each other.
    const float gap = LabelGap();
    const std::size_t rows = LabelRows(bars, size, y_min, hi, right, 0.62, 3);
    const Frame f = BeginChart(id, size, y_min, hi, unit, right, static_cast<int>(rows));
    ImDrawList* draw = ImGui::GetWindowDrawList();
    const chart::band_scale band{f.plot_min.x, f.plot_max.x, bars.size(), 0.62};
    const auto label_width = static_cast<float>(static_cast<double>(rows) * band.slot_width()) - gap;
    const std::optional<std::size_t> hit = f.hovered ? band.slot_at(f.mouse.x) : std::nullopt;
    // An index, not the optional: GCC 12 misreads optional compares as uninitialised.
    const int hot = hit ? static_cast<int>(*hit) : -1;
    const float base = static_cast<float>(f.y.map(std::max(y_min, f.y.d0)));
    for (std::size_t i = 0; i < bars.size(); ++i) {
        const BarItem& b = bars[i];
        const float x0 = static_cast<float>(band.bar_left(i)), x1 = static_cast<float>(band.bar_right(i));
        const float top = static_cast<float>(f.y.map(b.value));
        if (hot == static_cast<int>(i))
            draw->AddRectFilled(ImVec2(static_cast<float>(band.centre(i) - band.slot_width() / 2), f.plot_min.y),
                                ImVec2(static_cast<float>(band.centre(i) + band.slot_width() / 2), f.plot_max.y),
                                Color(GetTheme().accent, 0.07f));
        draw->AddRectFilled(ImVec2(x0, top), ImVec2(x1, base), b.color, 2 * s, ImDrawFlags_RoundCornersTop);
        if (b.high > b.low)
            Whisker(static_cast<float>(band.centre(i)), static_cast<float>(f.y.map(b.low)),
                    static_cast<float>(f.y.map(b.high)), (x1 - x0) / 6, TextColor());
        LabelUnder(f, static_cast<float>(band.centre(i)), label_width, b.label, static_cast<int>(i % rows),
                   hot == static_cast<int>(i) ? TextColor() : MutedColor());
    }
    // Labels of close lines would print over each other: each goes at least a text line
    // below the one above it.
    std::vector<std::pair<float, std::size_t>> label_at;
    for (std::size_t k = 0; k < lines.size(); ++k) {
        const float y = static_cast<float>(f.y.map(lines[k].value));
        if (lines[k].dashed) DashedLine(ImVec2(f.plot_min.x, y), ImVec2(f.plot_max.x, y), lines[k].color, 2 * s, 6 * s);
        else draw->AddLine(ImVec2(f.plot_min.x, y), ImVec2(f.plot_max.x, y), lines[k].color, 2 * s);
        label_at.push_back({y, k});
    }
    std::sort(label_at.begin(), label_at.end());
    const float h = ImGui::GetTextLineHeight();
    for (std::size_t k = 0; k < label_at.size(); ++k) {
        if (k > 0) label_at[k].first = std::max(label_at[k].first, label_at[k - 1].first + h);
        const auto& l = lines[label_at[k].second];
        draw->AddText(ImVec2(f.plot_max.x + 6 * s, label_at[k].first - h / 2), l.color, l.label.c_str());
    }
    ChartOutcome out{f.min, f.max, hot};
    if (hot >= 0) {
        const BarItem& b = bars[static_cast<std::size_t>(hot)];
        std::string body = Number(b.value, Suffix(unit).c_str());
        // The interval on a line of its own, without the unit again.
        if (b.high > b.low) body += "\n95% interval " + Number(b.low, "") + " to " + Number(b.high, "");
        if (!b.tip.empty()) body += "\n" + b.tip;
        Tooltip(b.label, body);
    }
    return out;
}

ChartOutcome WaterfallChart(const char* id, const std::vector<chart::waterfall_bar>& bars, const char* unit,
                            ImVec2 size) {
    const Theme& theme = GetTheme();
    const float s = theme.scale;
    const chart::waterfall_range r = chart::range_of(bars);
    // The step names take turns on two rows when they are wider than a slot (as in
    // BarChart), the numbers on the row under them.
    const float gap = LabelGap();
    const std::size_t rows = LabelRows(std::span<const chart::waterfall_bar>(bars), size, r.lo, r.hi, 8 * s, 0.6, 2);
    const Frame f = BeginChart(id, size, r.lo, r.hi, unit, 8 * s, static_cast<int>(rows) + 1);
    ImDrawList* draw = ImGui::GetWindowDrawList();
    const chart::band_scale band{f.plot_min.x, f.plot_max.x, bars.size(), 0.6};
    const auto label_width = static_cast<float>(static_cast<double>(rows) * band.slot_width()) - gap;
    const std::optional<std::size_t> hit = f.hovered ? band.slot_at(f.mouse.x) : std::nullopt;
    // An index, not the optional: GCC 12 misreads optional compares as uninitialised.
    const int hot = hit ? static_cast<int>(*hit) : -1;
    const ImU32 total_color = Color(theme.muted, 0.85f), down = Color(theme.accent), up = Color(theme.error_text, 0.8f);
    for (std::size_t i = 0; i < bars.size(); ++i) {
        const auto& b = bars[i];
        const float x0 = static_cast<float>(band.bar_left(i)), x1 = static_cast<float>(band.bar_right(i));
        const float ya = static_cast<float>(f.y.map(b.from)), yb = static_cast<float>(f.y.map(b.to));
        if (hot == static_cast<int>(i))
            draw->AddRectFilled(ImVec2(static_cast<float>(band.centre(i) - band.slot_width() / 2), f.plot_min.y),
                                ImVec2(static_cast<float>(band.centre(i) + band.slot_width() / 2), f.plot_max.y),
                                Color(theme.accent, 0.07f));
        const ImU32 fill = b.total ? total_color : (b.to <= b.from ? down : up);
        // A zero step still shows as a hairline so the reader sees it was measured.
        draw->AddRectFilled(ImVec2(x0, std::min(ya, yb)), ImVec2(x1, std::max(std::max(ya, yb), std::min(ya, yb) + 1.5f * s)),
                            fill, 2 * s);
        // Connector to the next bar's start: the running total carries on.
        if (i + 1 < bars.size())
            DashedLine(ImVec2(x1, yb), ImVec2(static_cast<float>(band.bar_left(i + 1)), yb), MutedColor(), 1 * s, 3 * s);
        // Intervals: a total's bounds its top; a step's bounds where it ends.
        const double lo = b.total ? b.low : b.from + b.low, hi = b.total ? b.high : b.from + b.high;
        if (hi > lo)
            Whisker(static_cast<float>(band.centre(i)), static_cast<float>(f.y.map(lo)), static_cast<float>(f.y.map(hi)),
                    (x1 - x0) / 6, TextColor());
        const double value = b.total ? b.to : b.to - b.from;
        char number[32];
        std::snprintf(number, sizeof number, b.total ? "%.2f" : "%+.2f", value);
        LabelUnder(f, static_cast<float>(band.centre(i)), label_width, b.label, static_cast<int>(i % rows),
                   hot == static_cast<int>(i) ? TextColor() : MutedColor());
        LabelUnder(f, static_cast<float>(band.centre(i)), static_cast<float>(band.slot_width()), number,
                   static_cast<int>(rows), TextColor());
    }
    ChartOutcome out{f.min, f.max, hot};
    if (hot >= 0) {
        const auto& b = bars[static_cast<std::size_t>(hot)];
        const std::string suffix = Suffix(unit);
        std::string body;
        if (b.total) body = Number(b.to, suffix.c_str());
        else body = (b.to <= b.from ? "lowers unsolvable by " : "raises unsolvable by ") +
                    Number(std::abs(b.to - b.from), suffix.c_str()) + "\nfrom " + Number(b.from, "") + " to " +
                    Number(b.to, suffix.c_str());
        if (b.high > b.low) body += "\n95% interval " + Number(b.low, "") + " to " + Number(b.high, suffix.c_str());
        Tooltip(b.label, body);
    }
    return out;
}

ChartOutcome ScatterChart(const char* id, std::span<const ScatterItem> points, const char* x_unit, const char* y_unit,
                          ImVec2 size) {
    const Theme& theme = GetTheme();
    const float s = theme.scale;
    double ylo = 1e300, yhi = -1e300, xlo = 1e300, xhi = -1e300;
    for (const auto& p : points) {
        ylo = std::min(ylo, p.y), yhi = std::max(yhi, p.y);
        xlo = std::min(xlo, p.x), xhi = std::max(xhi, p.x);
    }
    if (points.empty()) ylo = 0, yhi = 1, xlo = 0, xhi = 1;
    const Frame f = BeginChart(id, size, ylo, yhi, y_unit, 16 * s, 2);
    ImDrawList* draw = ImGui::GetWindowDrawList();
    const chart::extent xe = chart::nice_extent(std::min(0.0, xlo), xhi, 5);
    const chart::ticks xt = chart::nice_ticks(xe.lo, xe.hi, 5);
    const chart::linear_scale x{xe.lo, xe.hi, f.plot_min.x, f.plot_max.x};
    for (double v : xt.values) {
        const float px = static_cast<float>(x.map(v));
        draw->AddLine(ImVec2(px, f.plot_min.y), ImVec2(px, f.plot_max.y), GridColor(), 1 * s);
        LabelUnder(f, px, 80 * s, chart::format_tick(v, xt.decimals), 0, MutedColor());
    }
    LabelUnder(f, (f.plot_min.x + f.plot_max.x) / 2, f.plot_max.x - f.plot_min.x, x_unit, 1, MutedColor());

    std::vector<chart::point> data, pixels;
    for (const auto& p : points) {
        data.push_back({p.x, p.y});
        pixels.push_back({x.map(p.x), f.y.map(p.y)});
    }
    const auto hull = chart::upper_hull(data);
    for (std::size_t k = 1; k < hull.size(); ++k)
        draw->AddLine(ImVec2(static_cast<float>(pixels[hull[k - 1]].x), static_cast<float>(pixels[hull[k - 1]].y)),
                      ImVec2(static_cast<float>(pixels[hull[k]].x), static_cast<float>(pixels[hull[k]].y)),
                      Color(theme.accent, 0.7f), 2 * s);
    const std::optional<std::size_t> hit = f.hovered ? chart::nearest_point(pixels, f.mouse.x, f.mouse.y, 10 * s) : std::nullopt;
    // An index, not the optional: GCC 12 misreads optional compares as uninitialised.
    const int hot = hit ? static_cast<int>(*hit) : -1;
    for (std::size_t i = 0; i < points.size(); ++i) {
        const ImVec2 c(static_cast<float>(pixels[i].x), static_cast<float>(pixels[i].y));
        draw->AddCircleFilled(c, (hot == static_cast<int>(i) ? 7.0f : 5.0f) * s, points[i].color);
        if (points[i].labelled)
            draw->AddText(ImVec2(c.x + 8 * s, c.y - ImGui::GetTextLineHeight()), MutedColor(), points[i].label.c_str());
    }
    ChartOutcome out{f.min, f.max, hot};
    if (hot >= 0) {
        const auto& p = points[static_cast<std::size_t>(hot)];
        char body[160];
        std::snprintf(body, sizeof body, "%s: %.4g\n%s: %.2f", x_unit, p.x, y_unit, p.y);
        Tooltip(p.label, body + (p.tip.empty() ? std::string() : "\n" + p.tip));
    }
    return out;
}

ChartOutcome HistogramChart(const char* id, std::span<const std::size_t> counts, std::span<const std::string> labels,
                            std::span<const ImU32> colors, const char* unit, ImVec2 size) {
    const float s = GetTheme().scale;
    std::size_t top = 1, total = 0;
    for (auto c : counts) top = std::max(top, c), total += c;
    const Frame f = BeginChart(id, size, 0, static_cast<double>(top), unit, 8 * s, 1);
    ImDrawList* draw = ImGui::GetWindowDrawList();
    // Bins touch: a histogram's bars are a distribution, not separate things.
    const chart::band_scale band{f.plot_min.x, f.plot_max.x, counts.size(), 0.94};
    const std::optional<std::size_t> hit = f.hovered ? band.slot_at(f.mouse.x) : std::nullopt;
    // An index, not the optional: GCC 12 misreads optional compares as uninitialised.
    const int hot = hit ? static_cast<int>(*hit) : -1;
    for (std::size_t i = 0; i < counts.size(); ++i) {
        const float top_y = static_cast<float>(f.y.map(static_cast<double>(counts[i])));
        ImU32 color = i < colors.size() ? colors[i] : Color(GetTheme().accent);
        if (hot == static_cast<int>(i)) color = Color(GetTheme().best);
        draw->AddRectFilled(ImVec2(static_cast<float>(band.bar_left(i)), top_y),
                            ImVec2(static_cast<float>(band.bar_right(i)), f.plot_max.y), color);
        if (i < labels.size())
            LabelUnder(f, static_cast<float>(band.centre(i)), static_cast<float>(band.slot_width()), labels[i], 0,
                       MutedColor());
    }
    ChartOutcome out{f.min, f.max, hot};
    if (hot >= 0) {
        char body[96];
        std::snprintf(body, sizeof body, "%zu queries (%.2f%%)", counts[static_cast<std::size_t>(hot)],
                      total ? 100.0 * static_cast<double>(counts[static_cast<std::size_t>(hot)]) / static_cast<double>(total) : 0.0);
        Tooltip(static_cast<std::size_t>(hot) < labels.size() ? labels[static_cast<std::size_t>(hot)] : "", body);
    }
    return out;
}
