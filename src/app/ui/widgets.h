// Small drawing helpers the panels share, so headings, badges and numbers look the
// same everywhere.
#pragma once
#include "app/ui/app_state.h"

#include <imgui.h>

#include <string>
#include <string_view>

// A panel's heading: larger type and a rule under it.
void SectionHeader(const char* title);
// Muted explanatory text wrapped to the available width.
void Explanation(const char* text);
// `text` with line breaks put in so that no line is wider than `width` pixels in the
// current font, at spaces only: ImGui's own wrapping also breaks after a full stop or
// a comma, which splits a number ("71." and "11" on two lines). A word wider than a
// whole line is cut where it overflows.
std::string WrapAtSpaces(std::string_view text, float width);
// ImGui::TextWrapped, wrapped by WrapAtSpaces to the available width.
void TextWrappedWords(const char* format, ...) IM_FMTARGS(1);
// A filled, rounded label on the current line (e.g. "SIMULATED POOL").
void Badge(const char* text, const ImVec4& text_color, const ImVec4& fill);
// A tooltip for the previous item, shown on hover.
void ItemTooltip(const char* text);
// A button drawn as selected when `active`; returns true when clicked.
bool ToggleButton(const char* label, bool active);
// Remembers the previous item's rectangle under `key`, and whether it has keyboard
// focus, published to the page for tests.
void RecordTarget(AppState& state, const char* key);
// A share in [0, 1] as a percentage with two decimals, as the CLI prints it,
// right-aligned in its table cell; `marker` (if any) goes before the number.
void TextPercent(double share, const char* marker = nullptr);
// A table's header row with the labels of columns [first, end) right-aligned over
// their right-aligned numbers; the other labels stay left, over text.
void NumericHeadersRow(int first, int end);
// The width a table column of percentages needs to hold `header` and any value.
float PercentColumnWidth(const char* header);
// A row of buttons choosing the report section the charts show: all queries, or one
// benchmark (with its query count).
void SectionPicker(AppState& state);
// Remembers a chart drawn this frame as the one "Chart as PNG" exports.
void NoteChart(AppState& state, const char* name, ImVec2 min, ImVec2 max);
// A CSV field, quoted when it holds a comma, quote or line break.
std::string CsvField(const std::string& text);
// A share in [0, 1] as percentage points with two decimals ("12.34").
std::string Points(double share);
// The grey "computing..." line shown where a result is still being computed.
void Pending(const char* what);
