// The decomposition tab: where the naive protocol's unsolvable share goes once each
// artifact is fixed, as two waterfalls side by side (fixes applied in a stated order;
// the order-free Shapley split), then every figure with its bootstrap interval, the
// noise null and who serves each query cheapest.
#include "app/ui/charts.h"
#include "app/ui/panels.h"
#include "app/ui/theme.h"
#include "app/ui/widgets.h"

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

namespace {

namespace chart = headroom::chart;
using headroom::interval;

std::vector<chart::waterfall_bar> Bars(const headroom::decomposition& d, const std::array<interval, 3>& split,
                                       const std::array<headroom::artifact, 3>& order) {
    std::vector<chart::waterfall_step> steps;
    for (headroom::artifact a : order) {
        const interval& iv = split[static_cast<std::size_t>(a)];
        // A fix lowers unsolvability by its share: a negative change, its interval mirrored.
        steps.push_back({std::string(headroom::to_string(a)), -100 * iv.value, -100 * iv.high, -100 * iv.low});
    }
    const interval& u0 = d.unsolvable[0];
    return chart::layout_waterfall("naive", 100 * u0.value, 100 * u0.low, 100 * u0.high, steps, "residual",
                                   100 * d.residual.low, 100 * d.residual.high);
}

void IntervalCell(const interval& iv) {
    ImGui::TableNextColumn();
    ImGui::Text("%6.2f", 100 * iv.value);
    ImGui::SameLine(0, 4 * GetTheme().scale);
    ImGui::TextColored(GetTheme().muted, "[%.2f, %.2f]", 100 * iv.low, 100 * iv.high);
}

void DrawFigures(const headroom::decomposition& d) {
    constexpr ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerH |
                                      ImGuiTableFlags_BordersOuterH | ImGuiTableFlags_SizingFixedFit;
    if (!ImGui::BeginTable("decomposition", 4, flags)) return;
    ImGui::TableSetupColumn("artifact");
    ImGui::TableSetupColumn("alone (from naive)");
    ImGui::TableSetupColumn("sequential");
    ImGui::TableSetupColumn("Shapley");
    ImGui::TableHeadersRow();
    for (headroom::artifact a : headroom::all_artifacts) {
        const auto i = static_cast<std::size_t>(a);
        ImGui::TableNextRow();
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(std::string(headroom::to_string(a)).c_str());
        IntervalCell(d.alone[i]);
        IntervalCell(d.sequential[i]);
        IntervalCell(d.shapley[i]);
    }
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    ImGui::TextUnformatted("interactions");
    ItemTooltip("The drop minus the three fixes applied alone: what the fixes do only together (negative: they "
                "overlap).");
    IntervalCell(d.interactions);
    ImGui::TableNextColumn();
    ImGui::TableNextColumn();
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    ImGui::TextUnformatted("drop");
    IntervalCell(d.drop);
    IntervalCell(d.drop);
    IntervalCell(d.drop);
    ImGui::EndTable();
}

void DrawServed(const AppState& state, const headroom::analysis_section& sec) {
    const auto& models = state.session.study->models;
    std::string line = "Best served by (corrected protocol, cheapest model that solves the query):";
    char part[96];
    for (std::size_t m = 0; m < models.size(); ++m) {
        std::snprintf(part, sizeof part, " %s %.1f%%", models[m].id.c_str(), 100 * sec.corrected_served.share_by_model[m]);
        line += part;
    }
    line += ". By tier:";
    for (const auto& [tier, share] : sec.corrected_served.share_by_tier) {
        std::snprintf(part, sizeof part, " %d: %.1f%%", tier, 100 * share);
        line += part;
    }
    TextWrappedWords("%s", line.c_str());
}

} // namespace

void DrawDecompositionPanel(AppState& state) {
    const Theme& theme = GetTheme();
    const float s = theme.scale;
    TextWrappedWords("How much of the naive protocol's unsolvable share is artifact? Each fix moves one choice from "
                       "naive to corrected: truncation (budget %u \u2192 %u tokens), format (strict \u2192 lenient "
                       "extraction), judge (one judge \u2192 dual judges with exact-match grounding). Percentage points "
                       "of queries; whiskers: 95%% bootstrap intervals (%d resamples).",
                       state.session.naive.budget, state.session.corrected.budget, AppState::decomposition_resamples);
    SectionPicker(state);
    const DecompositionWork& work = state.session.decomposition;
    const auto& sections = work.Sections();
    if (state.session.section >= sections.size()) {
        char what[96];
        std::snprintf(what, sizeof what, "Computing the decomposition (%zu of %zu sections done)", sections.size(),
                      work.Planned() ? work.Planned() : 1 + state.session.study->benchmarks.size());
        Pending(what);
        return;
    }
    const headroom::analysis_section& sec = sections[state.session.section];
    const headroom::decomposition& d = sec.parts;
    const headroom::decomposition_options options;

    const float gap = ImGui::GetStyle().ItemSpacing.x;
    const float half = (ImGui::GetContentRegionAvail().x - 2 * gap) / 2;
    // Captions wrap within their chart's width and take the same height, so a narrow
    // window keeps both charts side by side and level.
    const char* captions[2] = {"Sequential: truncation, then format, then judge",
                               "Shapley: order-free, over all 8 protocols"};
    const float caption_height = std::max(ImGui::CalcTextSize(captions[0], nullptr, false, half).y,
                                          ImGui::CalcTextSize(captions[1], nullptr, false, half).y);
    // As tall as fits above the fold with the step names under the bars, as the
    // headroom chart (panel_headroom.cpp).
    const float room = ImGui::GetContentRegionAvail().y - caption_height - ImGui::GetStyle().ItemSpacing.y;
    const ImVec2 size(half, std::clamp(room, 170 * s, 260 * s));
    auto caption = [&](const char* text) {
        const ImVec2 at = ImGui::GetCursorPos();
        ImGui::PushTextWrapPos(at.x + half);
        ImGui::TextUnformatted(text);
        ImGui::PopTextWrapPos();
        ImGui::SetCursorPos(ImVec2(at.x, at.y + caption_height + ImGui::GetStyle().ItemSpacing.y));
    };
    ImGui::BeginGroup();
    caption(captions[0]);
    const ChartOutcome seq = WaterfallChart("sequential", Bars(d, d.sequential, options.order), "unsolvable, % of queries", size);
    ImGui::EndGroup();
    NoteChart(state, "decomposition", seq.min, ImVec2(seq.max.x + gap + half, seq.max.y));
    ImGui::SameLine();
    ImGui::BeginGroup();
    caption(captions[1]);
    WaterfallChart("shapley", Bars(d, d.shapley, options.order), "unsolvable, % of queries", size);
    ImGui::EndGroup();

    DrawFigures(d);
    TextWrappedWords("Noise null (%d simulations): naive oracle %.2f vs %.2f if the models were identical; corrected "
                       "%.2f vs %.2f.%s",
                       work.builder->result().options.noise_simulations,
                       100 * sec.naive_noise.observed_oracle, 100 * sec.naive_noise.oracle_simulated,
                       100 * sec.corrected_noise.observed_oracle, 100 * sec.corrected_noise.oracle_simulated,
                       sec.naive_noise.single_sample ? " (one sample per pair: noise not separable here)" : "");
    DrawServed(state, sec);
    if (work.Done()) state.page.table_name = "decomposition";
    if (state.page.export_csv_requested)
        if (const auto a = CompletedDecomposition(state))
            state.page.table_csv = headroom::to_csv(*a);  // the CLI's own CSV (`headroom decompose --csv`)
}
