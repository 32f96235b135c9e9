// The Routers tab's trainer, off the page's thread. trainer.js is the core compiled for
// a worker (src/app/web/trainer.cpp). The page (src/app/web/trainer_bridge.cpp) sends the study
// once, then one message per router run; each answer carries the run's key, the time
// it took, and either an error in words or every split's confidences (shape: rows and
// models per split; values: all of them, row-major, split after split).
"use strict";
const inbox = [];
let started = false;
let study = null;  // true once read, else the reason it could not be
let stopped = "";  // why the module aborted after it started (out of memory in a run, say)

self.Module = {
  onRuntimeInitialized() {
    started = true;
    while (inbox.length) handle(inbox.shift());
  },
  // trainer.wasm refused or broken: Emscripten aborts, inside a promise that no
  // "error" event reports, so the page is told here (it then trains in place).
  // After the start an abort ends the run in progress, which handle() answers with it;
  // the page must not retry that run in its own memory.
  onAbort(what) {
    if (started) stopped = "the router trainer stopped: " + what;
    else failed("the router trainer could not start: " + what);
  },
};
// trainer.wasm not fetched at all: Emscripten 3.1.6 leaves that promise's rejection
// unhandled.
self.addEventListener("unhandledrejection", (event) => {
  if (started) return;
  event.preventDefault();  // reported to the page, which copes
  failed("the router trainer could not load trainer.wasm: " + event.reason);
});

function failed(reason) {
  self.postMessage({ type: "failed", error: reason });
}
importScripts("trainer.js");

self.onmessage = (event) => {
  if (started) handle(event.data);
  else inbox.push(event.data);
};

function errorText() {
  return Module.ccall("trainer_error", "string", [], []);
}

function handle(message) {
  if (message.type === "study") {
    const bytes = new Uint8Array(message.bytes);
    const pointer = Module._malloc(Math.max(bytes.length, 1));
    if (!pointer) {
      study = "the worker's memory cannot hold the study";
      return;
    }
    Module.HEAPU8.set(bytes, pointer);
    const ok = Module.ccall("trainer_load", "number", ["number", "number", "string"], [pointer, bytes.length, message.name]);
    study = ok ? true : errorText();
    return;
  }
  const start = performance.now();
  const answer = { key: message.key, error: "", shape: [], values: null, ms: 0 };
  if (stopped || study !== true) {
    answer.error = stopped || "the trainer could not read the study: " + study;
    self.postMessage(answer);
    return;
  }
  try {
    train(message, answer);
  } catch (error) {
    answer.error = stopped || "the router trainer failed: " + error;
    answer.shape = [];
    answer.values = null;
  }
  answer.ms = performance.now() - start;
  self.postMessage(answer, answer.values ? [answer.values.buffer] : []);
}

// Trains one run into `answer`: its confidences, or its error in words.
function train(message, answer) {
  const splits = Module.ccall("trainer_train", "number", ["string", "string", "string", "string"],
                              [message.router, message.features, message.train, message.test]);
  if (splits < 0) {
    answer.error = errorText();
    return;
  }
  let total = 0;
  for (let split = 0; split < splits; ++split) {
    const rows = Module.ccall("trainer_rows", "number", ["number"], [split]);
    const models = Module.ccall("trainer_models", "number", ["number"], [split]);
    answer.shape.push(rows, models);
    total += rows * models;
  }
  answer.values = new Float64Array(total);
  let at = 0;
  for (let split = 0; split < splits; ++split) {
    const count = answer.shape[2 * split] * answer.shape[2 * split + 1];
    if (!count) continue;
    const pointer = Module.ccall("trainer_values", "number", ["number"], [split]);
    answer.values.set(Module.HEAPF64.subarray(pointer / 8, pointer / 8 + count), at);
    at += count;
  }
}
