// The headroom tab: guess first, then per-model accuracy with bootstrap intervals,
// best single, oracle and the noise-null oracle as a chart for one section; how many
// models solve each query; and the full table for every section, under the shown
// protocol.
#include "app/ui/charts.h"
#include "app/ui/panels.h"
#include "app/ui/theme.h"
#include "app/ui/widgets.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

namespace {

using headroom::headroom_summary;

struct SummaryRow {
    const char* label;
    const char* help;
    double headroom_summary::*value;
};

constexpr SummaryRow summary_rows[] = {
    {"best single", "Accuracy of the one model that is best on these queries: what you get without routing.",
     &headroom_summary::best_single},
    {"oracle", "Share of queries that at least one model solves: a perfect router's accuracy.",
     &headroom_summary::oracle},
    {"unsolvable", "Share of queries no model solves (100 - oracle).", &headroom_summary::unsolvable},
    {"headroom", "Oracle - best single: the most any router could gain over always calling the best model.",
     &headroom_summary::headroom},
};

ImU32 U32(const ImVec4& c, float alpha = 1.0f) { return ImGui::GetColorU32(ImVec4(c.x, c.y, c.z, c.w * alpha)); }

// Before any number: the reader commits to a guess of the naive headroom.
void DrawGuess(AppState& state) {
    const Theme& theme = GetTheme();
    ImGui::PushFont(theme.heading);
    TextWrappedWords("Guess first: how much could a perfect router gain here?");
    ImGui::PopFont();
    Explanation("A router sends each query to one model. The best it could ever do is the oracle: a query counts as "
                "solved when any model solves it. Routing headroom is the oracle's accuracy minus the best single "
                "model's. Under the naive protocol, on all queries of this study, how many percentage points is it?");
    ImGui::SetNextItemWidth(std::min(ImGui::GetContentRegionAvail().x, 420 * theme.scale));
    ImGui::SliderFloat("##guess", &state.view.guess, 0.0f, 60.0f, "my guess: %.0f points", ImGuiSliderFlags_AlwaysClamp);
    RecordTarget(state, "guess-slider");
    ImGui::SameLine();
    if (ImGui::Button("Reveal")) state.view.headroom_revealed = true;
    RecordTarget(state, "reveal");
    // Its own line: beside the slider and the button it ran off a 1280-pixel window.
    Explanation("Keyboard: the arrow keys move between controls and Space presses one; Space on the slider, "
                "then left/right, then Space again.");
}

// The guess against the naive and the corrected measurement.
void DrawGuessOutcome(AppState& state) {
    const headroom::protocol_report* naive = ReportFor(state, state.session.naive);
    const headroom::protocol_report* corrected = ReportFor(state, state.session.corrected);
    if (!naive || !corrected) return;
    const double h_naive = 100 * naive->sections[0].summary.headroom;
    const double h_corrected = 100 * corrected->sections[0].summary.headroom;
    TextWrappedWords("You guessed %.0f points. The naive protocol measures %.2f; once truncation, format and judge "
                       "artifacts are fixed (corrected) it is %.2f. The naive estimate is off by %+.2f points, your "
                       "guess by %+.2f.",
                       state.view.guess, h_naive, h_corrected, h_naive - h_corrected, state.view.guess - h_corrected);
}

void DrawChart(AppState& state, const headroom::protocol_report& report) {
    const Theme& theme = GetTheme();
    const auto& models = state.session.study->models;
    const auto& section = report.sections[state.session.section];
    const headroom_summary& h = section.summary;
    const ProtocolDetail* detail = ShownDetail(state);
    const bool have_ci = detail && detail->intervals.size() == report.sections.size();
    const bool have_noise = detail && detail->noise.size() > state.session.section;

    std::vector<BarItem> bars;
    for (std::size_t m = 0; m < models.size(); ++m) {
        BarItem b;
        b.label = models[m].id;
        b.value = b.low = b.high = 100 * h.model_accuracy[m];
        if (have_ci) {
            b.low = 100 * detail->intervals[state.session.section].model_accuracy[m].low;
            b.high = 100 * detail->intervals[state.session.section].model_accuracy[m].high;
        }
        b.color = m == h.best_model ? U32(theme.best) : U32(theme.muted, 0.55f);
        char tip[160];
        std::snprintf(tip, sizeof tip, "%s, tier %d%s", models[m].family.c_str(), models[m].tier,
                      m == h.best_model ? "\nthe best single model here" : "");
        b.tip = tip;
        bars.push_back(std::move(b));
    }
    std::vector<ReferenceLine> lines;
    char label[64];
    std::snprintf(label, sizeof label, "oracle %.1f", 100 * h.oracle);
    lines.push_back({label, 100 * h.oracle, U32(theme.accent), false});
    if (have_noise) {
        std::snprintf(label, sizeof label, "noise null %.1f", 100 * detail->noise[state.session.section].oracle_simulated);
        lines.push_back({label, 100 * detail->noise[state.session.section].oracle_simulated, U32(theme.error_text, 0.8f), true});
    }
    const float s = theme.scale;
    // As tall as fits above the fold (the model names under the bars included), between
    // a readable minimum and the height it has on a large screen: at 1280x800 the
    // names were below the fold, and a reader saw bars without knowing whose.
    const float height = std::clamp(ImGui::GetContentRegionAvail().y, 170 * s, 250 * s);
    const ChartOutcome out = BarChart("accuracy-chart", bars, lines, "accuracy, % of queries", ImVec2(0, height), 0);
    NoteChart(state, "headroom", out.min, out.max);
    if (have_ci) {
        const auto& ci = detail->intervals[state.session.section];
        TextWrappedWords("Headroom %.2f [%.2f, %.2f] \u00b7 oracle %.2f [%.2f, %.2f] \u00b7 best single %.2f [%.2f, "
                           "%.2f]  (95%% percentile bootstrap over queries, %d resamples)",
                           100 * ci.headroom.value, 100 * ci.headroom.low, 100 * ci.headroom.high, 100 * ci.oracle.value,
                           100 * ci.oracle.low, 100 * ci.oracle.high, 100 * ci.best_single.value,
                           100 * ci.best_single.low, 100 * ci.best_single.high, ci.resamples);
    } else {
        Pending("Computing bootstrap intervals");
    }
    if (have_noise) {
        const auto& n = detail->noise[state.session.section];
        TextWrappedWords("Noise null (identical models, same per-query success rate; %d simulations): oracle %.2f, "
                           "headroom %.2f. Headroom above the null: %.2f points.%s",
                           NoiseSimulations(*state.session.study), 100 * n.oracle_simulated, 100 * n.headroom, 100 * n.headroom_above_null,
                           n.single_sample ? " One sample per pair: noise cannot be told from real differences here."
                                           : "");
    } else if (have_ci) {
        Pending("Computing the noise null");
    }
}

// How many models solve each query: the bar at 0 is the unsolvable share.
void DrawSolvedBy(AppState& state) {
    const ProtocolDetail* detail = ShownDetail(state);
    if (!detail || !detail->labels) return;
    const auto& labels = *detail->labels;
    std::vector<std::uint32_t> rows;
    if (state.session.section == 0)
        for (std::uint32_t q = 0; q < labels.queries; ++q) rows.push_back(q);
    else
        rows = state.session.index->queries_of_benchmark(static_cast<std::uint32_t>(state.session.section - 1));
    std::vector<std::size_t> counts(labels.models + 1, 0);
    for (std::uint32_t q : rows) {
        std::size_t solvers = 0;
        for (std::size_t m = 0; m < labels.models; ++m) solvers += labels.at(q, m) >= 0.5;
        ++counts[solvers];
    }
    std::vector<std::string> names;
    std::vector<ImU32> colors;
    for (std::size_t k = 0; k <= labels.models; ++k) {
        names.push_back(k == 0 ? "none" : std::to_string(k));
        colors.push_back(k == 0 ? U32(GetTheme().error_text, 0.75f) : U32(GetTheme().accent, 0.65f));
    }
    ImGui::TextUnformatted("Queries by how many models solve them (label \u2265 0.5)");
    HistogramChart("solved-by", counts, names, colors, "queries", ImVec2(0, 150 * GetTheme().scale));
}

void ModelRows(const AppState& state, const headroom::protocol_report& report) {
    const Theme& theme = GetTheme();
    const auto& models = state.session.study->models;
    for (std::size_t m = 0; m < models.size(); ++m) {
        ImGui::TableNextRow();
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(models[m].id.c_str());
        for (const auto& section : report.sections) {
            ImGui::TableNextColumn();
            const auto& h = section.summary;
            const bool best = h.best_model == m;
            if (best) ImGui::PushStyleColor(ImGuiCol_Text, theme.best);
            TextPercent(h.model_accuracy[m], best ? "\u25b8 " : nullptr);
            if (best) ImGui::PopStyleColor();
        }
    }
}

void SummaryRows(const headroom::protocol_report& report) {
    const Theme& theme = GetTheme();
    for (const auto& row : summary_rows) {
        const bool headline = row.value == &headroom_summary::headroom;
        ImGui::TableNextRow();
        ImGui::TableSetBgColor(ImGuiTableBgTarget_RowBg0,
                               ImGui::GetColorU32(headline ? ImVec4(0.04f, 0.43f, 0.41f, 0.10f)
                                                           : ImVec4(0.0f, 0.0f, 0.0f, 0.03f)));
        ImGui::TableNextColumn();
        if (headline) ImGui::PushStyleColor(ImGuiCol_Text, theme.accent);
        ImGui::TextUnformatted(row.label);
        ItemTooltip(row.help);
        for (const auto& section : report.sections) {
            ImGui::TableNextColumn();
            TextPercent(section.summary.*row.value);
        }
        if (headline) ImGui::PopStyleColor();
    }
}

void DrawTable(AppState& state, const headroom::protocol_report& report) {
    constexpr ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerH |
                                      ImGuiTableFlags_BordersOuterH | ImGuiTableFlags_SizingFixedFit |
                                      ImGuiTableFlags_ScrollX;
    const int columns = 1 + static_cast<int>(report.sections.size());
    const float rows = static_cast<float>(state.session.study->models.size() + 5);
    if (ImGui::BeginTable("headroom", columns, flags, ImVec2(0, rows * ImGui::GetFrameHeight() * 1.05f))) {
        ImGui::TableSetupColumn("", ImGuiTableColumnFlags_WidthFixed);
        for (const auto& section : report.sections) {
            // The query count tells what one query is worth in that column.
            const std::string label = section.benchmark + " (" + std::to_string(section.summary.queries) + ")";
            ImGui::TableSetupColumn(label.c_str(), ImGuiTableColumnFlags_WidthFixed, PercentColumnWidth(label.c_str()));
        }
        NumericHeadersRow(1, columns);
        ModelRows(state, report);
        SummaryRows(report);
        ImGui::EndTable();
    }
    std::vector<std::string> model_ids;
    for (const auto& m : state.session.study->models) model_ids.push_back(m.id);
    const std::string missing = headroom::missing_outcomes_line(model_ids, report.sections.front().summary);
    if (!missing.empty()) ImGui::TextWrapped("%s", missing.c_str());
    // The same table for "Table as CSV": one row per model and summary, one column per section.
    state.page.table_name = "headroom";
    if (!state.page.export_csv_requested) return;
    std::string csv = "quantity";
    for (const auto& section : report.sections) csv += "," + CsvField(section.benchmark);
    csv += "\n";
    for (std::size_t m = 0; m < state.session.study->models.size(); ++m) {
        csv += CsvField("accuracy " + state.session.study->models[m].id);
        for (const auto& section : report.sections) csv += "," + Points(section.summary.model_accuracy[m]);
        csv += "\n";
    }
    for (const auto& row : summary_rows) {
        csv += row.label;
        for (const auto& section : report.sections) csv += "," + Points(section.summary.*row.value);
        csv += "\n";
    }
    state.page.table_csv = std::move(csv);
}

} // namespace

void DrawHeadroomPanel(AppState& state) {
    if (!state.session.shown) return;
    if (!state.view.headroom_revealed) {
        DrawGuess(state);
        return;
    }
    DrawGuessOutcome(state);
    const auto& report = *state.session.shown;
    const bool named = report.name == "naive" || report.name == "corrected";
    TextWrappedWords("Accuracy (%%) under the %s protocol; whiskers: 95%% bootstrap intervals.",
                       named ? report.name.c_str() : "custom");
    SectionPicker(state);
    DrawChart(state, report);
    DrawSolvedBy(state);
    ImGui::Spacing();
    ImGui::TextUnformatted("Every section (\u25b8 best model per column)");
    DrawTable(state, report);
}
