// protocol.h: the naive and corrected protocols of a study, describe() and
// parse_protocol() (which must read what describe() writes), and its errors.
#include "core/labels/protocol.h"

#include "core/io/study_io.h"

#include "test_support.h"

#include <stdexcept>

using namespace headroom;
using namespace headroom::test;

namespace {

study with_samples(std::vector<std::uint32_t> budgets, std::uint16_t samples) {
    study_maker m;
    const auto b = m.benchmark("quiz", task_kind::mcq);
    const auto q = m.query("q", b, "A");
    const auto model = m.model("m");
    for (auto budget : budgets)
        for (std::uint16_t s = 0; s < samples; ++s) m.generation(q, model, budget, s, "A", 1);
    return m.s;
}

} // namespace

TEST_CASE("protocol: naive and corrected protocols follow the study", "[protocol]") {
    const study many = with_samples({1024, 160, 512}, 5);
    const protocol naive = naive_protocol(many);
    CHECK(naive.budget == 160);
    CHECK(naive.extractor == extractor::strict);
    CHECK(naive.judges == judge_mode::single);
    CHECK(!naive.grounding);
    CHECK(naive.aggregate == aggregation::majority);
    CHECK(naive.k == 5);
    CHECK(naive.ties == tie_rule::first_seen);
    const protocol corrected = corrected_protocol(many);
    CHECK(corrected.budget == 1024);
    CHECK(corrected.extractor == extractor::lenient);
    CHECK(corrected.judges == judge_mode::dual);
    CHECK(corrected.grounding);
    CHECK(corrected.aggregate == aggregation::majority);
    CHECK(corrected.k == 5);

    const study one = with_samples({64}, 1);
    CHECK(naive_protocol(one).aggregate == aggregation::greedy);
    CHECK(naive_protocol(one).k == 1);
    CHECK(corrected_protocol(one).budget == 64);

    const study empty;
    CHECK(naive_protocol(empty).budget == 0);
    CHECK(naive_protocol(empty).aggregate == aggregation::greedy);
}

TEST_CASE("protocol: on a study with what real logs have, the protocols say what they resolve to", "[protocol]") {
    const study one = with_samples({64}, 1);
    CHECK(protocol_note(one, true) == "corrected: lenient extraction; this study has one budget, one sample and no judges");
    CHECK(protocol_note(one, false) == "naive: strict extraction; this study has one budget, one sample and no judges");
    const study many = with_samples({160, 1024}, 5);
    CHECK(protocol_note(many, true) == "corrected: the longest budget, lenient extraction, maj@5; this study has no judges");

    // One judge: the corrected protocol judges with it alone, as dual judging would fail.
    study judged = with_samples({64}, 1);
    judged.judgments.generation.push_back(0);
    judged.judgments.judge.push_back(judged.judgments.judge_index("a"));
    judged.judgments.scale.push_back(judge_scale::rubric);
    judged.judgments.reply.push_back("[[2]]");
    judged.grades.generation.push_back(0);
    judged.grades.grader.push_back(judged.grades.grader_index("judge:a"));
    judged.grades.status.push_back(grade_status::ok);
    judged.grades.score.push_back(2);
    judged.grades.rule.push_back(judged.grades.rule_index("rubric"));
    judged.grades.answer.push_back("");
    judged.grades.detail.push_back("");
    CHECK(graded_judges(judged).size() == 1);
    CHECK(corrected_protocol(judged).judges == judge_mode::single);
    CHECK(protocol_note(judged, true) ==
          "corrected: lenient extraction, one judge with exact-match grounding; this study has one budget, one sample and one judge");
}

TEST_CASE("protocol: one grammar with an explicit base", "[protocol]") {
    const study many = with_samples({160, 1024}, 5);
    CHECK(parse_protocol_named("corrected", many) == corrected_protocol(many));
    CHECK(parse_protocol_named("naive", many) == naive_protocol(many));
    CHECK(parse_protocol_named("corrected budget=160", many).extractor == extractor::lenient);
    CHECK(parse_protocol_named("corrected budget=160", many).budget == 160);
    CHECK(parse_protocol_named("budget=1024", many).extractor == extractor::strict);  // no base: naive
    CHECK(parse_protocol_named("naive,extractor=lenient", many).budget == 160);
    CHECK_THROWS_AS(parse_protocol_named("corrected budget=x", many), std::invalid_argument);
    CHECK_THROWS_AS(parse_protocol_named("fixed budget=160", many), std::invalid_argument);
}

TEST_CASE("protocol: describe and parse_protocol round trip", "[protocol]") {
    const study many = with_samples({160, 1024}, 5);
    CHECK(describe(naive_protocol(many)) ==
          "budget=160 extractor=strict judges=single grounding=off aggregate=maj@5 ties=first_seen");
    CHECK(describe(corrected_protocol(many)) ==
          "budget=1024 extractor=lenient judges=dual grounding=on aggregate=maj@5 ties=first_seen");
    const protocol base = naive_protocol(many);
    for (const char* text : {"budget=1024", "extractor=lenient,judges=dual", "grounding=on ties=plurality",
                             "aggregate=greedy", "aggregate=mean", "aggregate=pass@3", "aggregate=maj@0",
                             "budget=64 extractor=lenient judges=dual grounding=on aggregate=maj@7 ties=plurality"}) {
        INFO(text);
        const protocol p = parse_protocol(text, base);
        CHECK(parse_protocol(describe(p), protocol{}) == p);
    }
    CHECK(aggregation_name(parse_protocol("aggregate=pass@3", base)) == "pass@3");
    CHECK(aggregation_name(parse_protocol("aggregate=mean", base)) == "mean");
    CHECK(aggregation_name(parse_protocol("aggregate=greedy", base)) == "greedy");
    CHECK(parse_protocol("aggregate=greedy", base).k == 1);
    CHECK(parse_protocol("aggregate=mean", base).k == 0);
    // Changes apply to the base; words may be separated by spaces or commas, repeated.
    const protocol p = parse_protocol("  budget=1024,, extractor=lenient  budget=512 ", base);
    CHECK(p.budget == 512);
    CHECK(p.extractor == extractor::lenient);
    CHECK(p.aggregate == aggregation::majority);
    CHECK(p.k == 5);
    CHECK(parse_protocol("", base) == base);
}

TEST_CASE("protocol: parse_protocol names the bad word", "[protocol]") {
    const protocol base;
    CHECK_THROWS_WITH(parse_protocol("budget", base), Catch::Contains("expected key=value, got 'budget'"));
    CHECK_THROWS_WITH(parse_protocol("budgte=12", base), Catch::Contains("unknown protocol key 'budgte'"));
    CHECK_THROWS_WITH(parse_protocol("budget=", base), Catch::Contains("budget="));
    CHECK_THROWS_WITH(parse_protocol("budget=-1", base), Catch::Contains("budget=-1"));
    CHECK_THROWS_WITH(parse_protocol("budget=12x", base), Catch::Contains("budget=12x"));
    CHECK_THROWS_WITH(parse_protocol("extractor=loose", base), Catch::Contains("bad protocol setting 'extractor=loose'"));
    CHECK_THROWS_WITH(parse_protocol("judges=triple", base), Catch::Contains("judges=triple"));
    CHECK_THROWS_WITH(parse_protocol("grounding=yes", base), Catch::Contains("grounding=yes"));
    CHECK_THROWS_WITH(parse_protocol("aggregate=maj@", base), Catch::Contains("aggregate=maj@"));
    CHECK_THROWS_WITH(parse_protocol("aggregate=maj@x", base), Catch::Contains("aggregate=maj@x"));
    CHECK_THROWS_WITH(parse_protocol("aggregate=best", base), Catch::Contains("aggregate=best"));
    CHECK_THROWS_WITH(parse_protocol("ties=random", base), Catch::Contains("ties=random"));
    CHECK_THROWS_AS(parse_protocol("budget=99999999999999999999", base), std::invalid_argument);
}
