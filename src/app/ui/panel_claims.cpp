// The claims tab: each headline claim of P1 and P2 as a row: the paper's figure, the
// figure computed here on the loaded study, and whether the claim holds on it by a
// test stated in the row. The claims and their tests are the core's (analysis/claims.h,
// also `headroom claims`); this panel gathers their inputs as background work fills
// them in (the router claims train the logistic router in the browser) and draws them.
#include "app/ui/panels.h"
#include "app/ui/theme.h"
#include "app/ui/widgets.h"
#include "core/analysis/claims.h"

#include <string>
#include <vector>

namespace {

// A router run as the claims read it; asking for it queues it for background work.
headroom::claim_router_run LogisticRun(AppState& state, const headroom::protocol& train, const headroom::protocol& test) {
    const RouterRun* run = RouterRunFor(state, headroom::router_kind::logistic, headroom::feature_kind::tfidf, train, test);
    if (!run) return {};
    if (!run->error.empty()) return {nullptr, run->error};
    return {&run->report, ""};
}

std::vector<headroom::claim> Claims(AppState& state) {
    headroom::claim_inputs in;
    in.s = state.session.study.get();
    in.naive = state.session.naive;
    in.corrected = state.session.corrected;
    in.naive_report = ReportFor(state, state.session.naive);
    in.corrected_report = ReportFor(state, state.session.corrected);
    in.decomposition_all = DecompositionAll(state);
    in.naive_on_naive = LogisticRun(state, state.session.naive, state.session.naive);
    in.naive_on_corrected = LogisticRun(state, state.session.naive, state.session.corrected);
    in.corrected_on_corrected = LogisticRun(state, state.session.corrected, state.session.corrected);
    return headroom::check_claims(in);
}

void VerdictCell(headroom::claim_verdict v) {
    const Theme& theme = GetTheme();
    switch (v) {
    case headroom::claim_verdict::holds: ImGui::TextColored(theme.accent, "\u2713 holds"); break;
    case headroom::claim_verdict::fails: ImGui::TextColored(theme.error_text, "does not hold"); break;
    case headroom::claim_verdict::not_checkable: ImGui::TextColored(theme.muted, "not checkable"); break;
    case headroom::claim_verdict::pending: Pending("computing"); break;
    }
}

} // namespace

void DrawClaimsPanel(AppState& state) {
    Explanation("Each row: a paper's claim, its published figure, the same quantity computed here on the loaded study "
                "(naive protocol unless stated), and whether the claim holds by the test in the row's tooltip. On a "
                "simulated pool this checks the method, not the real models.");
    const std::vector<headroom::claim> claims = Claims(state);
    constexpr ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerH |
                                      ImGuiTableFlags_BordersOuterH | ImGuiTableFlags_SizingStretchProp;
    if (ImGui::BeginTable("claims", 5, flags)) {
        ImGui::TableSetupColumn("", ImGuiTableColumnFlags_WidthFixed);
        ImGui::TableSetupColumn("Claim", ImGuiTableColumnFlags_WidthStretch, 1.3f);
        ImGui::TableSetupColumn("Paper", ImGuiTableColumnFlags_WidthStretch, 1.0f);
        ImGui::TableSetupColumn("Here", ImGuiTableColumnFlags_WidthStretch, 1.2f);
        ImGui::TableSetupColumn("Verdict", ImGuiTableColumnFlags_WidthFixed);
        ImGui::TableHeadersRow();
        for (const headroom::claim& c : claims) {
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            ImGui::TextColored(GetTheme().muted, "%s", c.source.c_str());
            ImGui::TableNextColumn();
            TextWrappedWords("%s", c.statement.c_str());
            ItemTooltip(("Test: " + c.test).c_str());
            ImGui::TableNextColumn();
            TextWrappedWords("%s", c.paper.c_str());
            ImGui::TableNextColumn();
            TextWrappedWords("%s", c.here.empty() ? "\u2026" : c.here.c_str());
            ImGui::TableNextColumn();
            VerdictCell(c.verdict);
            ItemTooltip(("Test: " + c.test).c_str());
        }
        ImGui::EndTable();
    }
    state.page.table_name = "claims";
    if (!state.page.export_csv_requested) return;
    std::string csv = "source,claim,paper,here,test,verdict\n";
    for (const headroom::claim& c : claims)
        csv += c.source + "," + CsvField(c.statement) + "," + CsvField(c.paper) + "," + CsvField(c.here) + "," +
               CsvField(c.test) + "," + std::string(headroom::to_string(c.verdict)) + "\n";
    state.page.table_csv = std::move(csv);
}
