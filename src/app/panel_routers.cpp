// The baseline routers on the held-out split: the floor (random), what a router must
// beat (best single) and the ceiling (oracle), with how concentrated each one's choices are.
#include "panels.h"
#include "widgets.h"

#include <algorithm>
#include <iterator>
#include <string>

namespace {

const char* RouterHelp(const std::string& router) {
    if (router == "random") return "A uniform, seeded pick of a model per query: the floor.";
    if (router == "best-single") return "The model with the best training accuracy, for every query.";
    if (router == "oracle") return "The best model per test query, read from the test labels: the ceiling.";
    return "";
}

} // namespace

void DrawRoutersPanel(const AppState& state) {
    SectionHeader("Baseline routers");
    if (!state.shown) return;
    const auto& report = *state.shown;
    const headroom::report_options options;  // the defaults report_protocol ran with
    ImGui::Text("On a held-out test split: %.0f%% of queries, seed %llu.", 100.0 * options.test_fraction,
                static_cast<unsigned long long>(options.split_seed));

    constexpr ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerH |
                                      ImGuiTableFlags_BordersOuterH | ImGuiTableFlags_SizingFixedFit;
    if (!ImGui::BeginTable("routers", 4, flags)) return;
    ImGui::TableSetupColumn("Router", ImGuiTableColumnFlags_WidthFixed);
    ImGui::TableSetupColumn("Test accuracy", ImGuiTableColumnFlags_WidthFixed, PercentColumnWidth("Test accuracy"));
    ImGui::TableSetupColumn("Top share", ImGuiTableColumnFlags_WidthFixed, PercentColumnWidth("Top share"));
    ImGui::TableSetupColumn("Most chosen", ImGuiTableColumnFlags_WidthFixed);
    NumericHeadersRow(1, 3);
    for (const auto& r : report.routers) {
        ImGui::TableNextRow();
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(r.router.c_str());
        ItemTooltip(RouterHelp(r.router));
        ImGui::TableNextColumn();
        TextPercent(r.evaluation.accuracy);
        ImGui::TableNextColumn();
        TextPercent(r.evaluation.top_share);
        ImGui::TableNextColumn();
        const auto& share = r.evaluation.share;
        if (!share.empty()) {
            const auto top = static_cast<std::size_t>(std::max_element(share.begin(), share.end()) - share.begin());
            ImGui::TextUnformatted(state.study->models[top].id.c_str());
        }
    }
    ImGui::EndTable();
    Explanation("Top share: the most-chosen model's % of test queries (100 = collapse).");
}
