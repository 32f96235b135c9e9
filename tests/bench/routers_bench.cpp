// headroom_bench_routers: the time of `headroom routers` on one study (by default the
// shipped p2-artifacts pack: 34,459 queries x 6 models), stage by stage: labelling
// the naive and corrected protocols, then per router training and evaluating it with
// every policy, the lambda/tau sweep, APGR and AIQ (trained on corrected labels), and
// again trained on naive labels (the label-noise cost), and finally the JSON. The
// issue's target is training and evaluating every router and policy under 2 s
// natively; the reference printed beside each router is the best-single router's run
// in the same process, which trains nothing, so the difference is the router's own
// training and prediction. Stages run in turn and are timed in processor time. Then,
// natively, in wall time with the jobs side by side on every core: every router once,
// and the whole table as `headroom routers` computes it, each N times (3 unless --runs
// says), checked every time to be the same table to the byte as the one computed in turn.
//
// Usage: headroom_bench_routers [STUDY.pack|DIR] [--folds K] [--features tfidf|lsa|hashing] [--runs N]
#include "core/features/feature_cache.h"
#include "core/io/pack.h"
#include "core/io/study_io.h"
#include "core/labels/cost.h"
#include "core/routing/evaluate.h"
#ifdef HEADROOM_JOB_POOL
#include "cli/job_pool.h"
#endif

#include <nlohmann/json.hpp>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

using namespace headroom;

namespace {

// Processor time, not wall time: the machine is shared, and the target is per core.
double ms_since(std::clock_t start) { return 1000.0 * static_cast<double>(std::clock() - start) / CLOCKS_PER_SEC; }
#ifdef HEADROOM_JOB_POOL
double wall_ms_since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
}
#endif

study load(const std::string& path) {
    if (std::filesystem::is_directory(path)) return load_study_dir(path);
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        std::fprintf(stderr, "cannot open %s\n", path.c_str());
        std::exit(2);
    }
    in.seekg(0, std::ios::end);
    std::vector<std::uint8_t> bytes(static_cast<std::size_t>(in.tellg()));
    in.seekg(0);
    in.read(reinterpret_cast<char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
    return unpack_study(bytes, path);
}

} // namespace

int main(int argc, char** argv) {
    std::string path = HEADROOM_DEFAULT_STUDY;
    evaluation_options options;
    [[maybe_unused]] int runs = 3;  // the side-by-side runs, native only
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "--folds" && i + 1 < argc) options.folds = std::atoi(argv[++i]);
        else if (arg == "--features" && i + 1 < argc) options.router.features = parse_feature_kind(argv[++i]);
        else if (arg == "--runs" && i + 1 < argc) runs = std::max(1, std::atoi(argv[++i]));
        else path = arg;
    }

    std::clock_t start = std::clock();
    const study s = load(path);
    const double load_ms = ms_since(start);
    std::printf("study %s: %zu queries x %zu models, loaded in %.0f ms (not counted)\n", path.c_str(),
                s.queries.size(), s.models.size(), load_ms);

    start = std::clock();
    const study_index index(s);
    const double index_ms = ms_since(start);
    const protocol naive = naive_protocol(s), corrected = corrected_protocol(s);
    const label_matrix naive_labels = compute_labels(s, index, naive);
    const label_matrix corrected_labels = compute_labels(s, index, corrected);
    const auto cost = cost_per_query(s, corrected.budget);
    const auto latency = latency_per_query(s, corrected.budget);
    const evaluation_data on_corrected = prepare_evaluation(s, corrected_labels, corrected_labels, cost, latency, options);
    const evaluation_data on_naive = prepare_evaluation(s, naive_labels, corrected_labels, cost, latency, options);
    const double labels_ms = ms_since(start);  // the index's time included
    std::printf("%-22s %9.1f ms  (the index %.1f ms)\n", "index + labels", labels_ms, index_ms);

    feature_cache features(s);
    routers_table t;
    t.study = s.info.name;
    t.split = split_words(s, options);
    for (const auto& m : s.models) t.models.push_back(m.id);
    for (const auto& b : s.benchmarks) t.benchmarks.push_back(b.id);
    t.naive = naive;
    t.corrected = corrected;
    t.options = options;
    t.strong = on_corrected.strong;
    t.weak = on_corrected.weak;
    double corrected_ms = 0, naive_ms = 0, reference_ms = 0;
    struct router_time {
        router_kind r;
        double corrected, naive;
    };
    std::vector<router_time> times;
    for (router_kind r : all_router_kinds()) {
        start = std::clock();
        t.corrected_trained.push_back(evaluate_router(r, on_corrected, options, features, true));
        const double on_corrected_ms = ms_since(start);
        start = std::clock();
        t.naive_trained.push_back(evaluate_router(r, on_naive, options, features, false));
        const double on_naive_ms = ms_since(start);
        corrected_ms += on_corrected_ms;
        naive_ms += on_naive_ms;
        if (r == router_kind::best_single) reference_ms = on_corrected_ms + on_naive_ms;
        times.push_back({r, on_corrected_ms, on_naive_ms});
    }
    std::printf("%-22s %9s %9s %9s\n", "router (ms)", "corrected", "naive", "both");
    for (const auto& time : times)
        std::printf("%-22s %9.1f %9.1f %9.1f  %7.1fx the best-single reference\n", std::string(to_string(time.r)).c_str(),
                    time.corrected, time.naive, time.corrected + time.naive,
                    reference_ms > 0 ? (time.corrected + time.naive) / reference_ms : 0.0);

    start = std::clock();
    const std::size_t json_bytes = to_json(t).dump().size();
    const double json_ms = ms_since(start);
    std::printf("%-22s %9.1f ms  (%zu bytes)\n", "json", json_ms, json_bytes);

    const double once = labels_ms + corrected_ms + json_ms, total = once + naive_ms;
    std::printf("in turn, every router x %zu policies trained once (labels, sweeps, json): %.1f ms = %.2fx the 2 s target\n",
                options.policies.size(), once, once / 2000.0);
    std::printf("in turn, and trained again on naive labels (the label-noise cost):     %.1f ms = %.2fx the 2 s target\n",
                total, total / 2000.0);
    const auto& argmax_best = t.corrected_trained[1].policies[0].overall;
    std::printf("check: best-single argmax accuracy %.4f, top share %.4f\n", argmax_best.accuracy, argmax_best.top_share);

#ifdef HEADROOM_JOB_POOL
    // The stages that run before the jobs (index, labels) run on one thread, so their
    // processor time is their wall time, give or take the machine's other load.
    const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
    const auto routers = all_router_kinds();
    // Every router once on corrected labels, in the order `headroom routers` hands them out.
    std::vector<std::size_t> once_order;
    for (const routers_job& job : routers_jobs())
        if (job.on_corrected) once_order.push_back(router_position(job.router));
    // Each side-by-side measurement is taken `runs` times, every run from a cold feature
    // cache, and reported as its best and its median: on a shared machine one run's wall
    // time moves by a fifth from neighbours' load alone.
    auto best_and_median = [](std::vector<double> v) {  // the upper median of an even count
        std::sort(v.begin(), v.end());
        return std::pair{v.front(), v[v.size() / 2]};
    };
    const std::string in_turn_json = to_json(t).dump();
    // Every router once on corrected labels, side by side.
    std::vector<double> once_walls;
    for (int run = 0; run < runs; ++run) {
        const auto once_start = std::chrono::steady_clock::now();
        feature_cache cold(s);
        std::vector<router_evaluation> trained(routers.size());
        cli::run_on_threads(once_order.size(), [&](std::size_t job) {
            const std::size_t r = once_order[job];
            trained[r] = evaluate_router(routers[r], on_corrected, options, cold, true);
        });
        once_walls.push_back(wall_ms_since(once_start) + labels_ms);
        routers_table side_by_side = t;
        side_by_side.corrected_trained = std::move(trained);
        if (to_json(side_by_side).dump() != in_turn_json) {
            std::printf("check: trained side by side, the routers differ from their runs in turn\n");
            return 1;
        }
    }
    const auto [once_best, once_median] = best_and_median(once_walls);
    std::printf("side by side on %zu threads, every router x %zu policies trained once (index, labels, sweeps), %d runs: "
                "best %.1f ms wall = %.2fx the 2 s target, median %.1f ms = %.2fx\n",
                std::min<std::size_t>(cores, routers.size()), options.policies.size(), runs, once_best, once_best / 2000.0,
                once_median, once_median / 2000.0);
    // `headroom routers` itself, on every core.
    std::vector<double> whole_walls, whole_processor;
    std::size_t whole_bytes = 0;
    for (int run = 0; run < runs; ++run) {
        const auto wall_start = std::chrono::steady_clock::now();
        start = std::clock();
        feature_cache cold(s);
        const routers_table whole = evaluate_routers(s, index, naive, corrected, options, cold,
                                                     [](std::size_t count, const std::function<void(std::size_t)>& job) {
                                                         cli::run_on_threads(count, job);
                                                     });
        const std::string whole_json = to_json(whole).dump();
        // evaluate_routers computes the labels itself; only the index was built before.
        whole_walls.push_back(wall_ms_since(wall_start) + index_ms);
        whole_processor.push_back(ms_since(start) + index_ms);
        whole_bytes = whole_json.size();
        if (whole_json != in_turn_json) {
            std::printf("check: the whole table side by side differs from the one computed in turn\n");
            return 1;
        }
    }
    const auto [whole_best, whole_median] = best_and_median(whole_walls);
    const auto [processor_best, processor_median] = best_and_median(whole_processor);
    std::printf("side by side on %zu threads, the whole table (index, labels, both trainings, json), %d runs: best %.1f ms "
                "wall = %.2fx the 2 s target, median %.1f ms = %.2fx (processor: best %.1f ms, median %.1f ms)\n",
                std::min<std::size_t>(cores, 2 * routers.size()), runs, whole_best, whole_best / 2000.0, whole_median,
                whole_median / 2000.0, processor_best, processor_median);
    std::printf("check: every run the same table as in turn, to the byte: yes (%zu bytes)\n", whole_bytes);
#endif
    return 0;
}
