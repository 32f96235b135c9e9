#include "app/web/trainer_bridge.h"

#include <emscripten/emscripten.h>

#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

namespace {

AppState* g_trainer_state = nullptr;

// clang-format off
EM_JS(void, JsEndTrainer, (), {
    const before = Module["headroomTrainer"];
    if (before && before.worker) before.worker.terminate();
    Module["headroomTrainer"] = null;
});

// The page's own download or dropped file, when it hands one over (headroomStudyBytes),
// is kept as it is: copying 37 MB out of the module's memory on every load cost p1 a
// second of time to interactive.
EM_JS(void, JsShareStudy, (const std::uint8_t* bytes, int size, const char* name, double load), {
    if (typeof Worker === "undefined") {
        Module["headroomTrainer"] = null;
        return;
    }
    const given = Module["headroomStudyBytes"];
    const kept = given && given.length === size ? given : HEAPU8.slice(bytes, bytes + size);
    Module["headroomTrainer"] = {load: load, name: UTF8ToString(name), bytes: kept, worker: null, failed: ""};
});

// Posts one run to the worker, starting it (and sending it the study) on the first.
// Returns 0 when there is no worker for this load, so the app trains in place.
EM_JS(int, JsTrainInWorker, (double load, const char* key, const char* router, const char* features,
                             const char* train, const char* test), {
    const trainer = Module["headroomTrainer"];
    if (!trainer || trainer.load !== load) return 0;
    const deliver = (answer) => {
        if (Module["headroomTrainer"] !== trainer) return;  // a study loaded since
        const values = answer.values || new Float64Array(0);
        const pointer = values.length ? _malloc(values.length * 8) : 0;
        if (values.length && !pointer) {
            answer.error = "the page's memory cannot hold the router's confidences";
        } else if (values.length) {
            HEAPF64.set(values, pointer / 8);
        }
        ccall("headroom_router_trained", null, ["number", "string", "number", "number", "string", "number", "string"],
              [load, answer.key, pointer, pointer ? values.length : 0, answer.shape.join(","), answer.ms, answer.error]);
    };
    if (!trainer.worker) {
        trainer.pending = new Set();
        trainer.worker = new Worker("trainer_worker.js");
        // trainer.js or trainer.wasm missing, or the worker died: the runs still out go
        // back to the app, which trains them and every later one in place.
        const fail = (reason) => {
            if (trainer.failed) return;
            trainer.failed = reason;
            trainer.worker.terminate();
            console.warn("Headroom: " + reason + "; routers train on the page instead");
            if (Module["headroomTrainer"] === trainer) ccall("headroom_trainer_failed", null, ["number"], [load]);
        };
        trainer.worker.onmessage = (event) => {
            if (event.data.type === "failed") return fail(event.data.error);
            trainer.pending.delete(event.data.key);
            deliver(event.data);
        };
        trainer.worker.onerror = (event) => {
            event.preventDefault();
            fail("the router trainer (a Web Worker) stopped: " + (event.message || "no reason given"));
        };
        trainer.worker.postMessage({type: "study", name: trainer.name, bytes: trainer.bytes.buffer}, [trainer.bytes.buffer]);
        trainer.bytes = null;
    }
    if (trainer.failed) return 0;
    const run = {type: "train", key: UTF8ToString(key), router: UTF8ToString(router), features: UTF8ToString(features),
                 train: UTF8ToString(train), test: UTF8ToString(test)};
    trainer.pending.add(run.key);
    trainer.worker.postMessage(run);
    return 1;
});
// clang-format on

// "r0,m0,r1,m1,..." into numbers; empty when malformed.
std::vector<std::size_t> ParseShape(std::string_view text) {
    std::vector<std::size_t> out;
    std::size_t value = 0;
    bool digits = false;
    for (char c : text) {
        if (c >= '0' && c <= '9') {
            value = value * 10 + static_cast<std::size_t>(c - '0');
            digits = true;
        } else if (c == ',' && digits) {
            out.push_back(value);
            value = 0;
            digits = false;
        } else {
            return {};
        }
    }
    if (digits) out.push_back(value);
    return out;
}

} // namespace

void ConnectTrainer(AppState& state) {
    g_trainer_state = &state;
    state.train_elsewhere = [&state](const RouterRequest& r) {
        return JsTrainInWorker(static_cast<double>(state.load), r.key.c_str(), std::string(headroom::to_string(r.router)).c_str(),
                               std::string(headroom::to_string(r.features)).c_str(), headroom::describe(r.train).c_str(),
                               headroom::describe(r.test).c_str()) != 0;
    };
}

void EndTrainer() { JsEndTrainer(); }

void ShareStudyWithTrainer(const AppState& state, std::span<const std::uint8_t> bytes) {
    if (state.session.status != LoadStatus::Ready || !state.session.study) return;
    JsShareStudy(bytes.data(), static_cast<int>(bytes.size()), state.session.study_url.c_str(), static_cast<double>(state.load));
}

extern "C" EMSCRIPTEN_KEEPALIVE void headroom_router_trained(double load, const char* key, double* values, int count,
                                                             const char* shape, double ms, const char* error) {
    std::vector<headroom::confidence_matrix> confidences;
    std::string problem = error ? error : "";
    const std::vector<std::size_t> dims = ParseShape(shape ? shape : "");
    const std::uint64_t available = count > 0 ? static_cast<std::uint64_t>(count) : 0;
    std::uint64_t at = 0;
    for (std::size_t i = 0; problem.empty() && i + 1 < dims.size(); i += 2) {
        // In 64 bits, so that no forged shape wraps on wasm32.
        const std::uint64_t cells = static_cast<std::uint64_t>(dims[i]) * dims[i + 1];
        if (cells > available - at) {
            problem = "the trainer's answer is shorter than its shape says";
            break;
        }
        headroom::confidence_matrix c;
        c.rows = dims[i];
        c.models = dims[i + 1];
        c.value.assign(values + at, values + at + cells);
        at += cells;
        confidences.push_back(std::move(c));
    }
    std::free(values);
    if (!g_trainer_state || !key || load != static_cast<double>(g_trainer_state->load)) return;
    FinishRouterRun(*g_trainer_state, key, std::move(confidences), ms, problem);
}

extern "C" EMSCRIPTEN_KEEPALIVE void headroom_trainer_failed(double load) {
    if (!g_trainer_state || load != static_cast<double>(g_trainer_state->load)) return;
    AppState& state = *g_trainer_state;
    for (auto& [key, request] : state.session.router_training) state.session.router_requests.push_back(std::move(request));
    state.session.router_training.clear();
}
