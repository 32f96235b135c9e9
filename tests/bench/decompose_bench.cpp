// headroom_bench_decompose: the time of each stage of `headroom decompose` on one
// study (by default the shipped p2-artifacts pack, ~200k query-model pairs): reading
// the file, unpacking, indexing, labelling the 2^3 protocols, the decomposition with
// its bootstrap, the noise null, best-served-by and the JSON. The target is
// the whole under 1 s natively; every stage is the core function the CLI calls.
//
// Usage: headroom_bench_decompose [STUDY.pack|DIR] [--resamples N] [--rounds R]
#include "core/analysis/decomposition_report.h"
#include "core/io/pack.h"
#include "core/io/study_io.h"
#include "core/labels/cost.h"
#include "core/labels/summary.h"

#include <nlohmann/json.hpp>
#include <algorithm>
#include <chrono>
#include <ctime>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

using namespace headroom;

namespace {

// Processor time, not wall time: the machine is shared, and the target is per core.
struct clock_type {
    using time_point = std::clock_t;
    static time_point now() { return std::clock(); }
};

double ms_since(clock_type::time_point start) {
    return 1000.0 * static_cast<double>(std::clock() - start) / CLOCKS_PER_SEC;
}

struct stage_times {
    double read = 0, unpack = 0, index = 0, labels = 0, bootstrap = 0, noise = 0, served = 0, json = 0;
    double total() const { return read + unpack + index + labels + bootstrap + noise + served + json; }
};

// One full run, stage by stage, as analyse() does it (analysis/decomposition_report.cpp).
stage_times run_once(const std::string& path, const decomposition_options& options, std::size_t& json_bytes) {
    stage_times t;
    auto start = clock_type::now();
    study s;
    if (std::filesystem::is_directory(path)) {
        s = load_study_dir(path);
        t.unpack = ms_since(start);
    } else {
        std::ifstream in(path, std::ios::binary);
        in.seekg(0, std::ios::end);
        std::vector<std::uint8_t> bytes(static_cast<std::size_t>(in.tellg()));
        in.seekg(0);
        in.read(reinterpret_cast<char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
        t.read = ms_since(start);
        start = clock_type::now();
        s = unpack_study(bytes, path);
        t.unpack = ms_since(start);
    }
    start = clock_type::now();
    const study_index index(s);
    t.index = ms_since(start);

    const protocol naive = naive_protocol(s), corrected = corrected_protocol(s);
    start = clock_type::now();
    const protocol_grid grid = make_grid(s, index, naive, corrected);
    t.labels = ms_since(start);

    analysis a;
    a.study = s.info.name;
    for (const auto& m : s.models) a.models.push_back(m.id);
    a.naive = naive;
    a.corrected = corrected;
    a.options = options;
    const std::vector<double> cost = cost_per_query(s, corrected.budget);
    std::vector<std::pair<std::vector<std::uint32_t>, std::string>> sections{{all_rows(grid.labels[0]), "all"}};
    for (std::uint32_t b = 0; b < s.benchmarks.size(); ++b)
        sections.emplace_back(index.queries_of_benchmark(b), s.benchmarks[b].id);
    for (const auto& [rows, name] : sections) {
        analysis_section sec;
        start = clock_type::now();
        sec.parts = decompose(grid, rows, name, options);
        t.bootstrap += ms_since(start);
        start = clock_type::now();
        sec.naive_noise = noise_headroom(s, index, naive, rows, 100, options.seed);
        sec.corrected_noise = noise_headroom(s, index, grid.corrected_used, rows, 100, options.seed);
        t.noise += ms_since(start);
        start = clock_type::now();
        sec.corrected_served = best_served_by(grid.labels[7], rows, cost, s.models);
        t.served += ms_since(start);
        a.sections.push_back(std::move(sec));
    }
    start = clock_type::now();
    json_bytes = to_json(a).dump(2).size();
    t.json = ms_since(start);
    return t;
}

} // namespace

int main(int argc, char** argv) {
    std::string path = HEADROOM_DEFAULT_STUDY;
    decomposition_options options;
    int rounds = 3;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "--resamples" && i + 1 < argc) options.resamples = std::atoi(argv[++i]);
        else if (arg == "--rounds" && i + 1 < argc) rounds = std::max(1, std::atoi(argv[++i]));
        else if (!arg.empty() && arg[0] != '-') path = arg;
        else {
            std::fprintf(stderr, "usage: headroom_bench_decompose [STUDY] [--resamples N] [--rounds R]\n");
            return 2;
        }
    }
    std::printf("decompose stages on %s, %d resamples; best of %d rounds (processor ms)\n", path.c_str(), options.resamples,
                rounds);
    stage_times best;
    best.read = best.unpack = best.index = best.labels = best.bootstrap = best.noise = best.served = best.json = 1e300;
    double best_total = 1e300;
    std::size_t json_bytes = 0;
    for (int r = 0; r < rounds; ++r) {
        const auto wall = std::chrono::steady_clock::now();
        const stage_times t = run_once(path, options, json_bytes);
        const double wall_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - wall).count();
        // Each stage's best separately: the least disturbed measurement of each.
        best.read = std::min(best.read, t.read);
        best.unpack = std::min(best.unpack, t.unpack);
        best.index = std::min(best.index, t.index);
        best.labels = std::min(best.labels, t.labels);
        best.bootstrap = std::min(best.bootstrap, t.bootstrap);
        best.noise = std::min(best.noise, t.noise);
        best.served = std::min(best.served, t.served);
        best.json = std::min(best.json, t.json);
        best_total = std::min(best_total, t.total());
        std::printf("round %d: %.0f ms processor time, %.0f ms wall\n", r + 1, t.total(), wall_ms);
    }
    std::printf("  read file      %8.1f\n  unpack         %8.1f\n  index          %8.1f\n  labels (2^3)   %8.1f\n"
                "  bootstrap      %8.1f\n  noise null     %8.1f\n  served         %8.1f\n  json           %8.1f\n"
                "  total (best round) %8.1f ms   target < 1000 ms   (json %zu bytes)\n",
                best.read, best.unpack, best.index, best.labels, best.bootstrap, best.noise, best.served, best.json,
                best_total, json_bytes);
    return 0;
}
