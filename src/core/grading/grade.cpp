#include "core/grading/grade.h"

#include "core/grading/extract.h"
#include "core/grading/judge.h"
#include "core/grading/test_cases.h"

#include <algorithm>
#include <stdexcept>

namespace headroom {

namespace {

bool is_extraction(std::string_view grader) { return grader == "strict" || grader == "lenient"; }
bool is_judge(std::string_view grader) { return grader.rfind("judge:", 0) == 0; }
bool is_exec(std::string_view grader) { return grader.rfind("exec:", 0) == 0; }

// Copies the grades whose grader `drop` rejects into a fresh table.
template <class Drop>
grade_table without(const grade_table& old, Drop drop) {
    grade_table kept;
    for (std::size_t i = 0; i < old.size(); ++i) {
        const std::string& name = old.graders[old.grader[i]];
        if (drop(name)) continue;
        kept.generation.push_back(old.generation[i]);
        kept.grader.push_back(kept.grader_index(name));
        kept.status.push_back(old.status[i]);
        kept.score.push_back(old.score[i]);
        kept.rule.push_back(kept.rule_index(old.rules[old.rule[i]]));
        kept.answer.push_back(old.answer[i]);
        kept.detail.push_back(old.detail[i]);
    }
    return kept;
}

void add(grade_table& t, std::uint32_t generation, std::uint16_t grader, grade_status status, float score,
         std::string_view rule, std::string_view answer, std::string_view detail) {
    t.generation.push_back(generation);
    t.grader.push_back(grader);
    t.status.push_back(status);
    t.score.push_back(score);
    t.rule.push_back(t.rule_index(rule));
    t.answer.push_back(answer);
    t.detail.push_back(detail);
}

void add_extraction(grade_table& t, std::uint32_t generation, std::uint16_t grader, const extraction& e, const query& q,
                    task_kind kind) {
    const bool correct = e.found && answer_matches(kind, e.answer, q.gold);
    add(t, generation, grader, e.found ? grade_status::ok : grade_status::invalid, correct ? 1.0f : 0.0f, e.rule,
        e.answer, {});
}

// Length of the valid UTF-8 sequence at the start of `s`, or 0.
std::size_t utf8_sequence(std::string_view s) {
    const auto b = [&](std::size_t i) { return static_cast<unsigned char>(s[i]); };
    const unsigned char lead = b(0);
    if (lead < 0x80) return 1;
    std::size_t n = lead >= 0xF0 && lead <= 0xF4 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC2 && lead < 0xE0 ? 2 : 0;
    if (n == 0 || s.size() < n) return 0;
    for (std::size_t i = 1; i < n; ++i)
        if ((b(i) & 0xC0) != 0x80) return 0;
    // Overlong forms, surrogates and code points past U+10FFFF.
    if (lead == 0xE0 && b(1) < 0xA0) return 0;
    if (lead == 0xED && b(1) >= 0xA0) return 0;
    if (lead == 0xF0 && b(1) < 0x90) return 0;
    if (lead == 0xF4 && b(1) >= 0x90) return 0;
    return n;
}

} // namespace

std::string clean_detail(std::string_view text, std::size_t cap) {
    constexpr std::string_view replacement = "\xEF\xBF\xBD";  // U+FFFD
    std::string out;
    out.reserve(std::min(text.size(), cap));
    while (!text.empty()) {
        const std::size_t n = utf8_sequence(text);
        const std::string_view piece = n ? text.substr(0, n) : replacement;
        if (out.size() + piece.size() > cap) {
            out += "...";
            break;
        }
        out.append(piece);
        text.remove_prefix(n ? n : 1);
    }
    return out;
}

void grade_extractions(study& s) {
    grade_table t = without(s.grades, is_extraction);
    const std::uint16_t strict = t.grader_index("strict");
    const std::uint16_t lenient = t.grader_index("lenient");
    const auto& g = s.generations;
    for (std::uint32_t i = 0; i < g.size(); ++i) {
        const query& q = s.queries[g.query[i]];
        const task_kind kind = s.benchmarks[q.benchmark].kind;
        if (kind != task_kind::mcq && kind != task_kind::numeric) continue;
        add_extraction(t, i, strict, extract_strict(kind, g.text[i], q.options.size()), q, kind);
        add_extraction(t, i, lenient, extract_lenient(kind, g.text[i], q.options), q, kind);
    }
    s.grades = std::move(t);
}

void grade_judgments(study& s) {
    const auto& j = s.judgments;
    // Only the judges whose replies are here are regraded; other judge grades stay.
    grade_table t = without(s.grades, [&](std::string_view grader) {
        if (!is_judge(grader)) return false;
        return std::find(j.judges.begin(), j.judges.end(), grader.substr(6)) != j.judges.end();
    });
    std::vector<std::uint16_t> grader_of(j.judges.size());
    for (std::size_t k = 0; k < j.judges.size(); ++k) grader_of[k] = t.grader_index("judge:" + j.judges[k]);
    for (std::size_t i = 0; i < j.size(); ++i) {
        const judge_verdict v = parse_judge_reply(j.reply[i], j.scale[i]);
        add(t, j.generation[i], grader_of[j.judge[i]], v.parsed ? grade_status::ok : grade_status::parse_failure,
            static_cast<float>(v.score), to_string(j.scale[i]), {}, v.problem);
    }
    s.grades = std::move(t);
}

std::vector<exec_job> plan_exec(const study& s) {
    std::vector<exec_job> jobs;
    const auto& g = s.generations;
    // The lenient rule prefers the fence that defines the function the tests call.
    std::vector<std::string> entry(s.queries.size());
    std::vector<bool> entry_known(s.queries.size(), false);
    for (std::uint32_t i = 0; i < g.size(); ++i) {
        const std::uint32_t qi = g.query[i];
        const query& q = s.queries[qi];
        if (s.benchmarks[q.benchmark].kind != task_kind::code) continue;
        if (!entry_known[qi]) entry[qi] = plan_cases(q.tests).entry, entry_known[qi] = true;
        for (bool lenient : {false, true}) {
            extraction e = extract_program(g.text[i], lenient, entry[qi]);
            if (e.found) jobs.push_back({i, lenient, std::move(e.answer), std::string(e.rule)});
        }
    }
    return jobs;
}

void add_exec_grades(study& s, const std::vector<exec_job>& jobs, const std::vector<exec_outcome>& outcomes) {
    if (jobs.size() != outcomes.size()) throw std::invalid_argument("add_exec_grades: one outcome per job");
    grade_table t = without(s.grades, is_exec);
    const std::uint16_t graders[2] = {t.grader_index("exec:strict"), t.grader_index("exec:lenient")};
    // Jobs are in generation order, strict before lenient; walk them alongside every code generation.
    std::size_t next = 0;
    const auto& g = s.generations;
    for (std::uint32_t i = 0; i < g.size(); ++i) {
        const query& q = s.queries[g.query[i]];
        if (s.benchmarks[q.benchmark].kind != task_kind::code) continue;
        for (bool lenient : {false, true}) {
            const std::uint16_t grader = graders[lenient ? 1 : 0];
            if (next < jobs.size() && jobs[next].generation == i && jobs[next].lenient == lenient) {
                const exec_outcome& o = outcomes[next];
                add(t, i, grader, o.status, o.status == grade_status::passed ? 1.0f : 0.0f,
                    o.rule.empty() ? jobs[next].rule : o.rule, {}, clean_detail(o.detail));
                ++next;
            } else {
                add(t, i, grader, grade_status::invalid, 0.0f, "none", {}, "no program found in the answer");
            }
        }
    }
    if (next != jobs.size()) throw std::invalid_argument("add_exec_grades: jobs are not in plan_exec order");
    s.grades = std::move(t);
}

} // namespace headroom
