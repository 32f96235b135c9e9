// The simulated pool as the endpoint sees it: the whole study, simulated once at start
// (so every reply is, by construction, the row `headroom simulate` writes), plus the
// indexes a request needs: which query a prompt carries, which generation a
// (query, model, budget, sample) is, and which judge reply belongs to a generation.
#pragma once
#include "core/sim/simulate.h"
#include "core/study/study.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace headroom::serve {

inline constexpr std::uint32_t no_row = 0xffffffffu;

class simulated_pool {
public:
    explicit simulated_pool(const sim::pool_config& config);
    // The prefix index points into the study's texts: never copied or moved.
    simulated_pool(const simulated_pool&) = delete;
    simulated_pool& operator=(const simulated_pool&) = delete;

    const study& data() const { return study_; }
    const sim::pool_config& config() const { return config_; }
    const std::vector<std::uint32_t>& budgets() const { return budgets_; }
    std::uint16_t samples() const { return samples_; }
    // "fp_" and a hash of the study's provenance (every knob, seed and size): the
    // `system_fingerprint` of every reply, so a client can tell two pools apart.
    const std::string& fingerprint() const { return fingerprint_; }

    std::optional<std::uint16_t> find_model(std::string_view id) const;
    std::optional<std::uint16_t> find_judge(std::string_view name) const;  // index into config().judges

    // Every query whose text appears verbatim in `haystack`, keeping only the longest
    // such texts (a text inside a longer one is not what was asked). Several results
    // mean queries with identical texts; the caller disambiguates.
    std::vector<std::uint32_t> find_queries(std::string_view haystack) const;

    // The generation row for (query, model, budget, sample), or no_row.
    std::uint32_t generation(std::uint32_t query, std::uint16_t model, std::uint32_t budget,
                             std::uint16_t sample) const;
    // The rows of the query's generations, in study order.
    std::vector<std::uint32_t> generations_of(std::uint32_t query) const;
    // The judge's reply to a generation (a row of the judgments table), or no_row.
    std::uint32_t judgment(std::uint32_t generation, std::uint16_t judge) const;

private:
    sim::pool_config config_;
    study study_;
    std::vector<std::uint32_t> budgets_;
    std::uint16_t samples_ = 0;
    std::string fingerprint_;
    std::vector<std::uint32_t> generation_rows_;  // by ((query * models + model) * samples + sample) * budgets + budget
    std::vector<std::uint32_t> judgment_rows_;    // by generation * judges + judge
    // Exact look-ups first: the haystack the default templates give, and the judge
    // question; then a scan keyed by each text's first bytes.
    std::unordered_map<std::string, std::vector<std::uint32_t>> by_haystack_;
    std::unordered_map<std::string_view, std::vector<std::uint32_t>> by_prefix_;
    std::vector<std::uint32_t> short_texts_;
};

} // namespace headroom::serve
