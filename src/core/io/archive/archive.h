// Containers of files a reader may hand the browser instead of a study directory: zip
// archives (stored or deflated entries) and tar archives (plain, or gzipped as
// .tar.gz). Each is read whole from memory into its regular files; directories, links
// and other special entries are skipped. Errors are format_error (inflate.h).
#pragma once
#include "core/io/archive/inflate.h"

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace headroom::archive {

struct entry {
    std::string path;  // as stored, with any leading "./" removed; '/' separates folders
    std::vector<std::uint8_t> bytes;
};

bool is_zip(std::span<const std::uint8_t> bytes);
// Entries in central-directory order. Refuses encrypted entries, zip64 and methods
// other than stored (0) and deflate (8); checks every entry's CRC-32 and size.
std::vector<entry> read_zip(std::span<const std::uint8_t> bytes, std::size_t max_output = default_max_output);

bool is_tar(std::span<const std::uint8_t> bytes);
// POSIX ustar and GNU tar, with long names from GNU 'L' records and pax 'path'
// records. Checks every header's checksum.
std::vector<entry> read_tar(std::span<const std::uint8_t> bytes);

} // namespace headroom::archive
