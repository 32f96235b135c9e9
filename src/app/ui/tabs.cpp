#include "app/ui/tabs.h"

// Each tab's panel (panel_<name>.cpp).
void DrawHeadroomPanel(AppState& state);
void DrawDecompositionPanel(AppState& state);
void DrawClaimsPanel(AppState& state);
void DrawQueriesPanel(AppState& state);
void DrawRoutersPanel(AppState& state);

namespace {

constexpr TabEntry tabs[] = {
    {Tab::Headroom, "headroom", "Headroom", DrawHeadroomPanel},
    {Tab::Decomposition, "decomposition", "Decomposition", DrawDecompositionPanel},
    {Tab::Claims, "claims", "Claims", DrawClaimsPanel},
    {Tab::Queries, "queries", "Queries", DrawQueriesPanel},
    {Tab::Routers, "routers", "Routers", DrawRoutersPanel},
};

constexpr bool InTabOrder() {
    for (std::size_t t = 0; t < std::size(tabs); ++t)
        if (static_cast<std::size_t>(tabs[t].id) != t) return false;
    return std::size(tabs) == static_cast<std::size_t>(Tab::Count);
}
// `Tab` indexes the table: a row out of place would draw one tab under another's name.
static_assert(InTabOrder(), "one row per Tab, in the order of the enum");

} // namespace

std::span<const TabEntry> Tabs() { return tabs; }

const char* TabName(Tab tab) { return tabs[static_cast<std::size_t>(tab)].name; }

std::optional<Tab> ParseTab(const std::string& name) {
    for (const TabEntry& tab : tabs)
        if (name == tab.name) return tab.id;
    return std::nullopt;
}
