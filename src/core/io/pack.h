// The packed study: one binary file the browser fetches instead of the JSONL tables.
// Layout (all integers little-endian): the 8 bytes "HDRMPACK", a u32 format version,
// the small tables (study, benchmarks, queries, models) row by row, then generations,
// judgments and grades column by column (a column of small integers compresses well),
// their strings as a table of distinct strings plus an index per row; from version 5,
// the query embeddings last (embedder, dimensions, then every query's floats as u32 bits). Strings are a
// u32 byte length and the bytes. Generation ids in the canonical form are not stored. Every read is bounds-checked, so a
// truncated or foreign file is refused with a message, never read past its end.
#pragma once
#include "core/study/study.h"

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace headroom {

// The newest version written: 5 adds query embeddings after the grades, and is written
// only for a study that has them (4 otherwise); 6 carries schema version 2 (models'
// price source and date, a measured cost column after latency, unknown finishes,
// missing grades, then a byte saying whether embeddings follow) and is written only
// for a study that needs it. Reads 3 (no published splits) too.
inline constexpr std::uint32_t pack_version = 6;

struct pack_options {
    // Without texts, generation texts and judge replies are left out (a large study's
    // labels fit in a few megabytes; its texts do not). The unpacked study then has
    // texts_omitted set, and the simulator can regenerate them from the provenance.
    bool texts = true;
};

std::vector<std::uint8_t> pack_study(const study& s, const pack_options& options = {});
// Whether `bytes` begin with a pack's magic ("HDRMPACK"), whatever follows.
bool is_pack(std::span<const std::uint8_t> bytes);
// `name` appears in errors (the file name or URL).
study unpack_study(std::span<const std::uint8_t> bytes, const std::string& name);

} // namespace headroom
