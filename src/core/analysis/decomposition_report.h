// The decomposition report: for the whole study and for each benchmark, where the
// naive protocol's unsolvable share goes (decomposition.h), the headroom left above the
// noise null (noise.h) under both protocols, and who serves each query cheapest under
// the corrected one (served.h). The CLI's `decompose` prints it; the app builds it
// with the same builder and draws it, so both print the same JSON.
#pragma once
#include "core/analysis/decomposition.h"
#include "core/analysis/served.h"
#include "core/stats/noise.h"

#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <vector>

namespace headroom {

struct analysis_section {
    decomposition parts;
    noise_null naive_noise, corrected_noise;
    served_by corrected_served;
};

struct analysis {
    std::string study;
    std::vector<std::string> models;
    protocol naive, corrected;
    decomposition_options options;
    std::vector<analysis_section> sections;  // "all" first, then benchmarks
};

// Builds the report a piece at a time: the protocol grid, then per section its
// decomposition, each noise null a slice of queries at a time, and who serves. The app
// runs step() between frames; analyse() runs it to the end. Both give the same digits.
class analysis_builder {
public:
    analysis_builder(const study& s, const study_index& index, const protocol& naive, const protocol& corrected,
                     const decomposition_options& options = {});
    // Does the next piece of work; false once the report is complete.
    bool step();
    bool done() const { return sections_planned_ > 0 && a_.sections.size() == sections_planned_; }
    // The report so far: its sections are the complete ones, in report order.
    const analysis& result() const { return a_; }
    // Sections in all ("all" and each benchmark), once the first step planned them; 0 before.
    std::size_t sections_planned() const { return sections_planned_; }
    // The eight label matrices, once the first step made them.
    const protocol_grid* grid() const { return grid_ ? &*grid_ : nullptr; }

private:
    std::vector<std::uint32_t> rows_of(std::size_t section) const;

    const study* s_;
    const study_index* index_;
    analysis a_;
    std::optional<protocol_grid> grid_;
    std::vector<double> cost_;  // dollars per query per model at the corrected budget
    std::size_t sections_planned_ = 0;
    // The section under way: its decomposition, then its two noise nulls.
    std::optional<analysis_section> section_;
    std::optional<noise_null_builder> naive_noise_, corrected_noise_;
};

analysis analyse(const study& s, const study_index& index, const protocol& naive, const protocol& corrected,
                 const decomposition_options& options = {});

nlohmann::ordered_json to_json(const analysis& a);
std::string to_text(const analysis& a);
// One row per section and quantity, for spreadsheets.
std::string to_csv(const analysis& a);

} // namespace headroom
