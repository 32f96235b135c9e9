// What `headroom route` and `headroom routers` share: the split, features and seed
// options, and protocols named on the command line.
#pragma once
#include "core/labels/protocol.h"
#include "core/routing/evaluate.h"

#include <CLI/CLI.hpp>
#include <string>

namespace headroom::cli {

// --test-fraction, --folds, --seed, --features; call apply_features() in the callback.
struct evaluation_flags {
    evaluation_options options;
    std::string features = "tfidf";
    void add_to(CLI::App* cmd);
    void apply_features();  // throws CLI::ValidationError naming --features
};

// parse_protocol_named's grammar ("naive", "corrected budget=192", or key=value changes
// to the naive protocol); throws CLI::ValidationError naming `option` and the bad word.
protocol protocol_named(const std::string& text, const study& s, const std::string& option);

} // namespace headroom::cli
