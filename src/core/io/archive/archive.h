// Containers of files a reader may hand the browser instead of a study directory: zip
// archives (stored or deflated entries) and tar archives (plain, or gzipped as
// .tar.gz). Each is read whole from memory into its regular files; directories, links
// and other special entries are skipped. Errors are format_error (inflate.h).
#pragma once
#include "core/io/archive/inflate.h"

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace headroom::archive {

struct entry {
    std::string path;  // as stored, with any leading "./" removed; '/' separates folders
    std::vector<std::uint8_t> bytes;
};

// Which entries the caller needs, by path: the others are skipped without being
// inflated or copied (an archive may carry a huge file beside a small study).
using entry_filter = std::function<bool(std::string_view path)>;
inline bool every_entry(std::string_view) { return true; }

bool is_zip(std::span<const std::uint8_t> bytes);
// Entries in central-directory order. Refuses encrypted entries, zip64 and methods
// other than stored (0) and deflate (8); checks every entry's CRC-32 and size.
// Symbolic links are skipped, and refused where `wanted` asks for their path (a link
// is not the file it names). `max_output` bounds the wanted entries' total size.
std::vector<entry> read_zip(std::span<const std::uint8_t> bytes, std::size_t max_output = default_max_output,
                            const entry_filter& wanted = every_entry);

bool is_tar(std::span<const std::uint8_t> bytes);
// POSIX ustar and GNU tar, with long names from GNU 'L' records and pax 'path'
// records. Checks every header's checksum.
std::vector<entry> read_tar(std::span<const std::uint8_t> bytes, const entry_filter& wanted = every_entry);

// read_tar on a stream that arrives in pieces (a tar.gz as it inflates): an entry
// `wanted` does not ask for is passed over as it streams by, so memory holds only the
// wanted entries, never the archive. `max_kept` bounds their total size.
class tar_reader {
public:
    explicit tar_reader(entry_filter wanted, std::uint64_t max_kept = default_max_output);
    void feed(std::span<const std::uint8_t> bytes);
    // The wanted entries; throws format_error when the stream ended inside an entry.
    std::vector<entry> finish();

private:
    void start_entry();
    void end_entry();
    enum class phase { header, data, padding, done };
    entry_filter wanted_;
    std::uint64_t max_kept_, kept_ = 0;
    phase phase_ = phase::header;
    std::vector<std::uint8_t> header_;   // the header block being gathered
    std::uint64_t offset_ = 0;           // of the current header, for messages
    std::uint64_t left_ = 0;             // data or padding bytes still to come
    std::uint64_t padding_ = 0;          // after the current entry's data
    char type_ = 0;
    bool keep_ = false;                  // the current entry's data is kept
    std::vector<std::uint8_t> data_;
    std::string path_, long_name_;
    std::vector<entry> out_;
};

} // namespace headroom::archive
