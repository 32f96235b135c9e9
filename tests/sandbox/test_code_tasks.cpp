// The simulated code benchmarks are only as honest as their tests: every family's
// correct solution must pass its own test program, and every planted fault must fail
// it, or the exec grader would count a faulty generation as solved (or a right one as
// failed). Real interpreters, real sandboxes, many drawn tasks per family.
#include "core/base/rng.h"
#include "core/sim/code_tasks.h"
#include "sandbox/batch.h"
#include "support.h"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

using namespace headroom::sandbox;
using namespace headroom::sandbox::testing;
namespace sim = headroom::sim;

TEST_CASE("code tasks: right solutions pass and every planted fault fails, in every family", "[code_tasks]") {
    constexpr int drafts_per_family = 3;
    struct planted {
        int family;
        std::uint64_t draft;
        sim::code_fault fault;
    };
    std::vector<exec_job> jobs;
    std::vector<planted> what;
    for (int family = 0; family < sim::code_family_count(); ++family) {
        for (std::uint64_t draft = 0; draft < drafts_per_family; ++draft) {
            headroom::rng r(headroom::derive_seed(7, "code-task-test", draft * 64 + family));
            const sim::code_task task = sim::draft_code_task(r, family);
            for (int f = 0; f < sim::code_fault_count; ++f) {
                const auto fault = static_cast<sim::code_fault>(f);
                jobs.push_back({sim::write_solution(task, fault), task.tests});
                what.push_back({family, draft, fault});
            }
        }
    }
    temp_root root;
    batch_options options;
    options.config = config_in(root);
    options.limits.wall_seconds = 3.0;
    const batch_result batch = run_batch(jobs, options);
    REQUIRE(batch.results.size() == jobs.size());

    for (std::size_t i = 0; i < jobs.size(); ++i) {
        const exec_result& result = batch.results[i];
        INFO("family " << what[i].family << ", draft " << what[i].draft << ", fault "
                       << sim::to_string(what[i].fault) << ": " << to_string(result.verdict) << " ("
                       << result.reason << ")\n--- program\n"
                       << jobs[i].program_text);
        REQUIRE(result.verdict != exec_verdict::sandbox_error);
        if (what[i].fault == sim::code_fault::none)
            CHECK(result.verdict == exec_verdict::passed);
        else
            CHECK(result.verdict != exec_verdict::passed);
    }
    CHECK(root.entries() == 0);
}
