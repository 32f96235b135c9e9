// A study in one file, whatever holds it: a pack (pack.h), or the study directory's
// tables in a zip, a tar or a gzipped tar (.tar.gz, .tgz), or a gzipped pack. This is
// what the browser reads from a dropped file and the CLI from a path that is not a
// directory. The archive may hold the tables at its top level or in one folder (as
// `zip -r study.zip study/` writes them); errors inside name the table as
// "ARCHIVE/FOLDER/TABLE:LINE: field: ...".
#pragma once
#include "core/base/jsonl.h"
#include "core/study/study.h"

#include <cstdint>
#include <span>
#include <string>

namespace headroom {

// `name` is the file's name or address, for errors. Throws input_error.
study read_study_file(std::span<const std::uint8_t> bytes, const std::string& name, const json_limits& limits = {});

} // namespace headroom
