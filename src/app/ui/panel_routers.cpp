// The routers tab. A learned router, chosen here, is trained in the browser on the
// training split's labels (naive, corrected or the shown protocol's) and tested on the
// shown protocol's: every policy's accuracy, cost and collapse (P1's four as described
// and as P1's code scores them), APGR, AIQ, the share of calls per model, and the
// cost-quality plane with the router's lambda/tau sweep. Below, the baseline routers of
// the report: the floor, what a router must beat, the ceiling.
#include "app/ui/charts.h"
#include "app/ui/panels.h"
#include "app/ui/theme.h"
#include "app/ui/widgets.h"
#include "core/study/split.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

namespace {

using headroom::feature_kind;
using headroom::router_kind;

const char* RouterHelp(router_kind r) { return headroom::router_info(r).help.data(); }

// The report's baseline routers are named as the routers table names them.
const char* BaselineHelp(const std::string& router) {
    for (const auto& entry : headroom::router_table())
        if (entry.name == router) return entry.help.data();
    return "";
}

std::string Dollars(double per_query) {
    char text[32];
    std::snprintf(text, sizeof text, "%.3f", 1000 * per_query);
    return text;
}

std::string PercentOrDash(double share) { return std::isnan(share) ? std::string("-") : Points(share); }

void RouterChoices(AppState& state) {
    ImGui::AlignTextToFramePadding();
    ImGui::TextUnformatted("Router");
    ImGui::SameLine();
    const float right = ImGui::GetWindowPos().x + ImGui::GetContentRegionMax().x;
    for (router_kind r : headroom::all_router_kinds()) {
        const std::string name(headroom::to_string(r));
        // Wrap the row of buttons where the next one would not fit.
        const float width = ImGui::CalcTextSize(name.c_str()).x + 2 * ImGui::GetStyle().FramePadding.x;
        if (r != headroom::all_router_kinds().front()) {
            const float next = ImGui::GetItemRectMax().x + ImGui::GetStyle().ItemSpacing.x + width;
            if (next < right) ImGui::SameLine();
        }
        if (ToggleButton(name.c_str(), state.view.router == r)) state.view.router = r;
        RecordTarget(state, ("router=" + name).c_str());
        ItemTooltip(RouterHelp(r));
    }

    ImGui::AlignTextToFramePadding();
    ImGui::TextUnformatted("Features");
    ItemTooltip("What the learned routers read of a query (its text and options): TF-IDF of word uni- and bigrams, a "
                "hashing vectoriser, LSA (truncated SVD of the TF-IDF), or, where the study has them, its queries' "
                "vectors from an embedding model.");
    ImGui::SameLine();
    for (feature_kind f : headroom::all_feature_kinds()) {
        if (f == feature_kind::embeddings && state.session.study->embeddings.empty()) continue;
        const std::string name(headroom::to_string(f));
        if (ToggleButton(name.c_str(), state.view.features == f)) state.view.features = f;
        RecordTarget(state, ("features=" + name).c_str());
        ImGui::SameLine(0, 0);
    }
    ImGui::SameLine(0, 3 * ImGui::GetStyle().ItemSpacing.x);
    ImGui::TextUnformatted("Train on");
    ItemTooltip("The labels the router learns from. It is always tested on the shown protocol's labels, so training on "
                "naive labels with the Corrected preset shown measures what label noise costs (P2).");
    ImGui::SameLine();
    for (TrainLabels t : {TrainLabels::Naive, TrainLabels::Corrected, TrainLabels::Shown}) {
        if (ToggleButton(TrainLabelsName(t), state.view.train_labels == t)) state.view.train_labels = t;
        RecordTarget(state, (std::string("train=") + TrainLabelsName(t)).c_str());
        ImGui::SameLine(0, 0);
    }
    ImGui::NewLine();
}

void PoliciesTable(AppState& state, const RouterRun& run) {
    const auto& e = run.report.evaluation;
    const auto& models = run.report.models;
    constexpr ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerH |
                                      ImGuiTableFlags_BordersOuterH | ImGuiTableFlags_SizingStretchSame;
    if (!ImGui::BeginTable("policies", 6, flags)) return;
    // The numbers share what the policy names leave, so the table fits a narrow column.
    ImGui::TableSetupColumn("Policy", ImGuiTableColumnFlags_WidthFixed);
    for (const char* header : {"Accuracy", "P1 code", "$/1k", "Top share", "vs best"})
        ImGui::TableSetupColumn(header, ImGuiTableColumnFlags_WidthStretch);
    NumericHeadersRow(1, 6);
    std::string csv = "router,features,policy,accuracy,accuracy_as_p1_code,dollars_per_1000_queries,top_share,top_model,"
                      "gap_to_best_single,gap_to_oracle\n";
    for (std::size_t p = 0; p < e.policies.size(); ++p) {
        const auto& pr = e.policies[p];
        const auto& m = pr.overall;
        const bool p1_code = pr.policy.variant == headroom::policy_variant::p1_code;
        const std::string name = headroom::describe(pr.policy);
        ImGui::TableNextRow();
        ImGui::TableNextColumn();
        const bool selected = state.view.router_policy == static_cast<int>(p);
        if (ImGui::Selectable(name.c_str(), selected, ImGuiSelectableFlags_SpanAllColumns))
            state.view.router_policy = static_cast<int>(p);
        RecordTarget(state, ("policy=" + name).c_str());
        ItemTooltip(p1_code ? "As P1's published code computes it: a pick counts only when the model was also "
                              "predicted capable; Sorted Pred reads the label of another model (see docs/DEVELOPING.md, Vocabulary)."
                            : "The policy as its definition states it; the accuracy of the models it calls.");
        ImGui::TableNextColumn();
        TextPercent(m.accuracy);
        ItemTooltip(("Gap to the oracle: " + Points(m.gap_to_oracle) + " points").c_str());
        ImGui::TableNextColumn();
        if (p1_code) TextPercent(m.accuracy_as_scored);
        else ImGui::TextDisabled("-");
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(Dollars(m.cost).c_str());
        ImGui::TableNextColumn();
        TextPercent(m.top_share);
        ItemTooltip(("Most chosen: " + models[m.top_model]).c_str());
        ImGui::TableNextColumn();
        TextPercent(-m.gap_to_best_single);
        csv += std::string(headroom::to_string(e.router)) + "," + std::string(headroom::to_string(state.view.features)) + "," +
               CsvField(name) + "," + Points(m.accuracy) + "," + (p1_code ? Points(m.accuracy_as_scored) : "") + "," +
               Dollars(m.cost) + "," + Points(m.top_share) + "," + CsvField(models[m.top_model]) + "," +
               Points(m.gap_to_best_single) + "," + Points(m.gap_to_oracle) + "\n";
    }
    ImGui::EndTable();
    Explanation("Accuracy on the test split's labels under the shown protocol, in %. P1 code: the accuracy as P1's "
                "published code scores the same picks. $/1k: dollars per 1,000 queries. Top share: the most-chosen "
                "model's share of test queries (100 = collapse). vs best: router minus the best single model, in "
                "points (hover an accuracy for the gap to the oracle). Click a policy to see where it sends the "
                "queries.");
    state.page.table_name = "router-policies";
    if (state.page.export_csv_requested) state.page.table_csv = std::move(csv);
}

void SummaryLine(const RouterRun& run) {
    const auto& r = run.report;
    const auto& sw = r.evaluation.strong_weak;
    const auto& argmax = r.evaluation.policies.front().overall;
    TextWrappedWords("Oracle %s%%, classifier upper bound %s%%. APGR (%s \u2192 %s) %s%%; calls to the strong model "
                       "for 50%% / 80%% of the gap: %s%% / %s%%. AIQ %s%%.",
                       Points(argmax.oracle).c_str(), Points(r.evaluation.classifier_upper_bound).c_str(),
                       r.models[r.weak].c_str(), r.models[r.strong].c_str(), PercentOrDash(sw.apgr).c_str(),
                       PercentOrDash(sw.cpt50).c_str(), PercentOrDash(sw.cpt80).c_str(), Points(r.evaluation.aiq).c_str());
    ItemTooltip("Classifier upper bound (P1): share of test queries that some model the router predicts capable "
                "solves. APGR (RouteLLM): area under the share of the weak-to-strong gap recovered as calls move to "
                "the strong model in the router's order. AIQ (RouterBench): area under the cost-quality hull below, "
                "over the models' cost range.");
}

void ShareChart(AppState& state, const RouterRun& run) {
    const auto& e = run.report.evaluation;
    const std::size_t p = std::min<std::size_t>(static_cast<std::size_t>(state.view.router_policy), e.policies.size() - 1);
    const auto& m = e.policies[p].overall;
    const Theme& theme = GetTheme();
    std::vector<BarItem> bars;
    for (std::size_t k = 0; k < run.report.models.size(); ++k)
        bars.push_back({run.report.models[k], 100 * m.share[k], 100 * m.share[k], 100 * m.share[k],
                        ImGui::GetColorU32(k == m.top_model ? theme.best : theme.muted), ""});
    TextWrappedWords("Where %s sends the test queries (share of calls per model)",
                       headroom::describe(e.policies[p].policy).c_str());
    const ChartOutcome out = BarChart("router-share", bars, {}, "% of test queries", ImVec2(0, 200 * theme.scale));
    NoteChart(state, "router-share", out.min, out.max);
}

// One slider over one part of the router's sweep (the cost-aware policy's lambdas or
// cheapest-capable's taus); `index` counts within that part.
void SweepSlider(AppState& state, const char* key, int& index, int count, const char* name, const double* values,
                 const char* help) {
    index = std::clamp(index, 0, count - 1);
    char format[64];
    std::snprintf(format, sizeof format, "%s = %g", name, values[index]);
    ImGui::SetNextItemWidth(220 * GetTheme().scale);
    ImGui::SliderInt((std::string("##") + key).c_str(), &index, 0, count - 1, format, ImGuiSliderFlags_AlwaysClamp);
    RecordTarget(state, key);
    ItemTooltip(help);
}

// Every model (all queries), the report's baseline routers and the chosen router's
// lambda and tau sweeps (test split) on one plane, with the upper convex hull; the
// sliders pick one lambda and one tau and label their points.
void CostQuality(AppState& state, const headroom::protocol_report& report, const RouterRun* run) {
    const Theme& theme = GetTheme();
    const std::vector<double>& cost = CostPerQuery(state, state.session.current.budget);
    const auto& h = report.sections[0].summary;
    std::vector<ScatterItem> points;
    for (std::size_t m = 0; m < state.session.study->models.size(); ++m) {
        const auto& model = state.session.study->models[m];
        char tip[128];
        std::snprintf(tip, sizeof tip, "%s, tier %d; $%.2f / $%.2f per million tokens in / out", model.family.c_str(),
                      model.tier, model.price_input_per_mtok, model.price_output_per_mtok);
        points.push_back({model.id, 1000 * cost[m], 100 * h.model_accuracy[m],
                          ImGui::GetColorU32(m == h.best_model ? theme.best : theme.muted), tip});
    }
    for (const auto& r : report.routers) {
        // The oracle reads the test labels: a ceiling, not a point a router can reach.
        if (r.router == "oracle") continue;
        double dollars = 0;
        for (std::size_t m = 0; m < r.evaluation.share.size() && m < cost.size(); ++m) dollars += r.evaluation.share[m] * cost[m];
        points.push_back({r.router, 1000 * dollars, 100 * r.evaluation.accuracy, ImGui::GetColorU32(theme.warning_text),
                          std::string("baseline router, test split: ") + BaselineHelp(r.router)});
    }
    // The sweep is the run's lambdas, then its taus; a run without one shows no sweep.
    const auto& options = run ? run->report.options : headroom::evaluation_options{};
    const int lambdas = static_cast<int>(options.lambdas.size()), taus = static_cast<int>(options.taus.size());
    const auto& sweep_of_run = run ? run->report.evaluation.sweep : std::vector<headroom::sweep_point>{};
    if (lambdas == 0 || taus == 0 || sweep_of_run.size() != options.lambdas.size() + options.taus.size()) run = nullptr;
    if (run) {
        const auto& sweep = run->report.evaluation.sweep;  // the lambdas, then the taus
        const ImVec4 faint(theme.accent.x, theme.accent.y, theme.accent.z, 0.35f);
        for (std::size_t k = 0; k < sweep.size(); ++k) {
            const int i = static_cast<int>(k);
            const bool chosen = i == state.view.router_lambda || i == lambdas + state.view.router_tau;
            char tip[128];
            std::snprintf(tip, sizeof tip, "%s, trained on %s labels, test split; top share %s%%",
                          std::string(headroom::to_string(state.view.router)).c_str(),
                          ProtocolName(state, RouterTrainProtocol(state)).c_str(), Points(sweep[k].top_share).c_str());
            points.push_back({headroom::describe(sweep[k].policy), 1000 * sweep[k].cost, 100 * sweep[k].accuracy,
                              ImGui::GetColorU32(chosen ? theme.accent : faint), tip, chosen});
        }
    }
    TextWrappedWords("Cost and quality: the models (all queries), the random and best-single routers and the "
                       "router's cost-aware and cheapest-capable sweeps (test split; the chosen lambda and tau "
                       "labelled), with the upper convex hull");
    const ChartOutcome out = ScatterChart("cost-quality", points, "dollars per 1,000 queries", "accuracy, % of queries",
                                          ImVec2(0, 280 * theme.scale));
    NoteChart(state, "cost-quality", out.min, out.max);
    if (!run) return;
    const auto& sweep = run->report.evaluation.sweep;
    SweepSlider(state, "lambda", state.view.router_lambda, lambdas, "lambda", options.lambdas.data(),
                "The cost-aware policy calls the model with the highest confidence - lambda x cost / dearest model's "
                "cost: 0 ignores cost, large values call the cheapest model.");
    const auto& at_lambda = sweep[static_cast<std::size_t>(state.view.router_lambda)];
    ImGui::SameLine();
    ImGui::Text("accuracy %s%%, $%s / 1k, top share %s%%", Points(at_lambda.accuracy).c_str(),
                Dollars(at_lambda.cost).c_str(), Points(at_lambda.top_share).c_str());
    SweepSlider(state, "tau", state.view.router_tau, taus, "tau", options.taus.data(),
                "Cheapest-capable calls the cheapest model whose confidence reaches tau (none: the most confident).");
    const auto& at_tau = sweep[static_cast<std::size_t>(lambdas + state.view.router_tau)];
    ImGui::SameLine();
    ImGui::Text("accuracy %s%%, $%s / 1k, top share %s%%", Points(at_tau.accuracy).c_str(), Dollars(at_tau.cost).c_str(),
                Points(at_tau.top_share).c_str());
}

void LearnedRouter(AppState& state, const headroom::protocol_report& report) {
    RouterChoices(state);
    const RouterRun* run = ChosenRouterRun(state);
    const std::string train = ProtocolName(state, RouterTrainProtocol(state));
    if (!run) {
        Pending(("training " + std::string(headroom::to_string(state.view.router)) + " on the " + train +
                 " labels, in this browser")
                    .c_str());
        CostQuality(state, report, nullptr);
        return;
    }
    if (!run->error.empty()) {
        ImGui::PushStyleColor(ImGuiCol_Text, GetTheme().error_text);
        TextWrappedWords("%s could not be trained on the %s labels: %s",
                           std::string(headroom::to_string(state.view.router)).c_str(), train.c_str(), run->error.c_str());
        ImGui::PopStyleColor();
        CostQuality(state, report, nullptr);
        return;
    }
    ImGui::PushStyleColor(ImGuiCol_Text, GetTheme().muted);
    TextWrappedWords("Trained on the %s labels of the other queries, tested on the shown protocol's labels of "
                       "%s (%zu queries); %.0f ms in this browser%s.",
                       train.c_str(), run->report.split.c_str(), run->report.evaluation.test_queries, run->ms,
                       run->in_worker ? ", in a worker thread (the page kept drawing)" : "");
    ImGui::PopStyleColor();
    SummaryLine(*run);
    PoliciesTable(state, *run);
    ShareChart(state, *run);
    CostQuality(state, report, run);
}

// The table's CSV is what "Table as CSV" exports while no learned router's table is shown.
void Baselines(AppState& state, const headroom::protocol_report& report) {
    TextWrappedWords("The report's baseline routers tested on %s, labels under the shown protocol:",
                       state.session.baseline_split.c_str());
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
        ItemTooltip(BaselineHelp(r.router));
        ImGui::TableNextColumn();
        TextPercent(r.evaluation.accuracy);
        ImGui::TableNextColumn();
        TextPercent(r.evaluation.top_share);
        ImGui::TableNextColumn();
        const auto& share = r.evaluation.share;
        std::string top_model;
        if (!share.empty()) {
            const auto top = static_cast<std::size_t>(std::max_element(share.begin(), share.end()) - share.begin());
            top_model = state.session.study->models[top].id;
            ImGui::TextUnformatted(top_model.c_str());
        }
        csv += CsvField(r.router) + "," + Points(r.evaluation.accuracy) + "," + Points(r.evaluation.top_share) + "," +
               CsvField(top_model) + "\n";
    }
    ImGui::EndTable();
    if (!state.page.table_name.empty()) return;
    state.page.table_name = "routers";
    if (state.page.export_csv_requested) state.page.table_csv = std::move(csv);
}

} // namespace

void DrawRoutersPanel(AppState& state) {
    if (!state.session.shown) return;
    const auto& report = *state.session.shown;
    if (!state.view.router_view_error.empty()) {
        ImGui::PushStyleColor(ImGuiCol_Text, GetTheme().error_text);
        TextWrappedWords("%s", state.view.router_view_error.c_str());
        ImGui::PopStyleColor();
    }
    LearnedRouter(state, report);
    ImGui::Spacing();
    Baselines(state, report);
}
