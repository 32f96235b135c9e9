#include "core/labels/protocol.h"

#include <algorithm>
#include <charconv>
#include <stdexcept>

namespace headroom {

protocol naive_protocol(const study& s) {
    protocol p;
    const auto budgets = s.budgets();
    p.budget = budgets.empty() ? 0 : budgets.front();
    const int samples = s.samples_per_pair();
    p.aggregate = samples > 1 ? aggregation::majority : aggregation::greedy;
    p.k = samples > 1 ? samples : 1;
    return p;
}

protocol corrected_protocol(const study& s) {
    protocol p = naive_protocol(s);
    const auto budgets = s.budgets();
    p.budget = budgets.empty() ? 0 : budgets.back();
    p.extractor = extractor::lenient;
    p.judges = judge_mode::dual;
    p.grounding = true;
    return p;
}

std::string_view to_string(headroom::extractor e) { return e == extractor::strict ? "strict" : "lenient"; }
std::string_view to_string(judge_mode j) { return j == judge_mode::single ? "single" : "dual"; }
std::string_view to_string(tie_rule t) { return t == tie_rule::first_seen ? "first_seen" : "plurality"; }

std::string aggregation_name(const protocol& p) {
    switch (p.aggregate) {
    case aggregation::greedy: return "greedy";
    case aggregation::majority: return "maj@" + std::to_string(p.k);
    case aggregation::pass_at_k: return "pass@" + std::to_string(p.k);
    case aggregation::mean: return "mean";
    }
    return "?";
}

std::string describe(const protocol& p) {
    return "budget=" + std::to_string(p.budget) + " extractor=" + std::string(to_string(p.extractor)) +
           " judges=" + std::string(to_string(p.judges)) + " grounding=" + (p.grounding ? "on" : "off") +
           " aggregate=" + aggregation_name(p) + " ties=" + std::string(to_string(p.ties));
}

namespace {

int parse_count(std::string_view digits, std::string_view word) {
    int value = 0;
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
    if (ec != std::errc() || end != digits.data() + digits.size() || value < 0 || value > 100000)
        throw std::invalid_argument("bad sample count in '" + std::string(word) + "'");
    return value;
}

} // namespace

protocol parse_protocol(std::string_view text, const protocol& base) {
    protocol p = base;
    std::size_t pos = 0;
    while (pos < text.size()) {
        const std::size_t end = std::min(text.find_first_of(" ,", pos), text.size());
        const std::string_view word = text.substr(pos, end - pos);
        pos = end + 1;
        if (word.empty()) continue;
        const std::size_t eq = word.find('=');
        if (eq == std::string_view::npos) throw std::invalid_argument("expected key=value, got '" + std::string(word) + "'");
        const std::string_view key = word.substr(0, eq), value = word.substr(eq + 1);
        auto bad = [&]() { return std::invalid_argument("bad protocol setting '" + std::string(word) + "'"); };
        if (key == "budget") {
            p.budget = static_cast<std::uint32_t>(parse_count(value, word));
        } else if (key == "extractor") {
            if (value == "strict") p.extractor = extractor::strict;
            else if (value == "lenient") p.extractor = extractor::lenient;
            else throw bad();
        } else if (key == "judges") {
            if (value == "single") p.judges = judge_mode::single;
            else if (value == "dual") p.judges = judge_mode::dual;
            else throw bad();
        } else if (key == "grounding") {
            if (value == "on") p.grounding = true;
            else if (value == "off") p.grounding = false;
            else throw bad();
        } else if (key == "aggregate") {
            if (value == "greedy") { p.aggregate = aggregation::greedy; p.k = 1; }
            else if (value == "mean") { p.aggregate = aggregation::mean; p.k = 0; }
            else if (value.rfind("maj@", 0) == 0) { p.aggregate = aggregation::majority; p.k = parse_count(value.substr(4), word); }
            else if (value.rfind("pass@", 0) == 0) { p.aggregate = aggregation::pass_at_k; p.k = parse_count(value.substr(5), word); }
            else throw bad();
        } else if (key == "ties") {
            if (value == "first_seen") p.ties = tie_rule::first_seen;
            else if (value == "plurality") p.ties = tie_rule::plurality;
            else throw bad();
        } else {
            throw std::invalid_argument("unknown protocol key '" + std::string(key) +
                                        "' (budget, extractor, judges, grounding, aggregate, ties)");
        }
    }
    return p;
}

} // namespace headroom
