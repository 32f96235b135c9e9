// The headroom report: per-model accuracy, best single, oracle, unsolvable and
// headroom per benchmark and overall, plus the baseline routers on a seeded split,
// under each named protocol. The CLI prints it; the app draws it; both serialise it
// with to_json, which is what the native/WASM parity test compares.
#pragma once
#include "core/analysis/query_flags.h"
#include "core/labels/labels.h"
#include "core/labels/summary.h"
#include "core/routing/choice.h"

#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

namespace headroom {

struct report_section {
    std::string benchmark;  // a benchmark id, or "all"
    headroom_summary summary;
};

struct router_result {
    std::string router;
    routing_evaluation evaluation;
};

struct protocol_report {
    std::string name;  // "naive", "corrected", or the user's label
    protocol settings;
    std::vector<report_section> sections;  // "all" first, then benchmarks in study order
    std::vector<router_result> routers;
    std::vector<artifact_counts> artifacts;  // per model, at the protocol's budget
};

struct report_options {
    double test_fraction = 0.3;
    std::uint64_t split_seed = 1;
};

struct named_protocol {
    std::string name;
    protocol settings;
};

struct study_report {
    std::string study;
    std::string split;  // the routers' test split in words (describe_split)
    std::vector<std::string> models;
    // What naive and corrected resolve to on this study, and what it lacks (protocol_note).
    std::vector<std::string> protocol_notes;
    report_options options;
    std::vector<protocol_report> protocols;
};

protocol_report report_protocol(const study& s, const study_index& index, const named_protocol& p,
                                const report_options& options = {});
// A report of no protocol yet: the study, its models and the routers' split.
study_report report_header(const study& s, const report_options& options = {});
study_report make_report(const study& s, const study_index& index, const std::vector<named_protocol>& protocols,
                         const report_options& options = {});
// Naive and corrected, the report's default pair.
std::vector<named_protocol> default_protocols(const study& s);

// "missing outcomes (left out of each model's accuracy): gemma 3, llama 1; 2 queries have
// none (left out of the oracle)", or "" when every outcome is there.
std::string missing_outcomes_line(const std::vector<std::string>& models, const headroom_summary& h);

nlohmann::ordered_json to_json(const study_report& r);
std::string to_text(const study_report& r);

} // namespace headroom
