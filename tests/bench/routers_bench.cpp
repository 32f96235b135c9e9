// headroom_bench_routers: the time of `headroom routers` on one study (by default the
// shipped p2-artifacts pack: 34,459 queries x 6 models), stage by stage: labelling
// the naive and corrected protocols, then per router training and evaluating it with
// every policy, the lambda/tau sweep, APGR and AIQ (trained on corrected labels), and
// again trained on naive labels (the label-noise cost), and finally the JSON. The
// issue's target is the whole under 2 s natively; the reference printed beside each
// router is the best-single router's run in the same process, which trains nothing,
// so the difference is the router's own training and prediction.
//
// Usage: headroom_bench_routers [STUDY.pack|DIR] [--folds K] [--features tfidf|lsa|hashing]
#include "features/feature_cache.h"
#include "pack.h"
#include "routing/evaluate.h"
#include "served.h"
#include "study_io.h"

#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

using namespace headroom;

namespace {

// Processor time, not wall time: the machine is shared, and the target is per core.
double ms_since(std::clock_t start) { return 1000.0 * static_cast<double>(std::clock() - start) / CLOCKS_PER_SEC; }

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
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "--folds" && i + 1 < argc) options.folds = std::atoi(argv[++i]);
        else if (arg == "--features" && i + 1 < argc) options.router.features = parse_feature_kind(argv[++i]);
        else path = arg;
    }

    std::clock_t start = std::clock();
    const study s = load(path);
    const double load_ms = ms_since(start);
    std::printf("study %s: %zu queries x %zu models, loaded in %.0f ms (not counted)\n", path.c_str(),
                s.queries.size(), s.models.size(), load_ms);

    start = std::clock();
    const study_index index(s);
    const protocol naive = naive_protocol(s), corrected = corrected_protocol(s);
    const label_matrix naive_labels = compute_labels(s, index, naive);
    const label_matrix corrected_labels = compute_labels(s, index, corrected);
    const auto cost = cost_per_query(s, corrected.budget);
    const auto latency = latency_per_query(s, corrected.budget);
    const evaluation_data on_corrected = prepare_evaluation(s, corrected_labels, corrected_labels, cost, latency, options);
    const evaluation_data on_naive = prepare_evaluation(s, naive_labels, corrected_labels, cost, latency, options);
    const double labels_ms = ms_since(start);
    std::printf("%-22s %9.1f ms\n", "index + labels", labels_ms);

    feature_cache features(s);
    routers_table t;
    t.study = s.info.name;
    for (const auto& m : s.models) t.models.push_back(m.id);
    for (const auto& b : s.benchmarks) t.benchmarks.push_back(b.id);
    t.naive = naive;
    t.corrected = corrected;
    t.options = options;
    t.strong = on_corrected.strong;
    t.weak = on_corrected.weak;
    double routers_ms = 0, reference_ms = 0;
    std::vector<std::pair<router_kind, double>> times;
    for (router_kind r : all_router_kinds()) {
        start = std::clock();
        t.corrected_trained.push_back(evaluate_router(r, on_corrected, options, features, true));
        t.naive_trained.push_back(evaluate_router(r, on_naive, options, features, false));
        const double ms = ms_since(start);
        routers_ms += ms;
        if (r == router_kind::best_single) reference_ms = ms;
        times.emplace_back(r, ms);
    }
    for (const auto& [r, ms] : times)
        std::printf("%-22s %9.1f ms  %7.1fx the best-single reference\n", std::string(to_string(r)).c_str(), ms,
                    reference_ms > 0 ? ms / reference_ms : 0.0);

    start = std::clock();
    const std::size_t json_bytes = to_json(t).dump().size();
    const double json_ms = ms_since(start);
    std::printf("%-22s %9.1f ms  (%zu bytes)\n", "json", json_ms, json_bytes);

    const double total = labels_ms + routers_ms + json_ms;
    std::printf("total (labels, %zu routers x %zu policies trained twice, sweeps, json): %.1f ms = %.2fx the 2 s target\n",
                all_router_kinds().size(), options.policies.size(), total, total / 2000.0);
    const auto& argmax_best = t.corrected_trained[1].policies[0].overall;
    std::printf("check: best-single argmax accuracy %.4f, top share %.4f\n", argmax_best.accuracy, argmax_best.top_share);
    return 0;
}
