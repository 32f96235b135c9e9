// POST /v1/embeddings of the simulated pool: the simulator's embedder (sim/embedder.h)
// for model "sim-embed", `input` one string or an array of them, answered in OpenAI's
// shape ({"data": [{"index", "embedding"}], "usage"}), so `headroom embed` runs end to
// end without a real embedding model.
#pragma once
#include "serve/completions.h"

#include <string_view>

namespace headroom::serve {

reply embed(std::string_view body);

} // namespace headroom::serve
