// Seeded mutation fuzzing of the files a reader hands Headroom: a pack cut from the
// shipped skeleton study and the zip, tar and tar.gz fixtures, and the importers' sources
// (an lm-eval folder, Batch input and output pairs, wide and long tables, inspect_ai logs), one file
// of a source mutated a few times, read as the CLI reads it (an import through every
// format it is detected as) and, when it loads, run through what `report`,
// `decompose`, `route`, `routers` and `judges` compute. Every case must load or throw
// input_error: any other exception, an allocation the memory limit refuses, or a case
// slower than its time limit fails the run and prints the case's seed, which replays
// it alone:  headroom_fuzz_inputs --replay SEED
#include "core/analysis/decomposition_report.h"
#include "core/analysis/judge_bias.h"
#include "core/analysis/report.h"
#include "core/base/jsonl.h"
#include "core/base/rng.h"
#include "core/features/feature_cache.h"
#include "core/io/archive/archive.h"
#include "core/io/import/import.h"
#include "core/io/pack.h"
#include "core/io/study_file.h"
#include "core/labels/labels.h"
#include "core/labels/protocol.h"
#include "core/routing/evaluate.h"

#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <string>
#include <vector>

using namespace headroom;
using bytes_t = std::vector<std::uint8_t>;

namespace {

bytes_t read_bytes(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read " + path);
    return bytes_t(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// The first `per_benchmark` queries of each benchmark with everything that refers to
// them: a study small enough to analyse thousands of times, with every table filled.
study cut(const study& s, std::size_t per_benchmark) {
    study out;
    out.info = s.info;
    out.benchmarks = s.benchmarks;
    out.models = s.models;
    std::vector<std::size_t> taken(s.benchmarks.size(), 0);
    std::vector<std::int64_t> query_to(s.queries.size(), -1), generation_to(s.generations.size(), -1);
    for (std::size_t q = 0; q < s.queries.size(); ++q)
        if (taken[s.queries[q].benchmark]++ < per_benchmark) {
            query_to[q] = static_cast<std::int64_t>(out.queries.size());
            out.queries.push_back(s.queries[q]);
        }
    const auto& g = s.generations;
    auto& og = out.generations;
    for (std::size_t i = 0; i < g.size(); ++i) {
        if (query_to[g.query[i]] < 0) continue;
        generation_to[i] = static_cast<std::int64_t>(og.size());
        og.id.push_back(g.id[i]);
        og.query.push_back(static_cast<std::uint32_t>(query_to[g.query[i]]));
        og.model.push_back(g.model[i]);
        og.budget.push_back(g.budget[i]);
        og.sample.push_back(g.sample[i]);
        og.finish.push_back(g.finish[i]);
        og.input_tokens.push_back(g.input_tokens[i]);
        og.output_tokens.push_back(g.output_tokens[i]);
        og.latency_ms.push_back(g.latency_ms[i]);
        og.text.push_back(g.text[i]);
    }
    const auto& j = s.judgments;
    out.judgments.judges = j.judges;
    for (std::size_t i = 0; i < j.size(); ++i) {
        if (generation_to[j.generation[i]] < 0) continue;
        out.judgments.generation.push_back(static_cast<std::uint32_t>(generation_to[j.generation[i]]));
        out.judgments.judge.push_back(j.judge[i]);
        out.judgments.scale.push_back(j.scale[i]);
        out.judgments.reply.push_back(j.reply[i]);
    }
    const auto& t = s.grades;
    out.grades.graders = t.graders;
    out.grades.rules = t.rules;
    for (std::size_t i = 0; i < t.size(); ++i) {
        if (generation_to[t.generation[i]] < 0) continue;
        out.grades.generation.push_back(static_cast<std::uint32_t>(generation_to[t.generation[i]]));
        out.grades.grader.push_back(t.grader[i]);
        out.grades.status.push_back(t.status[i]);
        out.grades.score.push_back(t.score[i]);
        out.grades.rule.push_back(t.rule[i]);
        out.grades.answer.push_back(t.answer[i]);
        out.grades.detail.push_back(t.detail[i]);
    }
    if (!s.embeddings.empty()) {
        out.embeddings.embedder = s.embeddings.embedder;
        out.embeddings.dimensions = s.embeddings.dimensions;
        for (std::size_t q = 0; q < s.queries.size(); ++q)
            if (query_to[q] >= 0) {
                const auto v = s.embeddings.of(q);
                out.embeddings.values.insert(out.embeddings.values.end(), v.begin(), v.end());
            }
    }
    return out;
}

// Values that sit on the edges of the readers' checks: counts, lengths, indexes.
constexpr std::uint32_t edges[] = {0, 1, 2, 7, 8, 255, 256, 0x7fff, 0xffff, 0x10000, 0x7fffffff, 0xfffffffe, 0xffffffff};

void mutate(bytes_t& b, rng& r) {
    const int kind = static_cast<int>(r.below(7));
    if (b.empty()) {
        b.push_back(static_cast<std::uint8_t>(r.below(256)));
        return;
    }
    const std::size_t at = static_cast<std::size_t>(r.below(b.size()));
    switch (kind) {
    case 0: b[at] ^= static_cast<std::uint8_t>(1u << r.below(8)); break;  // a bit flip
    case 1: b[at] = static_cast<std::uint8_t>(r.below(256)); break;
    case 2: {  // a 32-bit edge value, little-endian
        const std::uint32_t v = edges[r.below(std::size(edges))];
        for (std::size_t i = 0; i < 4 && at + i < b.size(); ++i) b[at + i] = static_cast<std::uint8_t>(v >> (8 * i));
        break;
    }
    case 3: b.resize(at); break;  // truncation
    case 4: {  // a run deleted
        const std::size_t n = std::min<std::size_t>(b.size() - at, 1 + r.below(64));
        b.erase(b.begin() + static_cast<std::ptrdiff_t>(at), b.begin() + static_cast<std::ptrdiff_t>(at + n));
        break;
    }
    case 5: {  // a run repeated in place
        const std::size_t n = std::min<std::size_t>(b.size() - at, 1 + r.below(64));
        const bytes_t run(b.begin() + static_cast<std::ptrdiff_t>(at), b.begin() + static_cast<std::ptrdiff_t>(at + n));
        b.insert(b.begin() + static_cast<std::ptrdiff_t>(at), run.begin(), run.end());
        break;
    }
    default: {  // random bytes inserted
        const std::size_t n = 1 + r.below(16);
        for (std::size_t i = 0; i < n; ++i)
            b.insert(b.begin() + static_cast<std::ptrdiff_t>(at), static_cast<std::uint8_t>(r.below(256)));
        break;
    }
    }
}

// What the five commands compute, with small resample counts. Each may refuse a study
// it cannot measure (no judge grades, no uncut generation, ...) with invalid_argument,
// which the CLI prints as an error; any other exception is a failure.
void analyse_all(const study& s) {
    const study_index index(s);
    auto step = [](auto&& run) {
        try {
            run();
        } catch (const std::invalid_argument&) {
        }
    };
    step([&] { (void)make_report(s, index, default_protocols(s)); });
    step([&] {
        decomposition_options d;
        d.resamples = 10;
        (void)analyse(s, index, naive_protocol(s), corrected_protocol(s), d);
    });
    step([&] {
        judge_bias_options j;
        j.resamples = 10;
        (void)measure_judge_bias(s, j);
    });
    const evaluation_options e;
    feature_cache features(s);
    step([&] {
        (void)evaluate_route(s, index, router_kind::logistic, corrected_protocol(s), corrected_protocol(s), e, features);
    });
    step([&] { (void)evaluate_routers(s, index, naive_protocol(s), corrected_protocol(s), e, features); });
}

struct outcome {
    bool loaded = false;
    std::string failure;  // empty: the case passed
};

// One importer source: its files, by the path the format reads (names decide formats).
using source_files = std::vector<std::pair<std::string, bytes_t>>;

std::vector<std::pair<std::string, source_files>> import_sources_to_fuzz(const std::string& fixtures) {
    namespace fs = std::filesystem;
    std::vector<std::pair<std::string, source_files>> out;
    auto files_under = [](const fs::path& dir, const std::string& must_contain) {
        std::vector<fs::path> paths;
        for (const auto& e : fs::recursive_directory_iterator(dir))
            if (e.is_regular_file() && e.path().string().find(must_contain) != std::string::npos) paths.push_back(e.path());
        std::sort(paths.begin(), paths.end());
        source_files files;
        for (const auto& p : paths) files.emplace_back(fs::relative(p, dir).string(), read_bytes(p.string()));
        return files;
    };
    const fs::path import = fs::path(fixtures) / "import";
    out.emplace_back("lm-eval folder", files_under(import / "lm-eval", "meta-llama"));
    out.emplace_back("openai batch", files_under(import / "batch", "openai"));
    out.emplace_back("anthropic batch", files_under(import / "batch", "anthropic"));
    const std::string csv = "sample_id,prompt,eval_name,a,b,a|model_response,a|total_cost\n"
                            "q1,\"One, two?\",arc,1,0,\"A\"\"x\",0.5\nq2,Two?,arc,,1,,\n";
    out.emplace_back("wide csv", source_files{{"table_train.csv", bytes_t(csv.begin(), csv.end())}});
    const std::string long_csv = "query_id,task,model,score,cost,response\n1,a,m,1,0.5,\"x, y\"\n1,a,n,,,\n2,b,m,0,,z\n";
    const std::string long_jsonl = "{\"query_id\": 1, \"task\": \"a\", \"model\": \"k\", \"score\": true, \"sample\": 0}\n";
    out.emplace_back("long tables", source_files{{"a.csv", bytes_t(long_csv.begin(), long_csv.end())},
                                                 {"b.jsonl", bytes_t(long_jsonl.begin(), long_jsonl.end())}});
    // The real inspect_ai logs, where ../shared is present (CI has it).
    const fs::path inspect = fs::path(HEADROOM_FUZZ_SOURCE_ROOT) / ".." / "shared" / "fixtures" / "inspect-logs";
    if (fs::exists(inspect))
        for (const char* name : {"log_formats.json", "mmlu-summary-choices.eval"})
            out.emplace_back(std::string("inspect ") + name, source_files{{name, read_bytes((inspect / name).string())}});
    return out;
}

outcome run_import_case(const source_files& source, bool analyse) {
    outcome o;
    try {
        std::vector<import::source_file> files;
        for (const auto& [path, bytes] : source)
            files.push_back({path, std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size())});
        const study s = import::import_sources(files, {}).study;
        o.loaded = true;
        if (analyse) analyse_all(s);
    } catch (const input_error&) {
    } catch (const std::exception& e) {
        o.failure = std::string(o.loaded ? "analysis of an imported study threw: " : "import threw a non-input_error: ") + e.what();
    }
    return o;
}

outcome run_case(const bytes_t& input, bool analyse) {
    outcome o;
    try {
        const study s = read_study_file(input, "fuzz-case");
        o.loaded = true;
        if (analyse) analyse_all(s);
    } catch (const input_error& e) {
        // read_study_file turns bad_alloc into this message: under the limit, it means
        // a size was trusted that the file could not honestly hold.
        if (std::string(e.what()).find("in the memory available") != std::string::npos) o.failure = e.what();
    } catch (const std::exception& e) {
        o.failure = std::string(o.loaded ? "analysis of a loaded study threw: " : "threw a non-input_error: ") + e.what();
    }
    return o;
}

} // namespace

int main(int argc, char** argv) {
    std::uint64_t seed = 1, cases = 3000, replay = 0;
    bool replaying = false;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string flag = argv[i];
        const std::uint64_t v = std::strtoull(argv[i + 1], nullptr, 10);
        if (flag == "--seed") seed = v;
        else if (flag == "--cases") cases = v;
        else if (flag == "--replay") replay = v, replaying = true;
    }
    // A bound on what any case may map: a study this small needs a few tens of MB.
    const rlimit limit{std::size_t{1} << 30, std::size_t{1} << 30};
    if (setrlimit(RLIMIT_AS, &limit) != 0) std::perror("setrlimit");

    const std::string archives = std::string(HEADROOM_FUZZ_FIXTURES) + "/archives/";
    std::vector<std::pair<std::string, bytes_t>> bases;
    bases.emplace_back("skeleton cut .pack", pack_study(cut(unpack_study(read_bytes(HEADROOM_FUZZ_PACK), "skeleton"), 4)));
    for (const char* name : {"tiny.zip", "tiny-stored.zip", "tiny.tar.gz"}) bases.emplace_back(name, read_bytes(archives + name));
    bases.emplace_back("tiny.tar", archive::gunzip(read_bytes(archives + "tiny.tar.gz")));
    for (const auto& [name, b] : bases) {
        const outcome o = run_case(b, true);
        if (!o.loaded || !o.failure.empty()) {
            std::fprintf(stderr, "the unmutated %s does not load and analyse: %s\n", name.c_str(), o.failure.c_str());
            return 1;
        }
    }

    const auto imports = import_sources_to_fuzz(HEADROOM_FUZZ_FIXTURES);
    for (const auto& [name, source] : imports) {
        const outcome o = run_import_case(source, true);
        if (!o.loaded || !o.failure.empty()) {
            std::fprintf(stderr, "the unmutated %s does not import and analyse: %s\n", name.c_str(), o.failure.c_str());
            return 1;
        }
    }

    const auto started = std::chrono::steady_clock::now();
    std::size_t loaded = 0, failed = 0;
    const std::uint64_t first = replaying ? replay : seed * 1'000'000;
    const std::uint64_t count = replaying ? 1 : cases;
    for (std::uint64_t k = 0; k < count; ++k) {
        const std::uint64_t case_seed = first + k;
        rng r(case_seed);
        // Every other case imports a source with one of its files mutated.
        const bool importing = r.below(2) == 1;
        std::string name;
        bytes_t input;
        source_files source;
        if (importing) {
            const auto& picked = imports[r.below(imports.size())];
            source = picked.second;
            auto& file = source[r.below(source.size())];
            name = picked.first + " (" + file.first + ")";
            for (std::uint64_t m = 1 + r.below(4); m--;) mutate(file.second, r);
        } else {
            const auto& picked = bases[r.below(bases.size())];
            name = picked.first;
            input = picked.second;
            for (std::uint64_t m = 1 + r.below(4); m--;) mutate(input, r);
        }
        const auto t0 = std::chrono::steady_clock::now();
        const outcome o = importing ? run_import_case(source, true) : run_case(input, true);
        const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        loaded += o.loaded;
        std::string failure = o.failure;
        if (failure.empty() && seconds > 10) failure = "took " + std::to_string(seconds) + " s";
        if (!failure.empty()) {
            ++failed;
            std::fprintf(stderr, "FAILED case seed %llu (%s mutated): %s\n  replay: headroom_fuzz_inputs --replay %llu\n",
                         static_cast<unsigned long long>(case_seed), name.c_str(), failure.c_str(),
                         static_cast<unsigned long long>(case_seed));
        }
    }
    const double total = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    std::printf("%llu cases (seeds %llu..%llu): %zu loaded, the rest refused as input_error; %zu failed; %.1f s\n",
                static_cast<unsigned long long>(count), static_cast<unsigned long long>(first),
                static_cast<unsigned long long>(first + count - 1), loaded, failed, total);
    return failed ? 1 : 0;
}
