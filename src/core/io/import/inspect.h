// inspect_ai logs: a `.json` log (header and every sample in one document) or a `.eval`
// log (a zip: header.json and samples/<id>_epoch_<n>.json). Each sample's output becomes a
// generation of the header's model (epoch n is sample n-1; the budget is the generate
// config's max_tokens), and each of its scores a `source:<scorer>` grade.
#pragma once
#include "core/io/import/import.h"

namespace headroom::import {

bool detect_inspect(const source_file& file);
void parse_inspect(const source_file& file, context& into);

} // namespace headroom::import
