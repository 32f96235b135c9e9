// Wide-CSV import speed and memory: a generated table without texts (one row per query,
// per model a 0/1 score column, some cells empty) imported through the same core code as
// `headroom import`. Prints outcome rows per second per core and the process's peak
// resident memory. Usage: headroom_bench_import [models=1000] [queries=10000]
#include "core/io/import/import.h"

#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

int main(int argc, char** argv) {
    const std::size_t models = argc > 1 ? std::strtoul(argv[1], nullptr, 10) : 1000;
    const std::size_t queries = argc > 2 ? std::strtoul(argv[2], nullptr, 10) : 10000;
    std::string table = "sample_id,eval_name";
    for (std::size_t m = 0; m < models; ++m) table += ",model-" + std::to_string(m);
    table += '\n';
    for (std::size_t q = 0; q < queries; ++q) {
        table += "q" + std::to_string(q) + ",bench";
        for (std::size_t m = 0; m < models; ++m) {
            // A fixed pattern, not a draw: about 60% correct and one cell in 97 missing.
            const std::size_t h = (q * 2654435761u + m * 40503u) % 97;
            table += h == 0 ? "," : h < 58 ? ",1" : ",0";
        }
        table += '\n';
    }
    const auto start = std::chrono::steady_clock::now();
    const auto imported = headroom::import::import_sources({{"bench.csv", table}}, {});
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    const double outcomes = static_cast<double>(imported.study.grades.size());
    std::printf("wide-csv import: %zu models x %zu queries = %.0f outcomes (%.1f MB of CSV) in %.2f s on one core: "
                "%.0f outcome rows/s; peak resident memory %.0f MB\n",
                models, queries, outcomes, static_cast<double>(table.size()) / 1e6, seconds, outcomes / seconds,
                static_cast<double>(usage.ru_maxrss) / 1024.0);
}
