// Where the "unsolvable" share comes from. U(naive) - U(corrected) is split over the
// three artifact fixes (the README, Decomposition):
//   truncation  the shortest budget -> the longest
//   format      strict extraction -> lenient
//   judge       one judge, no grounding -> dual judges with exact-match grounding
// as a sequential attribution (fixes applied in a stated order) and as the order-free
// Shapley split over the 2^3 protocol combinations, each with percentile bootstrap
// intervals over queries. What is left, U(corrected), is the residual.
#pragma once
#include "core/labels/labels.h"
#include "core/stats/interval.h"

#include <array>
#include <string>
#include <vector>

namespace headroom {

enum class artifact : std::uint8_t { truncation, format, judge };
inline constexpr std::array<artifact, 3> all_artifacts{artifact::truncation, artifact::format, artifact::judge};
std::string_view to_string(artifact a);

// The protocol with the fixes in `fixed` (bit i = artifact i) applied to `naive`,
// taking each fixed setting from `corrected`.
protocol combine(const protocol& naive, const protocol& corrected, unsigned fixed);

struct decomposition_options {
    int resamples = 1000;
    double confidence = 0.95;
    std::uint64_t seed = 1;
    std::array<artifact, 3> order = all_artifacts;  // for the sequential attribution
    int noise_simulations = 100;  // deals of the noise null per section (decomposition_report.h)
};

struct decomposition {
    std::string benchmark;              // a benchmark id, or "all"
    std::size_t queries = 0;
    std::array<interval, 8> unsolvable; // by combination bits (0 = naive, 7 = corrected)
    interval drop;                      // U(naive) - U(corrected)
    std::array<interval, 3> alone;      // each fix alone, from naive
    interval interactions;              // drop minus the three fixes alone
    std::array<interval, 3> sequential; // in options.order, indexed by artifact
    std::array<interval, 3> shapley;    // indexed by artifact
    interval residual;                  // U(corrected)
};

// The 8 label matrices a decomposition needs, computed once and reused per benchmark.
struct protocol_grid {
    protocol naive, corrected;
    protocol corrected_used;  // corrected, with single judging when the study has one judge
    std::array<label_matrix, 8> labels;
};
protocol_grid make_grid(const study& s, const study_index& index, const protocol& naive, const protocol& corrected);

decomposition decompose(const protocol_grid& grid, const std::vector<std::uint32_t>& rows, std::string benchmark,
                        const decomposition_options& options = {});

} // namespace headroom
