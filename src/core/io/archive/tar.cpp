// The tar format (POSIX.1-1988 ustar, with the GNU and pax extensions that GNU tar
// and bsdtar write for long names): 512-byte header blocks, each followed by its
// file's data padded to a whole block; two zero blocks end the archive.
#include "core/io/archive/archive.h"

#include <algorithm>
#include <string>
#include <string_view>
#include <utility>

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
    tar_reader reader(wanted);
    reader.feed(bytes);
    return reader.finish();
}

tar_reader::tar_reader(entry_filter wanted, std::uint64_t max_kept) : wanted_(std::move(wanted)), max_kept_(max_kept) {
    header_.reserve(block);
}

void tar_reader::feed(std::span<const std::uint8_t> bytes) {
    while (!bytes.empty() && phase_ != phase::done) {
        if (phase_ == phase::header) {
            const std::size_t take = std::min(bytes.size(), block - header_.size());
            header_.insert(header_.end(), bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(take));
            bytes = bytes.subspan(take);
            if (header_.size() == block) start_entry();
            continue;
        }
        const std::size_t take = static_cast<std::size_t>(std::min<std::uint64_t>(bytes.size(), left_));
        if (phase_ == phase::data && keep_) data_.insert(data_.end(), bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(take));
        bytes = bytes.subspan(take);
        left_ -= take;
        if (left_ == 0) {
            if (phase_ == phase::data) end_entry();
            else phase_ = phase::header;
        }
    }
}

void tar_reader::start_entry() {
    const std::span<const std::uint8_t> header(header_);
    if (std::all_of(header.begin(), header.end(), [](std::uint8_t b) { return b == 0; })) {
        phase_ = phase::done;
        return;
    }
    if (!checksum_ok(header)) throw format_error("tar header checksum does not match at byte " + std::to_string(offset_));
    left_ = number(header, 124, 12);
    padding_ = (block - left_ % block) % block;
    type_ = static_cast<char>(header[156]);
    keep_ = false;
    if (type_ == 'L' || type_ == 'x') {
        // A name record is read whole; a name is never near this long.
        if (left_ > (std::uint64_t{1} << 20)) throw format_error("tar long-name record of " + std::to_string(left_) + " bytes");
        keep_ = true;
    } else {
        if (!long_name_.empty()) {
            path_ = std::move(long_name_);
            long_name_.clear();
        } else {
            // POSIX ustar keeps a name prefix at 345; GNU's "ustar  " headers keep times there.
            const bool posix = header[262] == '\0';
            const std::string_view prefix = posix ? field(header, 345, 155) : std::string_view(), name = field(header, 0, 100);
            path_ = prefix.empty() ? std::string(name) : std::string(prefix) + "/" + std::string(name);
        }
        if (type_ == '0' || type_ == '\0' || type_ == '7') {  // not directories, links, devices, 'g' records
            while (path_.rfind("./", 0) == 0) path_.erase(0, 2);
            keep_ = wanted_(path_);
        }
        if (keep_) {
            if (left_ > max_kept_ - kept_)
                throw format_error("the wanted entries expand past " + std::to_string(max_kept_) + " bytes");
            kept_ += left_;
        }
    }
    data_.clear();
    if (keep_) data_.reserve(static_cast<std::size_t>(std::min<std::uint64_t>(left_, std::uint64_t{1} << 26)));
    offset_ += block + left_ + padding_;  // only for messages: a wrap is harmless
    header_.clear();
    phase_ = phase::data;
    if (left_ == 0) end_entry();
}

void tar_reader::end_entry() {
    if (type_ == 'L') long_name_ = std::string(field(data_, 0, data_.size()));
    else if (type_ == 'x') long_name_ = pax_path(data_);
    else if (keep_) out_.push_back({std::move(path_), std::move(data_)});
    data_ = {};
    keep_ = false;
    // The data is padded to a whole block; a stream may end inside the padding.
    left_ = padding_;
    phase_ = left_ > 0 ? phase::padding : phase::header;
}

std::vector<entry> tar_reader::finish() {
    if (phase_ == phase::header && !header_.empty()) throw format_error("truncated tar archive (a partial header block)");
    if (phase_ == phase::data) throw format_error("truncated tar archive (an entry's data is cut off)");
    return std::move(out_);
}

} // namespace headroom::archive
