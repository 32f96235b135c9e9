// The routers tab: the baseline routers on the held-out split (the floor, what a
// router must beat, the ceiling) with how concentrated each one's choices are, and
// every model on the cost-quality plane with the frontier a router mixing them could
// reach. The learned routers and P1's policies join when the core's router
// evaluation lands; until then the tab says so.
#include "charts.h"
#include "panels.h"
#include "served.h"
#include "theme.h"
#include "widgets.h"

#include <algorithm>
#include <iterator>
#include <string>
#include <vector>

namespace {

const char* RouterHelp(const std::string& router) {
    if (router == "random") return "A uniform, seeded pick of a model per query: the floor.";
    if (router == "best-single") return "The model with the best training accuracy, for every query.";
    if (router == "oracle") return "The best model per test query, read from the test labels: the ceiling.";
    return "";
}

void DrawBaselines(AppState& state, const headroom::protocol_report& report) {
    const headroom::report_options options;  // the defaults report_protocol ran with
    ImGui::Text("Baseline routers on a held-out test split: %.0f%% of queries, seed %llu.", 100.0 * options.test_fraction,
                static_cast<unsigned long long>(options.split_seed));
    constexpr ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerH |
                                      ImGuiTableFlags_BordersOuterH | ImGuiTableFlags_SizingFixedFit;
    if (!ImGui::BeginTable("routers", 4, flags)) return;
    ImGui::TableSetupColumn("Router", ImGuiTableColumnFlags_WidthFixed);
    ImGui::TableSetupColumn("Test accuracy", ImGuiTableColumnFlags_WidthFixed, PercentColumnWidth("Test accuracy"));
    ImGui::TableSetupColumn("Top share", ImGuiTableColumnFlags_WidthFixed, PercentColumnWidth("Top share"));
    ImGui::TableSetupColumn("Most chosen", ImGuiTableColumnFlags_WidthFixed);
    NumericHeadersRow(1, 3);
    std::string csv = "router,test_accuracy,top_share,most_chosen\n";
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
        std::string top_model;
        if (!share.empty()) {
            const auto top = static_cast<std::size_t>(std::max_element(share.begin(), share.end()) - share.begin());
            top_model = state.study->models[top].id;
            ImGui::TextUnformatted(top_model.c_str());
        }
        csv += CsvField(r.router) + "," + Points(r.evaluation.accuracy) + "," + Points(r.evaluation.top_share) + "," +
               CsvField(top_model) + "\n";
    }
    ImGui::EndTable();
    Explanation("Top share: the most-chosen model's % of test queries (100 = collapse).");
    state.table_name = "routers";
    if (state.export_csv_requested) state.table_csv = std::move(csv);
}

// Models as points (mean dollars per query at the shown budget, accuracy on all queries).
void DrawCostQuality(AppState& state, const headroom::protocol_report& report) {
    const Theme& theme = GetTheme();
    const auto cost = headroom::cost_per_query(*state.study, state.current.budget);
    const auto& h = report.sections[0].summary;
    std::vector<ScatterItem> points;
    for (std::size_t m = 0; m < state.study->models.size(); ++m) {
        const auto& model = state.study->models[m];
        char tip[128];
        std::snprintf(tip, sizeof tip, "%s, tier %d; $%.2f / $%.2f per million tokens in / out", model.family.c_str(),
                      model.tier, model.price_input_per_mtok, model.price_output_per_mtok);
        points.push_back({model.id, 1000 * cost[m], 100 * h.model_accuracy[m],
                          ImGui::GetColorU32(m == h.best_model ? theme.best : theme.muted), tip});
    }
    ImGui::TextUnformatted("Cost and quality of each model, with the upper convex hull (the frontier)");
    const ChartOutcome out = ScatterChart("cost-quality", points, "dollars per 1,000 queries", "accuracy, % of queries",
                                          ImVec2(0, 280 * theme.scale));
    NoteChart(state, "cost-quality", out.min, out.max);
}

} // namespace

void DrawRoutersPanel(AppState& state) {
    if (!state.shown) return;
    const auto& report = *state.shown;
    DrawCostQuality(state, report);
    DrawBaselines(state, report);
    ImGui::Spacing();
    Explanation("Not in this build yet: the learned routers (multi-label classifier, KMeans, kNN, matrix factorisation, "
                "cost-sensitive), P1's policies (ArgMax, Random, Prediction, Sorted Pred, as described and as the "
                "published code computes them), APGR and AIQ. They land with the core's router evaluation.");
}
