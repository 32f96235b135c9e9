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
