#include "cli/commands.h"
#include "cli/route_options.h"
#include "cli/study_source.h"
#include "core/features/feature_cache.h"
#include "core/routing/router.h"

#include <nlohmann/json.hpp>
#include <cstdio>
#include <stdexcept>

namespace headroom::cli {

void add_route(CLI::App& app) {
    auto* cmd = app.add_subcommand("route", "Train one router, route the test queries with one policy, score it");
    static std::string path, router_name, policy_name = "argmax", test_text = "corrected", train_text;
    static bool json = false;
    static evaluation_flags flags;
    cmd->add_option("study", path, "study directory or .pack file")->required();
    cmd->add_option("--router", router_name, "one of the routers listed below")->required();
    cmd->footer(routers_help());
    cmd->add_option("--policy", policy_name,
                    "argmax, random, prediction, sorted-pred (each also @p1-code: as P1's published code scores "
                    "it), threshold=T, cost=LAMBDA, cheapest-capable=TAU");
    cmd->add_option("--protocol", test_text,
                    "the labels the test queries are scored on: naive, corrected, or changes to the corrected "
                    "protocol such as \"budget=192\"");
    cmd->add_option("--train-protocol", train_text, "the labels the router trains on (default: --protocol)");
    cmd->add_flag("--json", json, "print JSON instead of a table");
    flags.add_to(cmd);
    cmd->callback([] {
        flags.apply_features();
        router_kind router;
        try {
            router = parse_router_kind(router_name);
        } catch (const std::invalid_argument& e) {
            throw CLI::ValidationError("--router", e.what());
        }
        try {
            const policy p = parse_policy(policy_name);
            // A P1 policy is shown as described and as P1's code scores it, side by side.
            flags.options.policies = {p};
            if (is_p1_policy(p.kind))
                flags.options.policies = {{p.kind, policy_variant::described, 0}, {p.kind, policy_variant::p1_code, 0}};
        } catch (const std::invalid_argument& e) {
            throw CLI::ValidationError("--policy", e.what());
        }
        const study s = open_study(path);
        const study_index index(s);
        const protocol test = protocol_named(test_text, s, "--protocol");
        const protocol train = train_text.empty() ? test : protocol_named(train_text, s, "--train-protocol");
        feature_cache features(s);
        const route_report r = evaluate_route(s, index, router, train, test, flags.options, features);
        if (json) std::printf("%s\n", to_json(r).dump(2).c_str());
        else std::printf("%s", to_text(r).c_str());
    });
}

} // namespace headroom::cli
