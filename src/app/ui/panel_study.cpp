// What was measured: benchmarks, models (tier, price), budgets and samples. A
// simulated study says so first, before any number can be mistaken for a finding.
#include "app/ui/panels.h"
#include "app/ui/theme.h"
#include "app/ui/widgets.h"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace {

constexpr ImGuiTableFlags table_flags =
    ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerH | ImGuiTableFlags_BordersOuterH | ImGuiTableFlags_SizingFixedFit;

void DrawBenchmarks(const headroom::study& study, const std::vector<int>& queries) {
    if (!ImGui::BeginTable("benchmarks", 3, table_flags)) return;
    // Ids whole, the task wrapped: the panel is too narrow for both on one line.
    ImGui::TableSetupColumn("Benchmark");
    ImGui::TableSetupColumn("Task", ImGuiTableColumnFlags_WidthStretch);
    ImGui::TableSetupColumn("Queries");
    ImGui::TableHeadersRow();
    for (std::size_t b = 0; b < study.benchmarks.size(); ++b) {
        const auto& bench = study.benchmarks[b];
        ImGui::TableNextRow();
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(bench.id.c_str());
        if (!bench.mirrors.empty() || !bench.description.empty()) {
            const std::string tip = (bench.mirrors.empty() ? "" : "Imitates " + bench.mirrors + ". ") + bench.description;
            ItemTooltip(tip.c_str());
        }
        ImGui::TableNextColumn();
        const std::string kind(headroom::to_string(bench.kind));
        TextWrappedWords("%s%s%s", kind.c_str(), bench.mirrors.empty() ? "" : ", like ", bench.mirrors.c_str());
        ImGui::TableNextColumn();
        ImGui::Text("%d", queries[b]);
    }
    ImGui::EndTable();
}

void DrawModels(const headroom::study& study) {
    if (!ImGui::BeginTable("models", 4, table_flags)) return;
    ImGui::TableSetupColumn("Model", ImGuiTableColumnFlags_WidthStretch);
    ImGui::TableSetupColumn("Family");
    ImGui::TableSetupColumn("Tier");
    ImGui::TableSetupColumn("$ in / out");
    ImGui::TableHeadersRow();
    for (const auto& m : study.models) {
        ImGui::TableNextRow();
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(m.id.c_str());
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(m.family.c_str());
        ImGui::TableNextColumn();
        ImGui::Text("%d", m.tier);
        ItemTooltip("Size tier within the family: 0 is the smallest.");
        ImGui::TableNextColumn();
        ImGui::Text("%.2f / %.2f", m.price_input_per_mtok, m.price_output_per_mtok);
        ItemTooltip("Price in dollars per million input / output tokens.");
    }
    ImGui::EndTable();
}

} // namespace

// The simulated pool's knobs, from the study's provenance: every scalar setting, so the
// label "simulated pool" always comes with what was simulated.
void DrawKnobs(const headroom::study& study) {
    const auto provenance = nlohmann::json::parse(study.info.provenance, nullptr, false);
    if (!provenance.is_object()) return;
    if (!ImGui::TreeNode("pool-knobs", "Pool knobs")) return;
    for (const auto& [key, value] : provenance.items()) {
        if (value.is_structured() && !(value.is_array() && value.size() <= 8 && !value.empty() && value[0].is_primitive()))
            continue;  // nested tables (benchmarks, planted artifacts) are in study.json
        ImGui::TextColored(GetTheme().muted, "%s:", key.c_str());
        ImGui::SameLine();
        ImGui::TextUnformatted(value.is_string() ? value.get<std::string>().c_str() : value.dump().c_str());
    }
    ImGui::TreePop();
}

// The three shipped studies, and how to bring your own.
void DrawPicker(AppState& state) {
    for (const ShippedStudy& shipped : ShippedStudies()) {
        const bool current = state.session.study_url == shipped.url;
        if (ToggleButton(shipped.name, current) && !current) state.page.requested_study = shipped.url;
        RecordTarget(state, (std::string("study=") + shipped.name).c_str());
        ItemTooltip(shipped.summary);
        ImGui::SameLine(0, 4 * GetTheme().scale);
    }
    ImGui::NewLine();
    Explanation("Or drop your own study anywhere on the page: a .pack file from `headroom pack`, or the study directory as a .zip, .tar or .tar.gz.");
}

void DrawStudyPanel(AppState& state) {
    const Theme& theme = GetTheme();
    const headroom::study& study = *state.session.study;
    SectionHeader("Study");
    DrawPicker(state);
    ImGui::PushFont(theme.title);
    ImGui::TextUnformatted(study.info.name.c_str());
    ImGui::PopFont();
    if (study.info.simulated) {
        Badge("SIMULATED POOL", theme.warning_text, theme.warning_fill);
        Explanation("Models, queries and answers come from Headroom's simulator, not from real LLMs. "
                    "The numbers show how the method behaves; they are not findings about any real model.");
        DrawKnobs(study);
    }
    if (!study.info.description.empty()) TextWrappedWords("%s", study.info.description.c_str());

    ImGui::Dummy(ImVec2(0, 4 * theme.scale));
    std::string budgets;
    for (auto b : state.session.facts.budgets) budgets += (budgets.empty() ? "" : ", ") + std::to_string(b);
    TextWrappedWords("%zu queries \u00b7 %zu models \u00b7 %zu generations", study.queries.size(), study.models.size(),
                     study.generations.size());
    ImGui::Text("Budgets (max output tokens): %s", budgets.c_str());
    ImGui::Text("Samples per model and query: %d", static_cast<int>(state.session.facts.samples_per_pair));

    ImGui::Dummy(ImVec2(0, 6 * theme.scale));
    DrawBenchmarks(study, state.session.facts.queries_per_benchmark);
    ImGui::Dummy(ImVec2(0, 6 * theme.scale));
    DrawModels(study);

    ImGui::Dummy(ImVec2(0, 6 * theme.scale));
    ImGui::PushStyleColor(ImGuiCol_Text, theme.muted);
    TextWrappedWords("Loaded from %s in %.0f ms (unpack, index, first report)%s", state.session.study_url.c_str(),
                       state.session.load_ms, study.info.texts_omitted ? "; packed without generation texts" : "");
    ImGui::PopStyleColor();
}
