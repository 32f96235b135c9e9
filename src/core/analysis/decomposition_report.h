// The decomposition report: for the whole study and for each benchmark, where the
// naive protocol's unsolvable share goes (decomposition.h), the headroom left above the
// noise null (noise.h) under both protocols, and who serves each query cheapest under
// the corrected one (served.h). The CLI's `decompose` prints it; the app draws it.
#pragma once
#include "core/analysis/decomposition.h"
#include "core/analysis/served.h"
#include "core/stats/noise.h"

#include <nlohmann/json.hpp>
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

analysis analyse(const study& s, const study_index& index, const protocol& naive, const protocol& corrected,
                 const decomposition_options& options = {});

nlohmann::ordered_json to_json(const analysis& a);
std::string to_text(const analysis& a);
// One row per section and quantity, for spreadsheets.
std::string to_csv(const analysis& a);

} // namespace headroom
