// The query inspector: filter the queries (benchmark, text, "unsolvable under naive
// but solved under corrected", disputed by judges, truncated), pick one, and see each
// model's generations under the shown budget with the extracted answer and the rule
// that matched, finish reason, tokens, the judges' replies and the exec result: why
// the query counts as solved or not.
#include "app/ui/panels.h"
#include "app/ui/theme.h"
#include "app/ui/widgets.h"
#include "core/analysis/query_flags.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <string>
#include <string_view>

namespace {

constexpr const char* filters[] = {
    "all queries",
    "unsolvable under naive, solved under corrected",
    "unsolvable under the shown protocol",
    "judges disagree on a generation",
    "a generation hit the shown budget (truncated)",
};

bool ContainsNoCase(std::string_view text, std::string_view needle) {
    if (needle.empty()) return true;
    auto it = std::search(text.begin(), text.end(), needle.begin(), needle.end(), [](char a, char b) {
        return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
    });
    return it != text.end();
}

const std::vector<char>& Disputed(AppState& state) {
    auto& flags = state.session.query_flags.disputed;
    if (flags.empty()) flags = headroom::disputed_queries(*state.session.study, *state.session.index);
    return flags;
}

const std::vector<char>& Truncated(AppState& state, std::uint32_t budget) {
    auto& flags = state.session.query_flags.truncated[budget];
    if (flags.empty()) flags = headroom::truncated_queries(*state.session.study, budget);
    return flags;
}

bool Unsolved(const headroom::label_matrix& labels, std::uint32_t q) {
    for (std::size_t m = 0; m < labels.models; ++m)
        if (labels.at(q, m) >= 0.5) return false;
    return true;
}

// Rebuilds the filtered list when a filter changed; false while the labels a filter
// needs are still being computed.
bool Filter(AppState& state) {
    const std::string key = std::to_string(state.view.query_filter) + "|" + std::to_string(state.session.query_benchmark) + "|" +
                            state.view.query_search + "|" + headroom::describe(state.session.current);
    if (key == state.session.query_rows_key) return true;
    const ProtocolDetail* detail = ShownDetail(state);
    const headroom::protocol_grid* grid = state.session.decomposition.Grid();
    if (state.view.query_filter == 1 && !grid) return false;
    if (state.view.query_filter == 2 && (!detail || !detail->labels)) return false;
    const std::vector<char>* flags = state.view.query_filter == 3   ? &Disputed(state)
                                     : state.view.query_filter == 4 ? &Truncated(state, state.session.current.budget)
                                                               : nullptr;
    state.session.query_rows.clear();
    const auto& queries = state.session.study->queries;
    for (std::uint32_t q = 0; q < queries.size(); ++q) {
        if (state.session.query_benchmark >= 0 && queries[q].benchmark != static_cast<std::uint32_t>(state.session.query_benchmark))
            continue;
        if (state.view.query_filter == 1 && !(Unsolved(grid->labels[0], q) && !Unsolved(grid->labels[7], q))) continue;
        if (state.view.query_filter == 2 && !Unsolved(*detail->labels, q)) continue;
        if (flags && !(*flags)[q]) continue;
        if (!ContainsNoCase(queries[q].id, state.view.query_search) && !ContainsNoCase(queries[q].text, state.view.query_search))
            continue;
        state.session.query_rows.push_back(q);
    }
    state.session.query_rows_key = key;
    return true;
}

void DrawFilters(AppState& state) {
    const float s = GetTheme().scale;
    ImGui::SetNextItemWidth(220 * s);
    ImGui::InputTextWithHint("##search", "search id or text", state.view.query_search, sizeof state.view.query_search);
    RecordTarget(state, "query-search");
    ImGui::SameLine();
    ImGui::SetNextItemWidth(170 * s);
    const char* bench = state.session.query_benchmark < 0 ? "every benchmark"
                                                  : state.session.study->benchmarks[state.session.query_benchmark].id.c_str();
    if (ImGui::BeginCombo("##benchmark", bench)) {
        if (ImGui::Selectable("every benchmark", state.session.query_benchmark < 0)) state.session.query_benchmark = -1;
        for (std::size_t b = 0; b < state.session.study->benchmarks.size(); ++b)
            if (ImGui::Selectable(state.session.study->benchmarks[b].id.c_str(), state.session.query_benchmark == static_cast<int>(b)))
                state.session.query_benchmark = static_cast<int>(b);
        ImGui::EndCombo();
    }
    ImGui::SameLine();
    ImGui::SetNextItemWidth(std::max(200 * s, ImGui::GetContentRegionAvail().x));
    if (ImGui::BeginCombo("##filter", filters[state.view.query_filter])) {
        for (int f = 0; f < static_cast<int>(std::size(filters)); ++f)
            if (ImGui::Selectable(filters[f], state.view.query_filter == f)) state.view.query_filter = f;
        ImGui::EndCombo();
    }
    RecordTarget(state, "query-filter");
}

void DrawList(AppState& state) {
    if (!Filter(state)) {
        Pending("Computing the labels this filter needs");
        return;
    }
    ImGui::TextColored(GetTheme().muted, "%zu queries", state.session.query_rows.size());
    constexpr ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_ScrollY | ImGuiTableFlags_BordersOuterH;
    if (!ImGui::BeginTable("query-list", 2, flags, ImVec2(0, ImGui::GetContentRegionAvail().y))) return;
    ImGui::TableSetupScrollFreeze(0, 1);
    ImGui::TableSetupColumn("Query", ImGuiTableColumnFlags_WidthFixed);
    ImGui::TableSetupColumn("Text", ImGuiTableColumnFlags_WidthStretch);
    ImGui::TableHeadersRow();
    ImGuiListClipper clipper;
    clipper.Begin(static_cast<int>(state.session.query_rows.size()));
    while (clipper.Step()) {
        for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; ++i) {
            const std::uint32_t q = state.session.query_rows[static_cast<std::size_t>(i)];
            const auto& query = state.session.study->queries[q];
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            ImGui::PushID(static_cast<int>(q));
            if (ImGui::Selectable(query.id.c_str(), state.session.selected_query == static_cast<int>(q),
                                  ImGuiSelectableFlags_SpanAllColumns))
                state.session.selected_query = static_cast<int>(q);
            ImGui::PopID();
            if (i == 0) RecordTarget(state, "query-first");
            ImGui::TableNextColumn();
            // One line per row: the clipper needs rows of equal height.
            std::string_view text(query.text);
            text = text.substr(0, std::min<std::size_t>(text.find('\n'), 160));
            ImGui::TextUnformatted(text.data(), text.data() + text.size());
        }
    }
    ImGui::EndTable();
}

const char* Status(headroom::grade_status s) {
    static std::string name;
    name = std::string(headroom::to_string(s));
    return name.c_str();
}

// A generation's text, if the selected query's texts are at hand.
const std::string* GenerationText(const AppState& state, std::uint32_t gen) {
    if (!state.session.query_texts) return nullptr;
    const auto found = state.session.query_texts->text.find(gen);
    return found == state.session.query_texts->text.end() ? nullptr : &found->second;
}

// The reply of judge `judge` on a generation of the selected query, if the texts are at hand.
const std::string* JudgeReply(const AppState& state, std::uint32_t gen, std::string_view judge) {
    if (!state.session.query_texts) return nullptr;
    const auto& judges = state.session.study->judgments.judges;
    const auto index = std::find(judges.begin(), judges.end(), judge);
    if (index == judges.end()) return nullptr;
    const auto found = state.session.query_texts->reply.find({gen, static_cast<std::uint16_t>(index - judges.begin())});
    return found == state.session.query_texts->reply.end() ? nullptr : &found->second;
}

// One model's generations on the query under the shown budget, grader by grader.
void DrawModel(AppState& state, std::uint32_t q, std::uint16_t m, const ProtocolDetail* detail) {
    const headroom::study& s = *state.session.study;
    const auto& g = s.generations;
    const auto& grades = s.grades;
    const auto samples = state.session.index->samples(q, m, state.session.current.budget);
    const Theme& theme = GetTheme();
    char header[160];
    const double label = detail && detail->labels ? detail->labels->at(q, m) : -1;
    if (label >= 0)
        std::snprintf(header, sizeof header, "%s \u2014 label %.2f (%s)###model%u", s.models[m].id.c_str(), label,
                      label >= 0.5 ? "solved" : "not solved", m);
    else
        std::snprintf(header, sizeof header, "%s###model%u", s.models[m].id.c_str(), m);
    if (label >= 0) ImGui::PushStyleColor(ImGuiCol_Text, label >= 0.5 ? theme.accent : theme.error_text);
    const bool open = ImGui::CollapsingHeader(header, ImGuiTreeNodeFlags_DefaultOpen);
    if (label >= 0) ImGui::PopStyleColor();
    if (!open) return;
    ImGui::Indent();
    for (std::uint32_t gen : samples) {
        ImGui::Text("sample %u \u00b7 finish %s \u00b7 %u output tokens (%u in) \u00b7 %.0f ms", g.sample[gen],
                    std::string(headroom::to_string(g.finish[gen])).c_str(), g.output_tokens[gen], g.input_tokens[gen],
                    g.latency_ms[gen]);
        if (g.finish[gen] == headroom::finish_reason::length) {
            ImGui::SameLine();
            ImGui::TextColored(theme.error_text, "cut off at the budget");
        }
        for (std::uint16_t gr = 0; gr < grades.graders.size(); ++gr) {
            const std::int32_t row = state.session.index->grade_row(gr, gen);
            if (row < 0) continue;
            const auto& name = grades.graders[gr];
            const std::string answer(grades.answer[row]);
            const std::string detail_text(grades.detail[row]);
            ImGui::Bullet();
            ImGui::TextColored(theme.muted, "%s:", name.c_str());
            ImGui::SameLine();
            if (name.rfind("judge:", 0) == 0) {
                ImGui::Text("%s, score %g", Status(grades.status[row]), grades.score[row]);
                if (const std::string* reply = JudgeReply(state, gen, name.substr(6))) {
                    ImGui::Indent();
                    ImGui::PushStyleColor(ImGuiCol_Text, theme.muted);
                    ImGui::TextWrapped("reply: %s", reply->substr(0, 600).c_str());
                    ImGui::PopStyleColor();
                    ImGui::Unindent();
                }
            }
            else if (name.rfind("exec", 0) == 0)
                ImGui::Text("%s", Status(grades.status[row]));
            else
                ImGui::TextWrapped("%s \u2014 answer '%s' by rule %s (%s)", Status(grades.status[row]),
                                   answer.c_str(), grades.rules[grades.rule[row]].c_str(),
                                   grades.score[row] >= 1 ? "right" : "wrong");
            if (!detail_text.empty()) {
                ImGui::Indent();
                ImGui::PushStyleColor(ImGuiCol_Text, theme.muted);
                ImGui::TextWrapped("%s", detail_text.substr(0, 600).c_str());
                ImGui::PopStyleColor();
                ImGui::Unindent();
            }
        }
        if (const std::string* text = GenerationText(state, gen); text && !text->empty()) {
            ImGui::PushID(static_cast<int>(gen));
            // The first sample's text open: what the model wrote is why the grades are what they are.
            const ImGuiTreeNodeFlags flags = g.sample[gen] == 0 ? ImGuiTreeNodeFlags_DefaultOpen : 0;
            if (ImGui::TreeNodeEx("text", flags, "generation text (%zu characters%s)", text->size(),
                                  state.session.query_texts->rebuilt ? ", rebuilt by the simulator" : "")) {
                ImGui::TextWrapped("%s", text->c_str());
                ImGui::TreePop();
            }
            ImGui::PopID();
        }
    }
    if (samples.empty()) ImGui::TextColored(theme.muted, "no generation at budget %u", state.session.current.budget);
    ImGui::Unindent();
}

void DrawQuery(AppState& state) {
    const Theme& theme = GetTheme();
    if (state.session.selected_query < 0) {
        Explanation("Pick a query on the left to see every model's answers, how each grader read them, and why the "
                    "query counts as solved or unsolvable under the shown protocol.");
        return;
    }
    const auto q = static_cast<std::uint32_t>(state.session.selected_query);
    const headroom::query& query = state.session.study->queries[q];
    ImGui::PushFont(theme.heading);
    ImGui::TextUnformatted(query.id.c_str());
    ImGui::PopFont();
    ImGui::TextColored(theme.muted, "%s \u00b7 %s%s%s", state.session.study->benchmarks[query.benchmark].id.c_str(),
                       query.subject.c_str(), query.gold.empty() ? "" : " \u00b7 gold: ", query.gold.c_str());
    ImGui::TextWrapped("%s", query.text.substr(0, 2000).c_str());
    // Options, unless the query's text already lists them.
    if (!query.options.empty() && query.text.find(query.options.front()) == std::string::npos)
        for (std::size_t o = 0; o < query.options.size(); ++o)
            ImGui::TextWrapped("(%c) %s", static_cast<char>('A' + o), query.options[o].c_str());
    if (state.session.study->info.texts_omitted) {
        // Why the texts are not in the file, and where the ones shown come from.
        const bool failed = !state.session.regenerate_error.empty();
        ImGui::PushStyleColor(ImGuiCol_Text, failed ? theme.warning_text : theme.muted);
        if (failed)
            ImGui::TextWrapped("This study was packed without generation texts (headroom pack --no-texts) and they "
                               "cannot be rebuilt: %s. Answers, rules, verdicts, finish reasons and tokens are shown.",
                               state.session.regenerate_error.c_str());
        else if (!state.session.query_texts || state.session.query_texts->query != q)
            ImGui::TextWrapped("Rebuilding this query's texts with the simulator...");
        else
            ImGui::TextWrapped("The study was packed without generation texts to keep the download small; the texts "
                               "and judges' replies below were rebuilt in your browser by the simulated pool that "
                               "wrote them (its seed and knobs are in the study), and each was checked against the "
                               "output tokens and finish reason the study kept.");
        ImGui::PopStyleColor();
    }
    ImGui::PushStyleColor(ImGuiCol_Text, theme.muted);
    ImGui::TextWrapped("Generations at budget %u, graded by every grader of the study:", state.session.current.budget);
    ImGui::PopStyleColor();
    const ProtocolDetail* detail = ShownDetail(state);
    for (std::uint16_t m = 0; m < state.session.study->models.size(); ++m) DrawModel(state, q, m, detail);
}

} // namespace

void DrawQueriesPanel(AppState& state) {
    DrawFilters(state);
    const float s = GetTheme().scale;
    const float list_width = std::clamp(ImGui::GetContentRegionAvail().x * 0.34f, 240 * s, 420 * s);
    // Inside the white tab panel, which needs no second coat (layout.cpp's host_flags).
    ImGui::BeginChild("query-list-box", ImVec2(list_width, 0), false, ImGuiWindowFlags_NoBackground);
    DrawList(state);
    ImGui::EndChild();
    ImGui::SameLine();
    ImGui::BeginChild("query-detail", ImVec2(0, 0), true, ImGuiWindowFlags_NoBackground);
    DrawQuery(state);
    ImGui::EndChild();
    // "Table as CSV": the filtered list.
    state.page.table_name = "queries";
    if (!state.page.export_csv_requested) return;
    std::string csv = "query,benchmark,subject,gold\n";
    for (std::uint32_t q : state.session.query_rows) {
        const auto& query = state.session.study->queries[q];
        csv += CsvField(query.id) + "," + CsvField(state.session.study->benchmarks[query.benchmark].id) + "," +
               CsvField(query.subject) + "," + CsvField(query.gold) + "\n";
    }
    state.page.table_csv = std::move(csv);
}
