// The zip file format (PKWARE's APPNOTE): the central directory at the end lists every
// entry with its sizes, CRC-32 and the offset of its local header; the data follows
// the local header. Sizes come from the central directory, so entries written with a
// trailing data descriptor (bit 3, as streaming zippers do) read the same.
#include "core/io/archive/archive.h"

#include <algorithm>
#include <string>

namespace headroom::archive {

namespace {

class cursor {
public:
    cursor(std::span<const std::uint8_t> bytes, std::size_t at, const char* what) : bytes_(bytes), at_(at), what_(what) {}
    std::uint32_t u16() {
        const auto b = take(2);
        return static_cast<std::uint32_t>(b[0]) | static_cast<std::uint32_t>(b[1]) << 8;
    }
    std::uint32_t u32() {
        const auto b = take(4);
        return static_cast<std::uint32_t>(b[0]) | static_cast<std::uint32_t>(b[1]) << 8 |
               static_cast<std::uint32_t>(b[2]) << 16 | static_cast<std::uint32_t>(b[3]) << 24;
    }
    std::span<const std::uint8_t> take(std::size_t n) {
        if (at_ > bytes_.size() || bytes_.size() - at_ < n) throw format_error(std::string("truncated ") + what_);
        const auto out = bytes_.subspan(at_, n);
        at_ += n;
        return out;
    }
    void skip(std::size_t n) { take(n); }
    std::size_t at() const { return at_; }

private:
    std::span<const std::uint8_t> bytes_;
    std::size_t at_;
    const char* what_;
};

constexpr std::uint32_t local_signature = 0x04034b50, central_signature = 0x02014b50, end_signature = 0x06054b50;
constexpr std::size_t end_record_size = 22;

// The end-of-central-directory record is the last 22 bytes plus a comment of up to
// 65,535 bytes: search backwards for its signature.
std::size_t find_end_record(std::span<const std::uint8_t> bytes) {
    if (bytes.size() < end_record_size) throw format_error("too short for a zip archive");
    const std::size_t last = bytes.size() - end_record_size;
    const std::size_t first = last > 65535 ? last - 65535 : 0;
    for (std::size_t at = last + 1; at-- > first;)
        if (cursor(bytes, at, "zip end record").u32() == end_signature) return at;
    throw format_error("no zip central directory (the file is truncated or not a zip archive)");
}

} // namespace

bool is_zip(std::span<const std::uint8_t> bytes) {
    return bytes.size() >= 4 && bytes[0] == 0x50 && bytes[1] == 0x4b &&
           ((bytes[2] == 0x03 && bytes[3] == 0x04) || (bytes[2] == 0x05 && bytes[3] == 0x06));
}

std::vector<entry> read_zip(std::span<const std::uint8_t> bytes, std::size_t max_output, const entry_filter& wanted) {
    cursor end(bytes, find_end_record(bytes) + 4, "zip end record");
    const std::uint32_t disk = end.u16(), directory_disk = end.u16();
    const std::uint32_t entries_here = end.u16(), entries = end.u16();
    const std::uint32_t directory_size = end.u32(), directory_offset = end.u32();
    if (disk != 0 || directory_disk != 0 || entries_here != entries) throw format_error("split (multi-disk) zip archives are not supported");
    if (entries == 0xFFFF || directory_size == 0xFFFFFFFFu || directory_offset == 0xFFFFFFFFu)
        throw format_error("zip64 archives (over 4 GiB or 65,535 entries) are not supported; use .tar.gz");

    std::vector<entry> out;
    std::size_t total = 0;
    cursor central(bytes, directory_offset, "zip central directory");
    for (std::uint32_t i = 0; i < entries; ++i) {
        if (central.u32() != central_signature) throw format_error("corrupt zip central directory");
        const std::uint32_t made_by = central.u16();
        central.skip(2);  // version needed
        const std::uint32_t flags = central.u16(), method = central.u16();
        central.skip(4);  // time, date
        const std::uint32_t crc = central.u32(), compressed = central.u32(), size = central.u32();
        const std::uint32_t name_length = central.u16(), extra_length = central.u16(), comment_length = central.u16();
        central.skip(4);  // disk, internal attributes
        const std::uint32_t attributes = central.u32();
        const std::uint32_t local_offset = central.u32();
        const auto name_bytes = central.take(name_length);
        std::string name(name_bytes.begin(), name_bytes.end());
        central.skip(extra_length + comment_length);
        if (name.empty() || name.back() == '/') continue;  // a directory
        std::string path = name;
        while (path.rfind("./", 0) == 0) path.erase(0, 2);
        // Unix zippers keep the file's mode in the top half of the external attributes.
        const bool symlink = (made_by >> 8) == 3 && ((attributes >> 16) & 0170000) == 0120000;
        if (!wanted(path)) continue;
        if (symlink) throw format_error("zip entry '" + name + "' is a symbolic link, not a file (store the file itself)");
        if (flags & 1) throw format_error("zip entry '" + name + "' is encrypted");
        if (method != 0 && method != 8)
            throw format_error("zip entry '" + name + "' uses compression method " + std::to_string(method) +
                               " (only stored, 0, and deflate, 8, are read)");
        if (size > max_output - total) throw format_error("zip entries expand past " + std::to_string(max_output) + " bytes");

        cursor local(bytes, local_offset, "zip local header");
        if (local.u32() != local_signature) throw format_error("zip entry '" + name + "': bad local header offset");
        local.skip(22);  // version .. sizes: the central directory's are authoritative
        const std::uint32_t local_name = local.u16(), local_extra = local.u16();
        local.skip(local_name + local_extra);
        const auto data = local.take(compressed);

        entry e;
        e.path = std::move(path);
        try {
            // DEFLATE expands at most 1032-fold: a directory that claims more is not trusted
            // with the memory it would reserve.
            const std::size_t hint = std::min<std::uint64_t>(size, std::uint64_t{compressed} * 1032);
            e.bytes = method == 0 ? std::vector<std::uint8_t>(data.begin(), data.end()) : inflate(data, nullptr, hint, size);
        } catch (const format_error& error) {
            throw format_error("zip entry '" + name + "': " + error.what());
        }
        if (e.bytes.size() != size) throw format_error("zip entry '" + name + "': size does not match the directory");
        if (crc32(e.bytes) != crc) throw format_error("zip entry '" + name + "': CRC-32 does not match (corrupt data)");
        total += size;
        out.push_back(std::move(e));
    }
    return out;
}

} // namespace headroom::archive
