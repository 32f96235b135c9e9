#include "core/sim/embedder.h"

#include "core/base/det_math.h"
#include "core/base/rng.h"

#include <string>

namespace headroom::sim {

namespace {

// Lower-case ASCII words: what a bag of words needs, the same in every locale.
std::vector<std::string> words_of(std::string_view text) {
    std::vector<std::string> out;
    std::string word;
    for (char c : text) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
            word += c;
        } else if (!word.empty()) {
            out.push_back(std::move(word));
            word.clear();
        }
    }
    if (!word.empty()) out.push_back(std::move(word));
    return out;
}

} // namespace

std::vector<float> simulated_embedding(std::string_view text, std::size_t dimensions) {
    std::vector<double> sum(dimensions, 0.0);
    const std::vector<std::string> words = words_of(text);
    auto add = [&](std::string_view term) {
        const std::uint64_t h = derive_seed(0x5eed, term);
        sum[(h >> 1) % dimensions] += (h & 1) ? 1.0 : -1.0;
    };
    for (std::size_t i = 0; i < words.size(); ++i) {
        add(words[i]);
        if (i + 1 < words.size()) add(words[i] + ' ' + words[i + 1]);
    }
    double squares = 0;
    for (double v : sum) squares += v * v;
    const double scale = squares > 0 ? 1.0 / det_math::sqrt(squares) : 0.0;
    std::vector<float> out(dimensions);
    for (std::size_t d = 0; d < dimensions; ++d) out[d] = static_cast<float>(sum[d] * scale);
    return out;
}

} // namespace headroom::sim
