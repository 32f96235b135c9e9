#include "cli/route_options.h"

#include <stdexcept>

namespace headroom::cli {

void evaluation_flags::add_to(CLI::App* cmd) {
    cmd->add_option("--test-fraction", options.test_fraction, "share of each benchmark's queries held out for testing "
                    "(a benchmark with a published split keeps it)")
        ->check(CLI::Range(0.0, 1.0));
    cmd->add_option("--folds", options.folds, "k-fold cross-validation instead of one split (k >= 2)")
        ->check(CLI::Range(0, 100));
    cmd->add_option("--seed", options.seed, "seed of the split or folds, the routers and the random policy");
    cmd->add_option("--features", features, "query features of the learned routers: tfidf, lsa, hashing or embeddings (the study's embeddings.jsonl)");
}

void evaluation_flags::apply_features() {
    try {
        options.router.features = parse_feature_kind(features);
    } catch (const std::invalid_argument& e) {
        throw CLI::ValidationError("--features", e.what());
    }
    if (options.folds == 1) throw CLI::ValidationError("--folds", "k-fold cross-validation needs at least 2 folds");
}

protocol protocol_named(const std::string& text, const study& s, const std::string& option) {
    try {
        return parse_protocol_named(text, s);
    } catch (const std::invalid_argument& e) {
        throw CLI::ValidationError(option, e.what());
    }
}

} // namespace headroom::cli
