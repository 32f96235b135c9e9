// The browser's router trainer: the core alone, compiled into a second module that runs
// in a Web Worker (web/trainer_worker.js), so that training a router, seconds on the
// large studies, never holds up the page's frames. It reads the study the page hands
// it once, then trains what the page asks for with the options the page scores with
// (router_options.h) and keeps each split's confidences for the worker to copy out.
// The page scores them (FinishRouterRun), so its numbers are `headroom route`'s.
#include "app/ui/router_options.h"

#include "core/features/feature_cache.h"
#include "core/io/study_file.h"
#include "core/labels/protocol.h"

#include <emscripten/emscripten.h>

#include <cstdint>
#include <cstdlib>
#include <exception>
#include <memory>
#include <span>
#include <string>
#include <vector>

namespace {

struct LoadedStudy {
    explicit LoadedStudy(headroom::study s) : study(std::move(s)), index(study), features(study) {}
    headroom::study study;
    headroom::study_index index;
    headroom::feature_cache features;  // shared by every run, as the page's own cache is
};

std::unique_ptr<LoadedStudy> g_study;
std::vector<headroom::confidence_matrix> g_trained;  // the last run's, one per split
std::string g_error;

const headroom::confidence_matrix* Split(int split) {
    if (split < 0 || static_cast<std::size_t>(split) >= g_trained.size()) return nullptr;
    return &g_trained[static_cast<std::size_t>(split)];
}

} // namespace

// `size` bytes at `data` (allocated with _malloc, freed here), named `name` in errors.
// Returns 1, or 0 with the reason in trainer_error().
extern "C" EMSCRIPTEN_KEEPALIVE int trainer_load(std::uint8_t* data, int size, const char* name) {
    g_study.reset();
    try {
        const std::span<const std::uint8_t> bytes(data, static_cast<std::size_t>(size > 0 ? size : 0));
        g_study = std::make_unique<LoadedStudy>(headroom::read_study_file(bytes, name));
    } catch (const std::exception& e) {
        g_error = e.what();
    }
    std::free(data);
    return g_study ? 1 : 0;
}

// Trains `router` over `features` on the labels of the `train` protocol, for testing on
// the `test` protocol's split (both as describe() writes them). Returns the number of
// splits, or -1 with the reason in trainer_error().
extern "C" EMSCRIPTEN_KEEPALIVE int trainer_train(const char* router, const char* features, const char* train,
                                                  const char* test) {
    g_trained.clear();
    if (!g_study) return -1;  // trainer_load's error stands
    try {
        const headroom::study& s = g_study->study;
        const headroom::protocol base = headroom::naive_protocol(s);
        g_trained = headroom::train_route(s, g_study->index, headroom::parse_router_kind(router),
                                          headroom::parse_protocol(train, base), headroom::parse_protocol(test, base),
                                          RouterOptions(headroom::parse_feature_kind(features)), g_study->features);
    } catch (const std::exception& e) {
        g_error = e.what();
        return -1;
    }
    return static_cast<int>(g_trained.size());
}

extern "C" EMSCRIPTEN_KEEPALIVE int trainer_rows(int split) {
    const auto* c = Split(split);
    return c ? static_cast<int>(c->rows) : 0;
}

extern "C" EMSCRIPTEN_KEEPALIVE int trainer_models(int split) {
    const auto* c = Split(split);
    return c ? static_cast<int>(c->models) : 0;
}

// rows x models doubles, row-major; valid until the next trainer_train.
extern "C" EMSCRIPTEN_KEEPALIVE const double* trainer_values(int split) {
    const auto* c = Split(split);
    return c ? c->value.data() : nullptr;
}

extern "C" EMSCRIPTEN_KEEPALIVE const char* trainer_error() { return g_error.c_str(); }
