// decomposition_report.h's builder and noise.h's sliced null: work cut into steps (as
// the browser app runs it between frames) gives the digits of the whole run, and the
// noise-simulation count is an option that reaches the JSON.
#include "core/analysis/decomposition_report.h"
#include "core/io/pack.h"
#include "core/stats/noise.h"

#include "test_support.h"

#include <nlohmann/json.hpp>

using namespace headroom;
using namespace headroom::test;

namespace {

study skeleton() {
    const auto bytes = read_bytes(fs::path(source_root()) / "precomputed" / "skeleton" / "study.pack");
    return unpack_study(bytes, "study.pack");
}

} // namespace

TEST_CASE("analysis_builder: stepwise equals analyse(), to the byte of its JSON", "[decompose][precomputed]") {
    const study s = skeleton();
    const study_index index(s);
    decomposition_options options;
    options.resamples = 50;
    options.noise_simulations = 7;
    const protocol naive = naive_protocol(s), corrected = corrected_protocol(s);
    const analysis whole = analyse(s, index, naive, corrected, options);

    analysis_builder b(s, index, naive, corrected, options);
    CHECK(b.grid() == nullptr);
    CHECK(b.sections_planned() == 0);
    int steps = 0;
    std::size_t seen = 0;
    while (b.step()) {
        ++steps;
        // Sections appear one at a time, complete, in report order.
        CHECK(b.result().sections.size() >= seen);
        seen = b.result().sections.size();
    }
    REQUIRE(b.done());
    CHECK(b.grid() != nullptr);
    CHECK(b.sections_planned() == 1 + s.benchmarks.size());
    // The grid, then per section a decomposition, noise slices and a close: many steps.
    CHECK(steps > static_cast<int>(3 * b.sections_planned()));
    CHECK(b.step() == false);
    const auto json = to_json(b.result());
    CHECK(json.dump() == to_json(whole).dump());
    CHECK(json["noise_simulations"] == 7);
    CHECK(json["resamples"] == 50);
}

TEST_CASE("noise_null_builder: any slicing of the queries gives the whole run's null", "[noise][precomputed]") {
    const study s = skeleton();
    const study_index index(s);
    std::vector<std::uint32_t> rows(s.queries.size());
    for (std::uint32_t q = 0; q < rows.size(); ++q) rows[q] = q;
    const protocol p = naive_protocol(s);
    const noise_null whole = noise_headroom(s, index, p, rows, 9, 3);
    for (std::size_t slice : {std::size_t{1}, std::size_t{37}, rows.size()}) {
        noise_null_builder b(s, index, p, rows, 9, 3);
        std::size_t left = rows.size();
        while (!b.done()) {
            const std::size_t now = b.run(slice);
            CHECK(now == left - std::min(slice, left));
            left = now;
        }
        const noise_null n = b.result();
        CHECK(n.oracle_simulated == whole.oracle_simulated);
        CHECK(n.best_single_simulated == whole.best_single_simulated);
        CHECK(n.observed_oracle == whole.observed_oracle);
        CHECK(n.headroom == whole.headroom);
        CHECK(n.oracle_analytic == whole.oracle_analytic);
    }
    // Another seed deals differently: the slices above did not just reproduce a constant.
    CHECK(noise_headroom(s, index, p, rows, 9, 4).oracle_simulated != whole.oracle_simulated);
}
