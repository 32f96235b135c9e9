// Long tables: one row per (query, model), as CSV or JSON Lines (the shape of LLMRouter,
// LLMRouterBench, RouterArena and EmbedLLM exports): a query id, a model, a score, and
// optionally the prompt, benchmark, gold, split, response text, dollar cost and sample.
// Columns are named by options, falling back to common spellings (query_id, task, cost,
// ...). An empty or null score is a missing outcome; scores become source:long grades.
#pragma once
#include "core/io/import/import.h"

namespace headroom::import {

bool detect_long(const source_file& file);
void parse_long(const source_file& file, context& into);

} // namespace headroom::import
