// The tar format (POSIX.1-1988 ustar, with the GNU and pax extensions that GNU tar
// and bsdtar write for long names): 512-byte header blocks, each followed by its
// file's data padded to a whole block; two zero blocks end the archive.
#include "core/io/archive/archive.h"

#include <algorithm>
#include <string>
#include <string_view>

namespace headroom::archive {

namespace {

constexpr std::size_t block = 512;

std::string_view field(std::span<const std::uint8_t> header, std::size_t at, std::size_t size) {
    const auto* p = reinterpret_cast<const char*>(header.data() + at);
    return {p, static_cast<std::size_t>(std::find(p, p + size, '\0') - p)};
}

// Sizes are octal text, or (GNU, for 8 GiB and more) base-256 with the top bit set.
std::uint64_t number(std::span<const std::uint8_t> header, std::size_t at, std::size_t size) {
    std::uint64_t v = 0;
    if (header[at] & 0x80) {
        for (std::size_t i = 1; i < size; ++i) {
            if (v >> 56) throw format_error("tar size field overflows");
            v = v << 8 | header[at + i];
        }
        return v;
    }
    for (std::size_t i = 0; i < size; ++i) {
        const std::uint8_t c = header[at + i];
        if (c == ' ' || c == '\0') {
            if (v == 0 && c == ' ') continue;  // leading blanks
            break;
        }
        if (c < '0' || c > '7') throw format_error("tar header has a non-octal number");
        v = v * 8 + (c - '0');
    }
    return v;
}

bool checksum_ok(std::span<const std::uint8_t> header) {
    std::uint64_t sum = 0;
    for (std::size_t i = 0; i < block; ++i) sum += (i >= 148 && i < 156) ? ' ' : header[i];
    return sum == number(header, 148, 8);
}

// A pax extended header is records "LENGTH key=value\n"; only "path" matters here.
std::string pax_path(std::span<const std::uint8_t> data) {
    const std::string_view text(reinterpret_cast<const char*>(data.data()), data.size());
    std::string path;
    for (std::size_t at = 0; at < text.size();) {
        std::size_t length = 0, i = at;
        // At most 9 digits: a record is shorter than its header's data, and no sum wraps.
        while (i < text.size() && i - at < 9 && text[i] >= '0' && text[i] <= '9')
            length = length * 10 + static_cast<std::size_t>(text[i++] - '0');
        // The record holds its length's digits, a space, "key=value" and a newline.
        if (i >= text.size() || text[i] != ' ' || length < i - at + 2 || length > text.size() - at ||
            text[at + length - 1] != '\n')
            throw format_error("malformed pax extended header");
        const std::string_view record = text.substr(i + 1, at + length - i - 2);  // without the newline
        if (record.rfind("path=", 0) == 0) path = std::string(record.substr(5));
        at += length;
    }
    return path;
}

} // namespace

bool is_tar(std::span<const std::uint8_t> bytes) {
    if (bytes.size() < block) return false;
    const std::string_view magic(reinterpret_cast<const char*>(bytes.data() + 257), 5);
    return magic == "ustar";
}

std::vector<entry> read_tar(std::span<const std::uint8_t> bytes, const entry_filter& wanted) {
    std::vector<entry> out;
    std::string long_name;  // from a GNU 'L' or pax 'x' record, for the next entry
    for (std::size_t at = 0;;) {
        if (bytes.size() - at < block) {
            if (at == bytes.size()) break;  // no end blocks: tolerated, as GNU tar does
            throw format_error("truncated tar archive (a partial header block)");
        }
        const auto header = bytes.subspan(at, block);
        if (std::all_of(header.begin(), header.end(), [](std::uint8_t b) { return b == 0; })) break;
        if (!checksum_ok(header)) throw format_error("tar header checksum does not match at byte " + std::to_string(at));
        const std::uint64_t size = number(header, 124, 12);
        at += block;
        if (size > bytes.size() - at) throw format_error("truncated tar archive (an entry's data is cut off)");
        const auto data = bytes.subspan(at, static_cast<std::size_t>(size));
        at += static_cast<std::size_t>((size + block - 1) / block * block);
        at = std::min(at, bytes.size());

        const char type = static_cast<char>(header[156]);
        if (type == 'L') {
            long_name = std::string(field(data, 0, data.size()));
            continue;
        }
        if (type == 'x') {
            long_name = pax_path(data);
            continue;
        }
        std::string path;
        if (!long_name.empty()) {
            path = std::move(long_name);
            long_name.clear();
        } else {
            // POSIX ustar keeps a name prefix at 345; GNU's "ustar  " headers keep times there.
            const bool posix = header[262] == '\0';
            const std::string_view prefix = posix ? field(header, 345, 155) : std::string_view(), name = field(header, 0, 100);
            path = prefix.empty() ? std::string(name) : std::string(prefix) + "/" + std::string(name);
        }
        if (type != '0' && type != '\0' && type != '7') continue;  // directories, links, devices, 'g' records
        while (path.rfind("./", 0) == 0) path.erase(0, 2);
        if (!wanted(path)) continue;
        out.push_back({std::move(path), std::vector<std::uint8_t>(data.begin(), data.end())});
    }
    return out;
}

} // namespace headroom::archive
