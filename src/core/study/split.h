// Train/test splits of queries. A benchmark that publishes its own split (every query
// says train or test, as GSM8K's does) keeps it; the others are split by a seed,
// stratified so each keeps its share on both sides.
#pragma once
#include "core/study/study.h"

#include <cstdint>
#include <string>
#include <vector>

namespace headroom {

struct query_split {
    std::vector<std::uint32_t> train, test;  // query rows, ascending
};

// Whether every query of benchmark b carries a published split.
bool has_published_split(const study& s, std::uint32_t b);

// Benchmarks with a published split keep it; of each other benchmark, test_fraction of
// its queries (rounded, chosen by the seed) go to test.
query_split split_queries(const study& s, double test_fraction, std::uint64_t seed);

// How split_queries divides this study, in words, e.g. "each benchmark's published
// test set" or "30% of each benchmark's queries (seed 1)".
std::string describe_split(const study& s, double test_fraction, std::uint64_t seed);

} // namespace headroom
