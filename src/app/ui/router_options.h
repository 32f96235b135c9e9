// The evaluation options of every router run in the browser: the CLI's defaults with
// every standard policy, so switching policy needs no retraining. Shared by the app and
// its trainer worker (trainer.cpp), which must train exactly what the app scores.
#pragma once
#include "core/routing/evaluate.h"

inline headroom::evaluation_options RouterOptions(headroom::feature_kind features) {
    headroom::evaluation_options options;
    options.router.features = features;
    return options;
}
