// The headroom table: per-model accuracy, then best single, oracle, unsolvable and
// headroom, for all queries and for each benchmark, under the shown protocol.
#include "panels.h"
#include "theme.h"
#include "widgets.h"

#include <cstdio>
#include <string>

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

void ModelRows(const AppState& state, const headroom::protocol_report& report) {
    const Theme& theme = GetTheme();
    const auto& models = state.study->models;
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

} // namespace

void DrawHeadroomPanel(const AppState& state) {
    SectionHeader("Routing headroom");
    if (!state.shown) return;
    const auto& report = *state.shown;
    const bool named = report.name == "naive" || report.name == "corrected";
    ImGui::TextWrapped("Accuracy (%%) under the %s protocol. \u25b8 best model per column.",
                       named ? report.name.c_str() : "custom");
    constexpr ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerH |
                                      ImGuiTableFlags_BordersOuterH | ImGuiTableFlags_SizingFixedFit;
    const int columns = 1 + static_cast<int>(report.sections.size());
    if (ImGui::BeginTable("headroom", columns, flags)) {
        ImGui::TableSetupColumn("", ImGuiTableColumnFlags_WidthFixed);
        for (const auto& section : report.sections) {
            // The query count tells what one query is worth in that column.
            const std::string label = (section.benchmark == "all" ? "all" : section.benchmark) + " (" +
                                      std::to_string(section.summary.queries) + ")";
            ImGui::TableSetupColumn(label.c_str(), ImGuiTableColumnFlags_WidthFixed, PercentColumnWidth(label.c_str()));
        }
        NumericHeadersRow(1, columns);
        ModelRows(state, report);
        SummaryRows(report);
        ImGui::EndTable();
    }
}
