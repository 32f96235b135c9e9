#include "core/labels/protocol.h"

#include "core/study/judge_grades.h"

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
    p.source = resolved_source(s, false);
    return p;
}

protocol corrected_protocol(const study& s) {
    protocol p = naive_protocol(s);
    const auto budgets = s.budgets();
    p.budget = budgets.empty() ? 0 : budgets.back();
    p.extractor = extractor::lenient;
    // With one judge, that judge alone (dual needs two; with none, judges play no part).
    p.judges = graded_judges(s).size() == 1 ? judge_mode::single : judge_mode::dual;
    p.grounding = true;
    p.source = resolved_source(s, true);
    return p;
}

namespace {

constexpr std::string_view strict_suffix = "/strict-match", flexible_suffix = "/flexible-extract";

bool ends_with(std::string_view s, std::string_view suffix) {
    return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// Whether the study has Headroom's own grades (extraction, exec or judge graders).
bool has_own_grades(const study& s) {
    return std::any_of(s.grades.graders.begin(), s.grades.graders.end(),
                       [](const std::string& g) { return !is_source_grader(g); });
}

} // namespace

std::string resolved_source(const study& s, bool corrected) {
    for (const std::string& g : s.grades.graders) {
        if (!is_source_grader(g) || !ends_with(g, strict_suffix)) continue;
        const std::string flexible = g.substr(0, g.size() - strict_suffix.size()) + std::string(flexible_suffix);
        if (s.grades.find_grader(flexible)) return corrected ? flexible : g;
    }
    if (has_own_grades(s)) return "";
    for (const std::string& g : s.grades.graders)
        if (is_source_grader(g)) return g;
    return "";
}

std::string protocol_note(const study& s, bool corrected) {
    const auto budgets = s.budgets();
    const std::size_t judges = graded_judges(s).size();
    const int samples = s.samples_per_pair();
    std::string what;
    auto add = [&](const std::string& part) { what += (what.empty() ? "" : ", ") + part; };
    const std::string source = resolved_source(s, corrected);
    const std::string other = resolved_source(s, !corrected);
    if (!source.empty()) {
        if (budgets.size() > 1) add(corrected ? "the longest budget" : "the shortest budget");
        add("the log's own grades " + source);
        if (other != source)
            add(std::string("so the format part is the gap to ") + other + " per model");
    } else if (corrected) {
        if (budgets.size() > 1) add("the longest budget");
        add("lenient extraction");
        if (judges >= 2) add("dual judges with exact-match grounding");
        else if (judges == 1) add("one judge with exact-match grounding");
    } else {
        if (budgets.size() > 1) add("the shortest budget");
        add("strict extraction");
        if (judges >= 1) add("one judge without grounding");
    }
    if (samples > 1) add("maj@" + std::to_string(samples));
    std::string lacks;
    auto lack = [&](const std::string& part) { lacks += (lacks.empty() ? "" : ", ") + part; };
    if (budgets.size() <= 1) lack("one budget");
    if (samples <= 1) lack("one sample");
    if (source.empty() && judges == 0) lack("no judges");
    else if (source.empty() && judges == 1) lack("one judge");
    else if (!source.empty() && !has_own_grades(s)) lack("only its logs' own grades");
    std::string out = std::string(corrected ? "corrected" : "naive") + ": " + what;
    if (!lacks.empty()) {
        const std::size_t last = lacks.rfind(", ");
        if (last != std::string::npos) lacks.replace(last, 2, " and ");
        out += "; this study has " + lacks;
    }
    return out;
}

protocol parse_protocol_named(std::string_view text, const study& s) {
    // An explicit base first ("corrected budget=192"); without one, the naive protocol.
    std::size_t start = text.find_first_not_of(" ,");
    if (start == std::string_view::npos) return naive_protocol(s);
    const std::size_t end = std::min(text.find_first_of(" ,", start), text.size());
    const std::string_view first = text.substr(start, end - start);
    if (first == "naive") return parse_protocol(text.substr(end), naive_protocol(s));
    if (first == "corrected") return parse_protocol(text.substr(end), corrected_protocol(s));
    return parse_protocol(text, naive_protocol(s));
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
           " aggregate=" + aggregation_name(p) + " ties=" + std::string(to_string(p.ties)) +
           (p.source.empty() ? "" : " grader=" + p.source);
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
        } else if (key == "grader") {
            // `own`: Headroom's graders (extractor, judges); `source:<name>`: a log's grades.
            if (value == "own") p.source.clear();
            else if (is_source_grader(value)) p.source = std::string(value);
            else throw bad();
        } else {
            throw std::invalid_argument("unknown protocol key '" + std::string(key) +
                                        "' (budget, extractor, judges, grounding, aggregate, ties, grader)");
        }
    }
    return p;
}

} // namespace headroom
