// split.h: published splits kept; the others seeded and stratified by benchmark.
#include "core/study/split.h"

#include "test_support.h"

#include <algorithm>
#include <cmath>
#include <set>
#include <vector>

using namespace headroom;
using namespace headroom::test;

namespace {

study study_with(std::size_t mcq_queries, std::size_t numeric_queries) {
    study_maker m;
    const auto a = m.benchmark("a", task_kind::mcq);
    const auto b = m.benchmark("b", task_kind::numeric);
    // Interleaved, so a split that ignored benchmarks would show.
    for (std::size_t i = 0; i < std::max(mcq_queries, numeric_queries); ++i) {
        if (i < mcq_queries) m.query("a" + std::to_string(i), a, "A");
        if (i < numeric_queries) m.query("b" + std::to_string(i), b, "1");
    }
    return m.s;
}

} // namespace

TEST_CASE("split: a benchmark's published split is kept, whatever the fraction and seed", "[split]") {
    study s = study_with(20, 10);
    // Benchmark a publishes its split: its last 4 queries are its test set.
    std::vector<std::uint32_t> published_test;
    for (std::uint32_t q = 0, seen = 0; q < s.queries.size(); ++q)
        if (s.queries[q].benchmark == 0) {
            s.queries[q].split = seen++ >= 16 ? split_side::test : split_side::train;
            if (s.queries[q].split == split_side::test) published_test.push_back(q);
        }
    CHECK(has_published_split(s, 0));
    CHECK_FALSE(has_published_split(s, 1));
    for (std::uint64_t seed : {1, 2, 3})
        for (double fraction : {0.0, 0.3, 1.0}) {
            const auto split = split_queries(s, fraction, seed);
            std::vector<std::uint32_t> test_a, test_b;
            for (auto q : split.test) (s.queries[q].benchmark == 0 ? test_a : test_b).push_back(q);
            CHECK(test_a == published_test);
            CHECK(test_b.size() == static_cast<std::size_t>(std::llround(fraction * 10)));
            CHECK(split.train.size() + split.test.size() == 30);
        }
    CHECK(describe_split(s, 0.3, 1) == "the published test sets of a, 30% of the other benchmarks' queries (seed 1)");
    // One query without a side: the benchmark is split by the seed like the others.
    s.queries[0].split = split_side::none;
    CHECK_FALSE(has_published_split(s, 0));
    CHECK(split_queries(s, 0.3, 1).test.size() == 6 + 3);
    CHECK(describe_split(s, 0.3, 1) == "30% of each benchmark's queries (seed 1)");
}

TEST_CASE("split: stratified by benchmark, disjoint, complete, sorted and seeded", "[split]") {
    const study s = study_with(20, 10);
    const auto split = split_queries(s, 0.3, 1);
    CHECK(split.test.size() == 6 + 3);
    CHECK(split.train.size() == 14 + 7);
    CHECK(std::is_sorted(split.train.begin(), split.train.end()));
    CHECK(std::is_sorted(split.test.begin(), split.test.end()));
    std::set<std::uint32_t> all(split.train.begin(), split.train.end());
    for (auto q : split.test) CHECK(all.insert(q).second);
    CHECK(all.size() == 30);
    CHECK(*all.rbegin() == 29);
    std::size_t test_a = 0;
    for (auto q : split.test) test_a += s.queries[q].benchmark == 0;
    CHECK(test_a == 6);

    const auto again = split_queries(s, 0.3, 1);
    CHECK(again.test == split.test);
    bool some_seed_differs = false;
    for (std::uint64_t seed = 2; seed < 6; ++seed) some_seed_differs |= split_queries(s, 0.3, seed).test != split.test;
    CHECK(some_seed_differs);

    CHECK(split_queries(s, 0.0, 1).test.empty());
    CHECK(split_queries(s, 1.0, 1).train.empty());
    // Rounding per benchmark: 0.25 * 10 = 2.5 rounds away from zero to 3; 0.25 * 20 = 5.
    CHECK(split_queries(s, 0.25, 1).test.size() == 5 + 3);
}
