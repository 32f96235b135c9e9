#include "grade.h"

#include "extract.h"

namespace headroom {

namespace {

// Copies the grades of the other graders (exec, judges) into a fresh table.
grade_table without_extraction_grades(const grade_table& old) {
    grade_table kept;
    for (std::size_t i = 0; i < old.size(); ++i) {
        const std::string& name = old.graders[old.grader[i]];
        if (name == "strict" || name == "lenient") continue;
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

void add(grade_table& t, std::uint32_t generation, std::uint16_t grader, const extraction& e, const query& q,
         task_kind kind) {
    const bool correct = e.found && answer_matches(kind, e.answer, q.gold);
    t.generation.push_back(generation);
    t.grader.push_back(grader);
    t.status.push_back(e.found ? grade_status::ok : grade_status::invalid);
    t.score.push_back(correct ? 1.0f : 0.0f);
    t.rule.push_back(t.rule_index(e.rule));
    t.answer.push_back(e.answer);
    t.detail.push_back({});
}

} // namespace

void grade_extractions(study& s) {
    grade_table t = without_extraction_grades(s.grades);
    const std::uint16_t strict = t.grader_index("strict");
    const std::uint16_t lenient = t.grader_index("lenient");
    const auto& g = s.generations;
    for (std::uint32_t i = 0; i < g.size(); ++i) {
        const query& q = s.queries[g.query[i]];
        const task_kind kind = s.benchmarks[q.benchmark].kind;
        if (kind != task_kind::mcq && kind != task_kind::numeric) continue;
        add(t, i, strict, extract_strict(kind, g.text[i], q.options.size()), q, kind);
        add(t, i, lenient, extract_lenient(kind, g.text[i], q.options), q, kind);
    }
    s.grades = std::move(t);
}

} // namespace headroom
