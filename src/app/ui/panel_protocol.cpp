// The protocol controls: the Naive/Corrected presets, then each choice on its own.
// Every change goes through SetProtocol, which recomputes the report (or reuses the
// cached one) before the table below draws.
#include "app/ui/panels.h"
#include "app/ui/theme.h"
#include "app/ui/widgets.h"

#include <string>

namespace {

using headroom::aggregation;
using headroom::protocol;

// One labelled row of the controls table.
void ControlRow(const char* label, const char* help) {
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    ImGui::AlignTextToFramePadding();
    ImGui::TextUnformatted(label);
    ItemTooltip(help);
    ImGui::TableNextColumn();
}

bool RadioChoice(const char* label, bool active) {
    const bool clicked = ImGui::RadioButton(label, active);
    ImGui::SameLine();
    return clicked && !active;
}

void PresetRow(AppState& state, protocol& p) {
    const bool naive = p == state.session.naive, corrected = p == state.session.corrected;
    ControlRow("Preset", "Naive: the evaluation P2 criticises (shortest budget, strict extraction, one judge, "
                         "no grounding). Corrected: the same aggregation with every artifact fixed.");
    if (ToggleButton("Naive", naive)) p = state.session.naive;
    RecordTarget(state, "naive");
    ImGui::SameLine(0, 0);
    if (ToggleButton("Corrected", corrected)) p = state.session.corrected;
    RecordTarget(state, "corrected");
    if (!naive && !corrected) {
        ImGui::SameLine();
        ImGui::AlignTextToFramePadding();
        ImGui::TextColored(GetTheme().muted, "custom");
    }
}

void AggregationRow(AppState& state, protocol& p) {
    const int samples = state.session.facts.samples_per_pair;
    ControlRow("Aggregation", "How the samples of one model on one query become one label. greedy: the first sample. "
                              "maj@k: the majority answer of k samples is right (P1). pass@k: chance that one of k "
                              "samples is right. mean: share of samples that are right.");
    const int k_all = samples > 1 ? samples : 1;
    if (RadioChoice("greedy", p.aggregate == aggregation::greedy)) { p.aggregate = aggregation::greedy; p.k = 1; }
    RecordTarget(state, "aggregate=greedy");
    if (RadioChoice("maj@k", p.aggregate == aggregation::majority)) { p.aggregate = aggregation::majority; p.k = k_all; }
    RecordTarget(state, "aggregate=maj");
    if (RadioChoice("pass@k", p.aggregate == aggregation::pass_at_k)) { p.aggregate = aggregation::pass_at_k; p.k = k_all; }
    RecordTarget(state, "aggregate=pass");
    if (RadioChoice("mean", p.aggregate == aggregation::mean)) { p.aggregate = aggregation::mean; p.k = 0; }
    RecordTarget(state, "aggregate=mean");
    ImGui::NewLine();
    const bool counted = p.aggregate == aggregation::majority || p.aggregate == aggregation::pass_at_k;
    if (!counted || samples <= 1) return;
    // k and, for maj@k, the tie rule share one line: they only exist for these two.
    // A row of k buttons reads better than a slider whose grab hides its own value.
    ImGui::AlignTextToFramePadding();
    ImGui::TextUnformatted("k =");
    ItemTooltip("Samples aggregated per model and query.");
    const int k = p.k <= 0 || p.k > samples ? samples : p.k;
    for (int i = 1; i <= samples; ++i) {
        ImGui::SameLine(0, i == 1 ? -1.0f : 0.0f);
        ImGui::PushID(i);
        if (ToggleButton(std::to_string(i).c_str(), i == k)) p.k = i;
        ImGui::PopID();
        RecordTarget(state, ("k=" + std::to_string(i)).c_str());
    }
    if (p.aggregate != aggregation::majority) return;
    ImGui::SameLine(0, 18 * GetTheme().scale);
    ImGui::AlignTextToFramePadding();
    ImGui::TextUnformatted("ties:");
    ItemTooltip("How maj@k settles a tie. first seen: the answer that appeared first wins (as P1's code counts). "
                "plurality: a tie has no winner, so the label is 0.");
    ImGui::SameLine();
    if (RadioChoice("first seen", p.ties == headroom::tie_rule::first_seen)) p.ties = headroom::tie_rule::first_seen;
    if (RadioChoice("plurality", p.ties == headroom::tie_rule::plurality)) p.ties = headroom::tie_rule::plurality;
    ImGui::NewLine();
}

void JudgeRow(AppState& state, protocol& p) {
    bool judged = false;
    for (const auto& b : state.session.study->benchmarks) judged = judged || b.kind == headroom::task_kind::open;
    ControlRow("Judges", "Open-ended answers are scored by an LLM judge: one, or two that must agree (P2's dual "
                         "judges). Grounding: where a gold answer exists, exact match overrides the judge.");
    // Kept visible (the presets set them) but disabled when nothing here is judged.
    ImGui::BeginDisabled(!judged);
    if (RadioChoice("single", p.judges == headroom::judge_mode::single)) p.judges = headroom::judge_mode::single;
    if (RadioChoice("dual", p.judges == headroom::judge_mode::dual)) p.judges = headroom::judge_mode::dual;
    ImGui::Checkbox("grounding", &p.grounding);
    ImGui::EndDisabled();
    if (!judged) {
        ImGui::SameLine();
        ImGui::TextColored(GetTheme().muted, "(unused here)");
        ItemTooltip("This study has no open-ended benchmark, so judges and grounding do not change its labels.");
    }
}

} // namespace

void DrawProtocolPanel(AppState& state) {
    const Theme& theme = GetTheme();
    SectionHeader("Protocol");
    protocol p = state.session.current;

    if (ImGui::BeginTable("controls", 2, ImGuiTableFlags_SizingFixedFit)) {
        ImGui::TableSetupColumn("label");
        ImGui::TableSetupColumn("control", ImGuiTableColumnFlags_WidthStretch);
        PresetRow(state, p);

        ControlRow("Budget", "Maximum output tokens per answer. Answers cut off by a short budget lose their final "
                             "line, and with it the answer (truncation).");
        for (auto b : state.session.facts.budgets) {
            const std::string label = std::to_string(b) + " tokens";
            if (RadioChoice(label.c_str(), p.budget == b)) p.budget = b;
            RecordTarget(state, ("budget=" + std::to_string(b)).c_str());
        }
        ImGui::NewLine();

        ControlRow("Extractor", "strict: P1's regular expressions (last integer, last A-D letter). lenient: tolerant "
                                "of formatting (bold letters, separators, currency), same gold answer.");
        if (RadioChoice("strict", p.extractor == headroom::extractor::strict)) p.extractor = headroom::extractor::strict;
        RecordTarget(state, "extractor=strict");
        if (RadioChoice("lenient", p.extractor == headroom::extractor::lenient)) p.extractor = headroom::extractor::lenient;
        RecordTarget(state, "extractor=lenient");
        ImGui::NewLine();

        AggregationRow(state, p);
        JudgeRow(state, p);
        ImGui::EndTable();
    }

    if (!(p == state.session.current)) SetProtocol(state, p);

    ImGui::PushStyleColor(ImGuiCol_Text, theme.muted);
    TextWrappedWords("%s", headroom::describe(state.session.current).c_str());
    ImGui::PopStyleColor();
    if (!state.session.protocol_error.empty()) {
        ImGui::PushStyleColor(ImGuiCol_Text, theme.error_text);
        TextWrappedWords("Refused: %s", state.session.protocol_error.c_str());
        ImGui::PopStyleColor();
    }
}
