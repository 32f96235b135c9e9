// headroom_bench_extract: strict + lenient extraction over the mcq and numeric
// generations of a study, against the same rules written with Python's `re`
// (extract_reference.py), run on the same texts in the same session. Both must give
// the same strict answers (P1's rules; any difference is printed and fails the
// bench); lenient agreement is reported. Targets (issue 4): at least 20x the
// reference and 2 million generations per second on one core.
//
// Usage: headroom_bench_extract [STUDY.pack|DIR] [--generations N] [--python PATH]
//   N: how many extractions the core's timing covers (passes over the study's texts
//   until N; default one million). The reference makes one pass.
#include "core/grading/extract.h"
#include "core/io/pack.h"
#include "core/io/study_io.h"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <unistd.h>
#include <vector>

using namespace headroom;

namespace {

struct item {
    task_kind kind;
    std::string_view text;
    const std::vector<std::string>* options;
};

study load(const std::string& path) {
    if (std::filesystem::is_directory(path)) return load_study_dir(path);
    std::ifstream in(path, std::ios::binary);
    std::stringstream buffer;
    buffer << in.rdbuf();
    const std::string bytes = buffer.str();
    return unpack_study({reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()}, path);
}

std::string shell_quote(const std::string& s) {
    std::string out = "'";
    for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

} // namespace

int main(int argc, char** argv) {
    std::string path = HEADROOM_DEFAULT_STUDY, python = "/usr/bin/python3";
    std::size_t target = 1'000'000;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "--generations" && i + 1 < argc) target = std::strtoull(argv[++i], nullptr, 10);
        else if (arg == "--python" && i + 1 < argc) python = argv[++i];
        else if (!arg.empty() && arg[0] != '-') path = arg;
        else {
            std::fprintf(stderr, "usage: headroom_bench_extract [STUDY] [--generations N] [--python PATH]\n");
            return 2;
        }
    }
    const study s = load(path);
    if (s.info.texts_omitted) {
        std::fprintf(stderr, "%s was packed without texts: use a study directory or a pack with texts\n", path.c_str());
        return 2;
    }
    std::vector<item> items;
    const auto& g = s.generations;
    for (std::size_t i = 0; i < g.size(); ++i) {
        const query& q = s.queries[g.query[i]];
        const task_kind kind = s.benchmarks[q.benchmark].kind;
        if (kind == task_kind::mcq || kind == task_kind::numeric) items.push_back({kind, g.text[i], &q.options});
    }
    if (items.empty()) {
        std::fprintf(stderr, "%s has no mcq or numeric generations\n", path.c_str());
        return 2;
    }

    // The core: passes over the texts until the target count; one core, one thread.
    std::vector<extraction> strict(items.size()), lenient(items.size());
    std::size_t done = 0, bytes = 0;
    // Processor time on both sides: the machine is shared, and the target is per core.
    const std::clock_t start = std::clock();
    while (done < target) {
        for (std::size_t i = 0; i < items.size(); ++i) {
            strict[i] = extract_strict(items[i].kind, items[i].text, items[i].options->size());
            lenient[i] = extract_lenient(items[i].kind, items[i].text, *items[i].options);
            bytes += items[i].text.size();
        }
        done += items.size();
    }
    const double core_s = static_cast<double>(std::clock() - start) / CLOCKS_PER_SEC;
    const double core_rate = static_cast<double>(done) / core_s;

    // The reference, on the same texts.
    const auto dir = std::filesystem::temp_directory_path() / ("headroom-extract-bench-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    {
        std::ofstream out(dir / "input.jsonl", std::ios::binary);
        for (const item& it : items) {
            nlohmann::json row{{"kind", to_string(it.kind)}, {"text", it.text}, {"options", *it.options}};
            out << row.dump() << "\n";
        }
    }
    const std::string command = shell_quote(python) + " " + shell_quote(HEADROOM_EXTRACT_REFERENCE) + " " +
                                shell_quote((dir / "input.jsonl").string()) + " " +
                                shell_quote((dir / "output.tsv").string()) + " > " +
                                shell_quote((dir / "timing.txt").string());
    if (std::system(command.c_str()) != 0) {
        std::fprintf(stderr, "the reference failed: %s\n", command.c_str());
        return 1;
    }
    double reference_s = 0;
    {
        std::ifstream timing(dir / "timing.txt");
        std::string word;
        timing >> word >> reference_s;
    }
    const double reference_rate = static_cast<double>(items.size()) / reference_s;

    // Same answers? Strict must agree everywhere; lenient is reported.
    std::ifstream answers(dir / "output.tsv");
    std::string line;
    std::size_t strict_same = 0, lenient_same = 0, rule_same = 0, shown = 0, row = 0;
    while (std::getline(answers, line) && row < items.size()) {
        std::vector<std::string> field;
        std::size_t from = 0;
        for (std::size_t tab; (tab = line.find('\t', from)) != std::string::npos; from = tab + 1)
            field.push_back(line.substr(from, tab - from));
        field.push_back(line.substr(from));
        const std::string ours_strict = strict[row].found ? strict[row].answer : "-";
        const std::string ours_lenient = lenient[row].found ? lenient[row].answer : "-";
        if (field.size() == 3) {
            strict_same += field[0] == ours_strict;
            lenient_same += field[1] == ours_lenient;
            rule_same += field[2] == lenient[row].rule;
            if ((field[0] != ours_strict || field[1] != ours_lenient) && shown++ < 5)
                std::printf("differs on generation %zu: strict %s vs %s, lenient %s vs %s (%s)\n  text: %.200s\n", row,
                            ours_strict.c_str(), field[0].c_str(), ours_lenient.c_str(), field[1].c_str(),
                            std::string(lenient[row].rule).c_str(), std::string(items[row].text).c_str());
        }
        ++row;
    }
    std::filesystem::remove_all(dir);

    const double n = static_cast<double>(items.size());
    std::printf("extraction (strict + lenient) of %zu mcq/numeric generations from %s (%.1f MB of text per pass)\n",
                items.size(), path.c_str(), static_cast<double>(bytes) / static_cast<double>(done / items.size()) / 1e6);
    std::printf("  core:      %zu generations in %.3f s processor time = %.2f million/s on one core (target >= 2)\n", done, core_s,
                core_rate / 1e6);
    std::printf("  reference: %zu generations in %.3f s processor time = %.0f /s (Python re, %s)\n", items.size(), reference_s,
                reference_rate, python.c_str());
    std::printf("  ratio:     %.1fx (target >= 20x)\n", core_rate / reference_rate);
    std::printf("  agreement: strict %zu/%zu (%.4f%%), lenient answer %.4f%%, lenient rule %.4f%%\n", strict_same,
                items.size(), 100.0 * static_cast<double>(strict_same) / n, 100.0 * static_cast<double>(lenient_same) / n,
                100.0 * static_cast<double>(rule_same) / n);
    return strict_same == items.size() && row == items.size() ? 0 : 1;
}
