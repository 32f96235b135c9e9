// Decompression for the containers a reader may drop a study in: raw DEFLATE streams
// (RFC 1951, the body of a zip entry and of a gzip member) and gzip files (RFC 1952),
// with CRC-32 to check what came out. Written for the browser, where no zlib is linked:
// the same bytes decode natively and in WebAssembly.
#pragma once
#include <cstdint>
#include <functional>
#include <span>
#include <stdexcept>
#include <vector>

namespace headroom::archive {

// A container that is not what it claims to be: truncated, corrupt, or using a
// feature this reader does not have. The message says which; callers add the name.
class format_error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// Output larger than this is refused rather than grown without bound (a "zip bomb"
// expands a few kilobytes into gigabytes; a study the browser can hold is far smaller).
inline constexpr std::size_t default_max_output = std::size_t{1} << 31;

std::uint32_t crc32(std::span<const std::uint8_t> bytes);
// crc32 of a stream in pieces: crc32_update(crc32(a), b) == crc32(a + b).
std::uint32_t crc32_update(std::uint32_t crc, std::span<const std::uint8_t> bytes);

// Decodes one raw DEFLATE stream from the start of `in`. `consumed`, when given,
// receives the number of input bytes the stream used (a gzip trailer follows it).
// `size_hint` only reserves memory. Throws format_error.
std::vector<std::uint8_t> inflate(std::span<const std::uint8_t> in, std::size_t* consumed = nullptr,
                                  std::size_t size_hint = 0, std::size_t max_output = default_max_output);

bool is_gzip(std::span<const std::uint8_t> bytes);
// Every member of a gzip file, concatenated (as gunzip writes them), each checked
// against its CRC-32 and length. Throws format_error.
std::vector<std::uint8_t> gunzip(std::span<const std::uint8_t> in, std::size_t max_output = default_max_output);

// Receives inflated bytes in order, in pieces of any size (at most about 1 MiB).
using inflate_sink = std::function<void(std::span<const std::uint8_t>)>;
// gunzip without holding the output: each piece goes to `sink` as it is decoded and
// only the 32 KiB DEFLATE can refer back to stay, so memory does not grow with the
// content. `max_output` bounds the total handed on. Throws format_error (a member's
// CRC-32 or length is checked at its end, after its pieces were handed on).
void gunzip_stream(std::span<const std::uint8_t> in, const inflate_sink& sink, std::uint64_t max_output);

} // namespace headroom::archive
