// Wide CSV: one row per query, per model a score column and optional text and cost
// columns (RouterBench: `<model>`, `<model>|model_response`, `<model>|total_cost`;
// RouteLLM: `<model>`, `<model>_response`). An empty score cell is a missing outcome.
#pragma once
#include "core/io/import/import.h"

namespace headroom::import {

bool detect_wide_csv(const source_file& file);
void parse_wide_csv(const source_file& file, context& into);

} // namespace headroom::import
