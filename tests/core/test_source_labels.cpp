// Protocols that read `source:<name>` grades (outcomes graded elsewhere, as the
// importers write them): the labels are those grades, pairs without an outcome are
// missing rather than failed, and lm-eval's two extractions resolve to the naive and
// corrected protocols.
#include "core/analysis/report.h"
#include "core/labels/labels.h"
#include "core/labels/summary.h"
#include "core/study/builder.h"

#include "test_support.h"

#include <string>

using namespace headroom;

namespace {

constexpr std::size_t n_models = 3, n_queries = 20;
const std::string strict_grader = "source:lm-eval/strict-match", flexible_grader = "source:lm-eval/flexible-extract";

// Outcome of (q, m) under the strict extraction; the flexible one also solves every
// third query. Cells with (q + m) % 7 == 3 are empty in the log (`missing`), and the
// strict grade of model 2 on query 5 is absent altogether.
bool strict_solves(std::size_t q, std::size_t m) { return (q * 5 + m * 3) % 4 == 0; }
bool flexible_solves(std::size_t q, std::size_t m) { return strict_solves(q, m) || q % 3 == 0; }
bool empty_cell(std::size_t q, std::size_t m) { return (q + m) % 7 == 3; }

study imported(bool with_flexible) {
    study_builder b;
    b.allow_missing_gold(true);
    study_info info;
    info.name = "imported";
    b.info(info);
    b.add(benchmark{"gsm8k", task_kind::numeric, "GSM8K", ""});
    for (std::size_t m = 0; m < n_models; ++m) {
        model md;
        md.id = "model" + std::to_string(m);
        b.add(md);
    }
    for (std::size_t q = 0; q < n_queries; ++q) {
        query qu;
        qu.id = "q" + std::to_string(q);
        qu.text = "question " + std::to_string(q);
        b.add(qu);
    }
    for (std::uint32_t q = 0; q < n_queries; ++q) {
        for (std::uint16_t m = 0; m < n_models; ++m) {
            generation_row g;
            g.id = "q" + std::to_string(q) + ".m" + std::to_string(m);
            g.query = q;
            g.model = m;
            const std::uint32_t gen = b.add(g);
            auto grade = [&](const std::string& grader, bool solves) {
                grade_row r;
                r.generation = gen;
                r.grader = grader;
                r.status = empty_cell(q, m) ? grade_status::missing : grade_status::ok;
                r.score = !empty_cell(q, m) && solves ? 1.0f : 0.0f;
                b.add(r);
            };
            if (!(q == 5 && m == 2)) grade(strict_grader, strict_solves(q, m));
            if (with_flexible) grade(flexible_grader, flexible_solves(q, m));
        }
    }
    return b.finish();
}

} // namespace

TEST_CASE("source labels: a log's grades are the labels, empty cells are missing, not failed", "[labels][source]") {
    const study s = imported(true);
    const study_index index(s);
    const protocol naive = naive_protocol(s), corrected = corrected_protocol(s);
    CHECK(naive.source == strict_grader);
    CHECK(corrected.source == flexible_grader);

    const label_matrix strict = compute_labels(s, index, naive);
    const label_matrix flexible = compute_labels(s, index, corrected);
    std::size_t empty = 0;
    for (std::size_t q = 0; q < n_queries; ++q) {
        for (std::size_t m = 0; m < n_models; ++m) {
            const bool gone = empty_cell(q, m);
            empty += gone;
            CHECK(flexible.has(q, m) == !gone);
            CHECK(strict.has(q, m) == !(gone || (q == 5 && m == 2)));
            if (strict.has(q, m)) CHECK(strict.at(q, m) == (strict_solves(q, m) ? 1.0 : 0.0));
            if (flexible.has(q, m)) CHECK(flexible.at(q, m) == (flexible_solves(q, m) ? 1.0 : 0.0));
        }
    }
    REQUIRE(empty > 0);
    CHECK(flexible.missing == empty);
    CHECK(strict.missing == empty + 1);  // the absent strict grade too

    // The notes say which extraction each reads and that the gap is the format part.
    const std::string note = protocol_note(s, true);
    CHECK(note.find(flexible_grader) != std::string::npos);
    CHECK(note.find("format part") != std::string::npos);
    CHECK(protocol_note(s, false).find(strict_grader) != std::string::npos);
}

TEST_CASE("source labels: the grammar chooses a source grader and round-trips it", "[labels][source][protocol]") {
    const study s = imported(true);
    const protocol p = parse_protocol_named("corrected grader=" + strict_grader, s);
    CHECK(p.source == strict_grader);
    CHECK(p.grounding);  // the base's other choices stay
    CHECK(parse_protocol(describe(p), protocol{}) == p);
    CHECK(describe(p).find(" grader=" + strict_grader) != std::string::npos);
    CHECK(parse_protocol_named("grader=own", s).source.empty());
    CHECK_THROWS(parse_protocol_named("grader=lenient", s));
    CHECK_THROWS(compute_labels(s, study_index(s), parse_protocol_named("grader=source:nobody", s)));
    // Without a source grader, a protocol's description is as it always was.
    CHECK(describe(protocol{}).find("grader") == std::string::npos);
}

TEST_CASE("source labels: a study graded only by one source resolves both protocols to it", "[labels][source]") {
    const study s = imported(false);
    CHECK(naive_protocol(s).source == strict_grader);
    CHECK(corrected_protocol(s).source == strict_grader);
    CHECK(protocol_note(s, true).find("format part") == std::string::npos);
    const label_matrix l = compute_labels(s, study_index(s), corrected_protocol(s));
    CHECK(l.missing > 0);
}

TEST_CASE("source labels: the summary leaves missing outcomes out of each model's denominator", "[labels][source]") {
    const study s = imported(true);
    const label_matrix l = compute_labels(s, study_index(s), corrected_protocol(s));
    const auto rows = all_rows(l);
    const headroom_summary h = summarize(l, rows);
    // Computed here from the cells themselves.
    double oracle = 0;
    std::size_t answered = 0;
    for (std::size_t m = 0; m < n_models; ++m) {
        double solved = 0;
        std::size_t present = 0;
        for (std::size_t q = 0; q < n_queries; ++q) {
            if (empty_cell(q, m)) continue;
            ++present;
            solved += flexible_solves(q, m);
        }
        CHECK(h.model_missing[m] == n_queries - present);
        CHECK(h.model_accuracy[m] == solved / static_cast<double>(present));
    }
    for (std::size_t q = 0; q < n_queries; ++q) {
        bool any = false, solved = false;
        for (std::size_t m = 0; m < n_models; ++m) {
            if (empty_cell(q, m)) continue;
            any = true;
            solved = solved || flexible_solves(q, m);
        }
        answered += any;
        oracle += solved;
    }
    CHECK(h.queries_without_outcome == n_queries - answered);
    CHECK(h.oracle == oracle / static_cast<double>(answered));
}

TEST_CASE("source labels: report counts missing outcomes per model, in text and JSON", "[labels][source][report]") {
    const study s = imported(true);
    const study_index index(s);
    const study_report r = make_report(s, index, default_protocols(s));
    const auto json = to_json(r);
    const auto& all = json["protocols"][1]["sections"][0];
    REQUIRE(all.contains("missing_outcomes"));
    std::size_t expected = 0;
    for (std::size_t q = 0; q < n_queries; ++q) expected += empty_cell(q, 1);
    CHECK(all["missing_outcomes"]["model1"] == expected);
    CHECK(all["queries_without_outcome"] == 0);
    CHECK(to_text(r).find("missing outcomes (left out of each model's accuracy): model0 ") != std::string::npos);
    // The corrected protocol's accuracy is the share of present outcomes solved.
    const label_matrix l = compute_labels(s, index, corrected_protocol(s));
    const headroom_summary h = summarize(l, all_rows(l));
    CHECK(all["model_accuracy"]["model1"] == h.model_accuracy[1]);
}
