// The page's side of the trainer worker (web/trainer_worker.js running trainer.cpp's
// module): router runs are trained there, off the thread that draws, and their
// confidences come back to FinishRouterRun, which scores them. Without Web Workers, or
// once the worker failed, train_elsewhere declines and the app trains in place.
#pragma once
#include "app/ui/app_state.h"

#include <cstdint>
#include <span>

// Hands state.train_elsewhere the worker.
void ConnectTrainer(AppState& state);
// Before another study loads: ends the worker of the one before (it would keep a core
// busy with runs nobody will see), whether or not the next load succeeds.
void EndTrainer();
// After a study loaded: keeps a copy of its bytes for the worker (which starts with the
// first router run) and ends the worker of the study before, whose answers would no
// longer fit.
void ShareStudyWithTrainer(const AppState& state, std::span<const std::uint8_t> bytes);

// Called by the page with one run's answer: `count` doubles at `values` (allocated
// with _malloc, freed here), `shape` "rows,models,rows,models,..." per split, the
// worker's time in ms, and an error in words ("" when none). `load` is the study load
// the run was asked for; an answer for an earlier one is dropped.
extern "C" void headroom_router_trained(double load, const char* key, double* values, int count, const char* shape,
                                        double ms, const char* error);
// Called by the page when the worker could not start or died: the runs it held go
// back to the app's queue and train in place, as every later one does.
extern "C" void headroom_trainer_failed(double load);
