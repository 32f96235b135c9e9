// Seeded train/test splits of queries, stratified by benchmark so each benchmark keeps
// its share on both sides.
#pragma once
#include "study.h"

#include <cstdint>
#include <vector>

namespace headroom {

struct query_split {
    std::vector<std::uint32_t> train, test;  // query rows, ascending
};

// test_fraction of each benchmark's queries (rounded) go to test.
query_split split_queries(const study& s, double test_fraction, std::uint64_t seed);

} // namespace headroom
