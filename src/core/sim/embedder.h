// The simulated pool's embedding model, which `headroom serve` answers /v1/embeddings
// with, so `headroom embed` can be run and tested without a real one. Like a real
// embedder it maps similar texts to nearby vectors: each word and each pair of
// neighbouring words adds +-1 to one of `dimensions` coordinates (the coordinate and
// sign drawn from the word's hash), and the sum is l2-normalised. Deterministic, and
// the same natively and in WebAssembly.
#pragma once
#include <cstddef>
#include <string_view>
#include <vector>

namespace headroom::sim {

inline constexpr std::string_view embedder_name = "sim-embed";
inline constexpr std::size_t embedder_dimensions = 64;

std::vector<float> simulated_embedding(std::string_view text, std::size_t dimensions = embedder_dimensions);

} // namespace headroom::sim
