// lm-evaluation-harness `--log_samples` output: `<out>/<model>/samples_<task>_<date>.jsonl`
// beside `results_<date>.json` (which names the model). One line per filter per document:
// the document is a query of benchmark <task>, its response a generation (a `max_gen_toks`
// is the budget; a log-likelihood task's answer is its likeliest choice), and each metric
// a grade: the line's first metric `source:lm-eval/<filter>`, others
// `source:lm-eval/<metric>/<filter>`, so strict-match and flexible-extract stay apart.
#pragma once
#include "core/io/import/import.h"

namespace headroom::import {

bool detect_lm_eval(const source_file& file);
void parse_lm_eval(const source_file& file, context& into);

} // namespace headroom::import
