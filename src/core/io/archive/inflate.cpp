#include "core/io/archive/inflate.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <string>

namespace headroom::archive {

namespace {

// Slicing by eight (Intel's method): table[k][b] is the CRC of byte b followed by k
// zero bytes, so eight input bytes take eight independent look-ups instead of a chain
// of eight. A tar.gz's skipped entries stream through here byte for byte.
using crc_tables = std::array<std::array<std::uint32_t, 256>, 8>;
constexpr crc_tables make_crc_tables() {
    crc_tables tables{};
    for (std::uint32_t n = 0; n < 256; ++n) {
        std::uint32_t c = n;
        for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        tables[0][n] = c;
    }
    for (std::size_t k = 1; k < 8; ++k)
        for (std::uint32_t n = 0; n < 256; ++n) tables[k][n] = (tables[k - 1][n] >> 8) ^ tables[0][tables[k - 1][n] & 0xFF];
    return tables;
}
constexpr crc_tables crc_table = make_crc_tables();

// Bits are read least significant first (RFC 1951, 3.1.1). Past the end of the input
// the reader hands out zero bytes, but only a few: a stream that needs more is
// truncated, and consumed_bytes() lets the caller check that none were used.
class bit_reader {
public:
    explicit bit_reader(std::span<const std::uint8_t> in) : in_(in) {}

    std::uint32_t peek(int n) {
        if (count_ < n) refill();
        return static_cast<std::uint32_t>(buffer_ & ((std::uint64_t{1} << n) - 1));
    }
    void drop(int n) {
        buffer_ >>= n;
        count_ -= n;
    }
    std::uint32_t bits(int n) {
        const std::uint32_t v = peek(n);
        drop(n);
        return v;
    }

    // Stored blocks start at a byte boundary and are copied straight from the input.
    void align_to_byte() { drop(count_ % 8); }
    std::span<const std::uint8_t> take_bytes(std::size_t n) {
        // Give back the whole bytes still in the buffer, then read from the input.
        pos_ -= static_cast<std::size_t>(count_ / 8);
        buffer_ = 0;
        count_ = 0;
        if (pos_ > in_.size() || in_.size() - pos_ < n) throw format_error("truncated stored block");
        const auto out = in_.subspan(pos_, n);
        pos_ += n;
        return out;
    }

    std::size_t consumed_bytes() const { return pos_ - static_cast<std::size_t>(count_ / 8); }

private:
    void refill() {
        while (count_ <= 56) {
            std::uint64_t byte = 0;
            if (pos_ < in_.size()) byte = in_[pos_];
            else if (pos_ >= in_.size() + 8) throw format_error("truncated (the compressed data ends early)");
            ++pos_;
            buffer_ |= byte << count_;
            count_ += 8;
        }
    }

    std::span<const std::uint8_t> in_;
    std::size_t pos_ = 0;
    std::uint64_t buffer_ = 0;
    int count_ = 0;
};

constexpr int max_code_bits = 15;
constexpr int fast_bits = 10;  // codes up to this long decode with one table look-up

// A canonical Huffman code (RFC 1951, 3.2.2). Codes up to fast_bits long are found in
// one look-up of the next bits; longer ones (rare) are walked length by length.
class huffman {
public:
    void build(const std::uint8_t* lengths, int symbols) {
        std::fill(std::begin(count_), std::end(count_), std::uint16_t{0});
        for (int s = 0; s < symbols; ++s) ++count_[lengths[s]];
        count_[0] = 0;
        int left = 1;  // codes still available at the current length
        for (int len = 1; len <= max_code_bits; ++len) {
            left = 2 * left - count_[len];
            if (left < 0) throw format_error("over-subscribed Huffman code");
        }
        std::uint16_t offset[max_code_bits + 2] = {};
        for (int len = 1; len <= max_code_bits; ++len) offset[len + 1] = static_cast<std::uint16_t>(offset[len] + count_[len]);
        for (int s = 0; s < symbols; ++s)
            if (lengths[s]) symbol_[offset[lengths[s]]++] = static_cast<std::uint16_t>(s);

        std::fill(std::begin(fast_), std::end(fast_), slow);
        std::uint32_t code = 0;
        int index = 0;
        for (int len = 1; len <= fast_bits; ++len) {
            for (int i = 0; i < count_[len]; ++i, ++code, ++index) {
                // The stream holds a code's bits most significant first, read least
                // significant first: the table is indexed by the code reversed.
                std::uint32_t reversed = 0;
                for (int b = 0; b < len; ++b) reversed |= ((code >> b) & 1u) << (len - 1 - b);
                for (std::uint32_t j = reversed; j < (1u << fast_bits); j += 1u << len)
                    fast_[j] = static_cast<std::uint16_t>((len << 9) | symbol_[index]);
            }
            code <<= 1;
        }
    }

    int decode(bit_reader& in) const {
        const std::uint16_t entry = fast_[in.peek(fast_bits)];
        if (entry != slow) {
            in.drop(entry >> 9);
            return entry & 0x1FF;
        }
        // Walk the code one bit at a time: at each length, the codes of that length
        // are the `count` values after `first`.
        int code = 0, first = 0, index = 0;
        for (int len = 1; len <= max_code_bits; ++len) {
            code |= static_cast<int>(in.bits(1));
            const int count = count_[len];
            if (code - count < first) return symbol_[index + (code - first)];
            index += count;
            first = (first + count) << 1;
            code <<= 1;
        }
        throw format_error("invalid Huffman code");
    }

private:
    static constexpr std::uint16_t slow = 0xFFFF;
    std::uint16_t count_[max_code_bits + 1] = {};
    std::uint16_t symbol_[288] = {};
    std::uint16_t fast_[1u << fast_bits] = {};
};

constexpr std::uint16_t length_base[29] = {3,  4,  5,  6,  7,  8,  9,  10, 11,  13,  15,  17,  19,  23, 27,
                                           31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258};
constexpr std::uint8_t length_extra[29] = {0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0};
constexpr std::uint16_t distance_base[30] = {1,   2,   3,   4,   5,   7,    9,    13,   17,   25,   33,   49,   65,    97,    129,
                                             193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577};
constexpr std::uint8_t distance_extra[30] = {0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13};

struct fixed_codes {
    huffman literal, distance;
    fixed_codes() {
        std::uint8_t lengths[288];
        std::fill(lengths, lengths + 144, std::uint8_t{8});
        std::fill(lengths + 144, lengths + 256, std::uint8_t{9});
        std::fill(lengths + 256, lengths + 280, std::uint8_t{7});
        std::fill(lengths + 280, lengths + 288, std::uint8_t{8});
        literal.build(lengths, 288);
        std::fill(lengths, lengths + 30, std::uint8_t{5});
        distance.build(lengths, 30);
    }
};

// The code lengths of a dynamic block (RFC 1951, 3.2.7), themselves Huffman-coded.
void read_dynamic_codes(bit_reader& in, huffman& literal, huffman& distance) {
    const int literals = static_cast<int>(in.bits(5)) + 257;
    const int distances = static_cast<int>(in.bits(5)) + 1;
    const int code_lengths = static_cast<int>(in.bits(4)) + 4;
    if (literals > 286 || distances > 30) throw format_error("too many length or distance codes");
    static constexpr std::uint8_t order[19] = {16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15};
    std::uint8_t lengths[286 + 30] = {};
    for (int i = 0; i < code_lengths; ++i) lengths[order[i]] = static_cast<std::uint8_t>(in.bits(3));
    huffman length_code;
    length_code.build(lengths, 19);

    std::fill(std::begin(lengths), std::end(lengths), std::uint8_t{0});
    for (int i = 0; i < literals + distances;) {
        const int symbol = length_code.decode(in);
        if (symbol < 16) {
            lengths[i++] = static_cast<std::uint8_t>(symbol);
            continue;
        }
        std::uint8_t value = 0;
        int repeat = 0;
        if (symbol == 16) {
            if (i == 0) throw format_error("a repeated code length with nothing before it");
            value = lengths[i - 1];
            repeat = 3 + static_cast<int>(in.bits(2));
        } else if (symbol == 17) {
            repeat = 3 + static_cast<int>(in.bits(3));
        } else {
            repeat = 11 + static_cast<int>(in.bits(7));
        }
        if (i + repeat > literals + distances) throw format_error("code lengths run past their count");
        std::fill(lengths + i, lengths + i + repeat, value);
        i += repeat;
    }
    if (lengths[256] == 0) throw format_error("no end-of-block code");
    literal.build(lengths, literals);
    distance.build(lengths + literals, distances);
}

// Where decoded bytes go. Kept whole (inflate) or handed to a sink in pieces
// (gunzip_stream): then only the last 32 KiB, all a back-reference can reach, stay.
class output {
public:
    output(std::uint64_t max_output, const inflate_sink* sink) : max_(max_output), sink_(sink) {}

    std::vector<std::uint8_t>& bytes() { return bytes_; }
    std::uint64_t total() const { return handed_ + bytes_.size(); }
    // Throws when `more` bytes would take the total past the limit.
    void reserve_room(std::size_t more) const {
        if (more > max_ || total() > max_ - more) throw format_error("expands past " + std::to_string(max_) + " bytes");
    }
    void maybe_flush() {
        if (sink_ != nullptr && bytes_.size() >= flush_at) flush(window);
    }
    // Hands on what the sink has not seen and keeps `history` bytes for back-references.
    void flush(std::size_t history) {
        if (sink_ == nullptr) return;
        if (bytes_.size() > fresh_from_) (*sink_)(std::span<const std::uint8_t>(bytes_).subspan(fresh_from_));
        const std::size_t drop = bytes_.size() > history ? bytes_.size() - history : 0;
        bytes_.erase(bytes_.begin(), bytes_.begin() + static_cast<std::ptrdiff_t>(drop));
        handed_ += drop;
        fresh_from_ = bytes_.size();
    }

private:
    static constexpr std::size_t window = std::size_t{1} << 15;
    static constexpr std::size_t flush_at = window + (std::size_t{1} << 20);
    std::vector<std::uint8_t> bytes_;
    std::uint64_t max_;
    const inflate_sink* sink_;
    std::uint64_t handed_ = 0;     // bytes dropped from the front of bytes_
    std::size_t fresh_from_ = 0;   // bytes_[fresh_from_..] not yet seen by the sink
};

void inflate_codes(bit_reader& in, const huffman& literal, const huffman& distance, output& sink) {
    std::vector<std::uint8_t>& out = sink.bytes();
    for (;;) {
        int symbol = literal.decode(in);
        if (symbol < 256) {
            sink.reserve_room(1);
            out.push_back(static_cast<std::uint8_t>(symbol));
            sink.maybe_flush();
            continue;
        }
        if (symbol == 256) return;
        symbol -= 257;
        if (symbol >= 29) throw format_error("invalid length code");
        const std::size_t length = length_base[symbol] + in.bits(length_extra[symbol]);
        const int d = distance.decode(in);
        if (d >= 30) throw format_error("invalid distance code");
        const std::size_t back = distance_base[d] + in.bits(distance_extra[d]);
        // The window keeps at least 32 KiB (the longest distance) once anything is handed on.
        if (back > out.size()) throw format_error("a distance reaches before the start of the data");
        sink.reserve_room(length);
        const std::size_t start = out.size();
        out.resize(start + length);
        std::uint8_t* to = out.data() + start;
        const std::uint8_t* from = to - back;
        // A copy may overlap what it writes: a run of one byte is back = 1.
        if (back >= length) std::memcpy(to, from, length);
        else if (back == 1) std::memset(to, *from, length);
        else for (std::size_t i = 0; i < length; ++i) to[i] = from[i];
        sink.maybe_flush();
    }
}

// One raw DEFLATE stream into `sink`; returns the input bytes it used.
std::size_t inflate_into(std::span<const std::uint8_t> in, output& sink) {
    static const fixed_codes fixed;
    bit_reader bits(in);
    huffman literal, distance;
    for (bool last = false; !last;) {
        last = bits.bits(1) == 1;
        const std::uint32_t type = bits.bits(2);
        if (type == 0) {
            bits.align_to_byte();
            const auto header = bits.take_bytes(4);
            const std::uint32_t length = header[0] | header[1] << 8, check = header[2] | header[3] << 8;
            if ((length ^ 0xFFFFu) != check) throw format_error("stored block length does not match its complement");
            sink.reserve_room(length);
            const auto block = bits.take_bytes(length);
            sink.bytes().insert(sink.bytes().end(), block.begin(), block.end());
            sink.maybe_flush();
        } else if (type == 1) {
            inflate_codes(bits, fixed.literal, fixed.distance, sink);
        } else if (type == 2) {
            read_dynamic_codes(bits, literal, distance);
            inflate_codes(bits, literal, distance, sink);
        } else {
            throw format_error("invalid block type 3");
        }
    }
    const std::size_t used = bits.consumed_bytes();
    if (used > in.size()) throw format_error("truncated (the compressed data ends early)");
    return used;
}

std::uint32_t read_le32(std::span<const std::uint8_t> b, std::size_t at) {
    return static_cast<std::uint32_t>(b[at]) | static_cast<std::uint32_t>(b[at + 1]) << 8 |
           static_cast<std::uint32_t>(b[at + 2]) << 16 | static_cast<std::uint32_t>(b[at + 3]) << 24;
}

} // namespace

std::uint32_t crc32_update(std::uint32_t crc, std::span<const std::uint8_t> bytes) {
    std::uint32_t c = crc ^ 0xFFFFFFFFu;
    const std::uint8_t* p = bytes.data();
    std::size_t n = bytes.size();
    const auto& t = crc_table;
    for (; n >= 8; n -= 8, p += 8) {
        // Assembled byte by byte: the same on any host byte order and alignment.
        const std::uint32_t low = c ^ (std::uint32_t{p[0]} | std::uint32_t{p[1]} << 8 | std::uint32_t{p[2]} << 16 |
                                       std::uint32_t{p[3]} << 24);
        c = t[7][low & 0xFF] ^ t[6][(low >> 8) & 0xFF] ^ t[5][(low >> 16) & 0xFF] ^ t[4][low >> 24] ^ t[3][p[4]] ^
            t[2][p[5]] ^ t[1][p[6]] ^ t[0][p[7]];
    }
    for (; n > 0; --n, ++p) c = t[0][(c ^ *p) & 0xFF] ^ (c >> 8);
    return c ^ 0xFFFFFFFFu;
}

std::uint32_t crc32(std::span<const std::uint8_t> bytes) { return crc32_update(0, bytes); }

std::vector<std::uint8_t> inflate(std::span<const std::uint8_t> in, std::size_t* consumed, std::size_t size_hint,
                                  std::size_t max_output) {
    output out(max_output, nullptr);
    out.bytes().reserve(std::min(size_hint, max_output));
    const std::size_t used = inflate_into(in, out);
    if (consumed) *consumed = used;
    return std::move(out.bytes());
}

bool is_gzip(std::span<const std::uint8_t> bytes) { return bytes.size() >= 2 && bytes[0] == 0x1F && bytes[1] == 0x8B; }

void gunzip_stream(std::span<const std::uint8_t> in, const inflate_sink& sink, std::uint64_t max_output) {
    std::uint64_t total = 0;
    std::size_t at = 0;
    while (at < in.size()) {
        const auto member = in.subspan(at);
        if (member.size() < 18 || !is_gzip(member)) {
            // Padding after the last member is tolerated when it is all zeros (tape blocks).
            if (at > 0 && std::all_of(member.begin(), member.end(), [](std::uint8_t b) { return b == 0; })) break;
            throw format_error(at == 0 ? "not a gzip file" : "unexpected bytes after gzip member");
        }
        if (member[2] != 8) throw format_error("gzip compression method " + std::to_string(member[2]) + " (only deflate, 8)");
        const std::uint8_t flags = member[3];
        if (flags & 0xE0) throw format_error("reserved gzip header flags set");
        std::size_t pos = 10;
        auto need = [&](std::size_t n) {
            if (member.size() - pos < n) throw format_error("truncated gzip header");
        };
        if (flags & 0x04) {  // FEXTRA
            need(2);
            const std::size_t extra = member[pos] | member[pos + 1] << 8;
            pos += 2;
            need(extra);
            pos += extra;
        }
        for (std::uint8_t zero_terminated : {std::uint8_t{0x08}, std::uint8_t{0x10}})  // FNAME, FCOMMENT
            if (flags & zero_terminated) {
                while (pos < member.size() && member[pos] != 0) ++pos;
                need(1);
                ++pos;
            }
        if (flags & 0x02) {  // FHCRC
            need(2);
            pos += 2;
        }
        // Each member is checked as it streams by: its CRC-32 and length.
        std::uint32_t crc = 0;
        std::uint64_t length = 0;
        const inflate_sink checked = [&](std::span<const std::uint8_t> piece) {
            crc = crc32_update(crc, piece);
            length += piece.size();
            sink(piece);
        };
        output out(max_output - total, &checked);
        pos += inflate_into(member.subspan(pos), out);
        out.flush(0);
        total += length;
        if (member.size() - pos < 8) throw format_error("truncated gzip trailer");
        if (crc != read_le32(member, pos)) throw format_error("gzip CRC-32 does not match (corrupt data)");
        if (static_cast<std::uint32_t>(length) != read_le32(member, pos + 4))
            throw format_error("gzip length does not match (corrupt data)");
        at += pos + 8;
    }
}

std::vector<std::uint8_t> gunzip(std::span<const std::uint8_t> in, std::size_t max_output) {
    std::vector<std::uint8_t> out;
    gunzip_stream(in, [&out](std::span<const std::uint8_t> piece) { out.insert(out.end(), piece.begin(), piece.end()); },
                  max_output);
    return out;
}

} // namespace headroom::archive
