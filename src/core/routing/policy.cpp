#include "core/routing/policy.h"

#include "core/base/rng.h"
#include "core/routing/choice.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <numeric>
#include <stdexcept>

namespace headroom {

namespace {

// The first model with the highest value: Python's list.index(max(list)), as P1's code.
// Up to three models by confidence, highest first, ties to the lower index.
std::vector<std::uint16_t> top_three(const double* c, std::size_t models) {
    std::vector<std::uint16_t> order(models);
    std::iota(order.begin(), order.end(), std::uint16_t{0});
    std::stable_sort(order.begin(), order.end(), [&](std::uint16_t a, std::uint16_t b) { return c[a] > c[b]; });
    order.resize(std::min<std::size_t>(3, models));
    return order;
}

// P1's notebook maps each of the three largest values back with list.index, so a
// value shared by several models names the first of them every time it appears.
std::vector<std::uint16_t> p1_code_top_three(const double* c, std::size_t models) {
    auto top = top_three(c, models);
    for (auto& m : top) {
        std::uint16_t first = 0;
        while (c[first] != c[m]) ++first;
        m = first;
    }
    return top;
}

std::uint16_t cheapest_model(const std::vector<double>& cost) {
    std::size_t best = 0;
    for (std::size_t m = 1; m < cost.size(); ++m)
        if (cost[m] < cost[best]) best = m;
    return static_cast<std::uint16_t>(best);
}

std::string number(double x) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g", x);
    return buf;
}

} // namespace

bool is_p1_policy(policy_kind k) {
    return k == policy_kind::argmax || k == policy_kind::random || k == policy_kind::prediction ||
           k == policy_kind::sorted_pred;
}

std::string_view to_string(policy_kind k) {
    switch (k) {
    case policy_kind::argmax: return "argmax";
    case policy_kind::random: return "random";
    case policy_kind::prediction: return "prediction";
    case policy_kind::sorted_pred: return "sorted-pred";
    case policy_kind::threshold: return "threshold";
    case policy_kind::cost_aware: return "cost";
    case policy_kind::cheapest_capable: return "cheapest-capable";
    }
    return "?";
}

std::string describe(const policy& p) {
    std::string out(to_string(p.kind));
    if (is_p1_policy(p.kind)) {
        if (p.variant == policy_variant::p1_code) out += "@p1-code";
    } else {
        out += "=" + number(p.parameter);
    }
    return out;
}

policy parse_policy(std::string_view text) {
    const auto bad = [&](const std::string& why) {
        return std::invalid_argument("policy '" + std::string(text) + "': " + why +
                                     " (argmax, random, prediction, sorted-pred, each optionally @p1-code; "
                                     "threshold=T, cost=LAMBDA, cheapest-capable=TAU)");
    };
    policy p;
    std::string_view name = text, value;
    if (const auto eq = text.find('='); eq != std::string_view::npos) {
        name = text.substr(0, eq);
        value = text.substr(eq + 1);
    }
    if (name.size() > 8 && name.substr(name.size() - 8) == "@p1-code") {
        p.variant = policy_variant::p1_code;
        name = name.substr(0, name.size() - 8);
    }
    bool found = false;
    for (auto k : {policy_kind::argmax, policy_kind::random, policy_kind::prediction, policy_kind::sorted_pred,
                   policy_kind::threshold, policy_kind::cost_aware, policy_kind::cheapest_capable}) {
        if (to_string(k) == name) {
            p.kind = k;
            found = true;
        }
    }
    if (!found) throw bad("unknown policy");
    if (is_p1_policy(p.kind)) {
        if (!value.empty()) throw bad("P1's policies take no parameter");
        return p;
    }
    if (p.variant == policy_variant::p1_code) throw bad("only P1's policies have a @p1-code form");
    if (value.empty()) throw bad("a parameter is required");
    // strtod, not from_chars: Emscripten 3.1.6's libc++ has no floating-point from_chars.
    // Programs never change the C locale, so the decimal point is '.' everywhere.
    const std::string number(value);
    char* end = nullptr;
    p.parameter = std::strtod(number.c_str(), &end);
    if (end != number.c_str() + number.size() || !std::isfinite(p.parameter) ||
        number.find_first_of(" \t\n") != std::string::npos)
        throw bad("'" + number + "' is not a number");
    if (p.parameter < 0) throw bad("the parameter must not be negative");
    return p;
}

std::vector<policy> standard_policies() {
    std::vector<policy> out;
    for (auto k : {policy_kind::argmax, policy_kind::random, policy_kind::prediction, policy_kind::sorted_pred}) {
        out.push_back({k, policy_variant::described, 0});
        out.push_back({k, policy_variant::p1_code, 0});
    }
    out.push_back({policy_kind::threshold, policy_variant::described, 0.5});
    out.push_back({policy_kind::cost_aware, policy_variant::described, 0.2});
    out.push_back({policy_kind::cheapest_capable, policy_variant::described, 0.5});
    return out;
}

routing_decision apply_policy(const policy& p, const confidence_matrix& confidence, const policy_context& context) {
    const std::size_t rows = confidence.rows, models = confidence.models;
    if (confidence.value.size() != rows * models)
        throw std::invalid_argument("apply_policy: confidence matrix has the wrong size");
    if (models == 0 && rows > 0) throw std::invalid_argument("apply_policy: no models to route to");
    if (context.prior.size() != models || context.cost.size() != models || context.best_single >= std::max<std::size_t>(models, 1))
        throw std::invalid_argument("apply_policy: the policy context does not match the " + std::to_string(models) +
                                    " models of the confidences");
    const bool code = p.variant == policy_variant::p1_code && is_p1_policy(p.kind);
    if (code && p.kind == policy_kind::sorted_pred && context.p1_code_label_order.size() != models)
        throw std::invalid_argument("apply_policy: sorted-pred@p1-code needs the label order of every model");

    routing_decision d;
    d.chosen.resize(rows);
    d.scored_as_wrong.assign(rows, 0);
    rng draw(derive_seed(context.seed, "policy:random"));

    // Weakest first by training accuracy (ties: lower index), for described Sorted Pred.
    std::vector<std::uint16_t> weakest_first(models);
    std::iota(weakest_first.begin(), weakest_first.end(), std::uint16_t{0});
    std::stable_sort(weakest_first.begin(), weakest_first.end(),
                     [&](std::uint16_t a, std::uint16_t b) { return context.prior[a] < context.prior[b]; });
    // Cheapest first (ties: lower index), for cheapest-capable.
    std::vector<std::uint16_t> cheapest_first(models);
    std::iota(cheapest_first.begin(), cheapest_first.end(), std::uint16_t{0});
    std::stable_sort(cheapest_first.begin(), cheapest_first.end(),
                     [&](std::uint16_t a, std::uint16_t b) { return context.cost[a] < context.cost[b]; });
    const double dearest = models == 0 ? 0.0 : *std::max_element(context.cost.begin(), context.cost.end());
    std::vector<double> adjusted(models);

    for (std::size_t r = 0; r < rows; ++r) {
        const double* c = confidence.value.data() + r * models;
        std::uint16_t pick = first_max({c, models});
        bool gate = false;  // P1's code: counted only when the pick was predicted capable
        switch (p.kind) {
        case policy_kind::argmax:
            gate = code;
            break;
        case policy_kind::random:
            if (c[pick] <= 0.6) {
                const auto top = code ? p1_code_top_three(c, models) : top_three(c, models);
                pick = top[static_cast<std::size_t>(draw.below(top.size()))];
            }
            gate = code;
            break;
        case policy_kind::prediction:
            if (!code) {
                for (std::size_t m = 0; m < models; ++m) adjusted[m] = c[m] - context.prior[m];
                pick = first_max(adjusted);
            }
            break;
        case policy_kind::sorted_pred:
            if (!code) {
                for (std::uint16_t m : weakest_first) {
                    if (c[m] > context.prior[m]) {
                        pick = m;
                        break;
                    }
                }
            }
            break;
        case policy_kind::threshold: {
            const std::uint16_t cheap = cheapest_model(context.cost);
            pick = c[cheap] >= p.parameter ? cheap : context.best_single;
            break;
        }
        case policy_kind::cost_aware:
            for (std::size_t m = 0; m < models; ++m)
                adjusted[m] = c[m] - (dearest > 0 ? p.parameter * context.cost[m] / dearest : 0.0);
            pick = first_max(adjusted);
            break;
        case policy_kind::cheapest_capable:
            for (std::uint16_t m : cheapest_first) {
                if (c[m] >= p.parameter) {
                    pick = m;
                    break;
                }
            }
            break;
        }
        d.chosen[r] = pick;
        d.scored_as_wrong[r] = gate && c[pick] < predicted_capable;
    }
    d.scored = d.chosen;
    if (code && p.kind == policy_kind::sorted_pred)
        for (auto& m : d.scored) m = context.p1_code_label_order[m];
    return d;
}

} // namespace headroom
