// archive/ and study_file.h: DEFLATE, gzip, zip and tar read from memory, and a study
// loaded from any of them. The compressed fixtures in fixtures/archives were written
// by Python's zlib, zipfile and tarfile (an independent implementation) from the
// tiny fixture, so every decoded byte is checked against the file it came from; the
// malformed cases are built here with the small stored-zip and ustar writers below.
#include "core/io/archive/archive.h"
#include "core/io/study_file.h"
#include "core/io/study_io.h"

#include "test_support.h"

#include <algorithm>
#include <chrono>
#include <cstring>
#include <functional>
#include <string>
#include <sys/resource.h>

using namespace headroom;
using namespace headroom::test;

namespace {

std::vector<std::uint8_t> archive_fixture(const std::string& name) { return read_bytes(fixture("archives/" + name)); }
std::vector<std::uint8_t> tiny_table(const std::string& name) { return read_bytes(fixture("tiny/" + name)); }
std::vector<std::uint8_t> bytes_of(std::string_view text) { return {text.begin(), text.end()}; }

void put16(std::vector<std::uint8_t>& out, std::uint32_t v) {
    out.push_back(static_cast<std::uint8_t>(v));
    out.push_back(static_cast<std::uint8_t>(v >> 8));
}
void put32(std::vector<std::uint8_t>& out, std::uint32_t v) {
    put16(out, v & 0xFFFF);
    put16(out, v >> 16);
}

// A zip of stored entries, as APPNOTE lays it out: local headers and data, then the
// central directory and its end record.
std::vector<std::uint8_t> stored_zip(const std::vector<archive::entry>& entries, std::uint32_t method = 0) {
    std::vector<std::uint8_t> out, central;
    for (const auto& e : entries) {
        const auto offset = static_cast<std::uint32_t>(out.size());
        const auto crc = archive::crc32(e.bytes);
        const auto size = static_cast<std::uint32_t>(e.bytes.size());
        const auto name_length = static_cast<std::uint32_t>(e.path.size());
        put32(out, 0x04034b50);
        for (std::uint32_t v : {20u, 0u, method, 0u, 0u}) put16(out, v);
        for (std::uint32_t v : {crc, size, size}) put32(out, v);
        put16(out, name_length);
        put16(out, 0);
        out.insert(out.end(), e.path.begin(), e.path.end());
        out.insert(out.end(), e.bytes.begin(), e.bytes.end());
        put32(central, 0x02014b50);
        for (std::uint32_t v : {20u, 20u, 0u, method, 0u, 0u}) put16(central, v);
        for (std::uint32_t v : {crc, size, size}) put32(central, v);
        for (std::uint32_t v : {name_length, 0u, 0u, 0u, 0u}) put16(central, v);
        put32(central, 0);
        put32(central, offset);
        central.insert(central.end(), e.path.begin(), e.path.end());
    }
    const auto directory_offset = static_cast<std::uint32_t>(out.size());
    out.insert(out.end(), central.begin(), central.end());
    put32(out, 0x06054b50);
    for (std::uint32_t v : {0u, 0u, static_cast<std::uint32_t>(entries.size()), static_cast<std::uint32_t>(entries.size())})
        put16(out, v);
    put32(out, static_cast<std::uint32_t>(central.size()));
    put32(out, directory_offset);
    put16(out, 0);
    return out;
}

// A ustar archive of regular files.
// One ustar header block for a regular file of `size` bytes.
std::vector<std::uint8_t> tar_header(const std::string& path, std::size_t size) {
    std::vector<std::uint8_t> header(512, 0);
    std::memcpy(header.data(), path.data(), std::min<std::size_t>(path.size(), 100));
    std::snprintf(reinterpret_cast<char*>(header.data() + 100), 8, "%07o", 0644);
    std::snprintf(reinterpret_cast<char*>(header.data() + 124), 12, "%011llo", static_cast<unsigned long long>(size));
    header[156] = '0';
    std::memcpy(header.data() + 257, "ustar\00000", 8);
    std::memset(header.data() + 148, ' ', 8);
    unsigned sum = 0;
    for (auto b : header) sum += b;
    std::snprintf(reinterpret_cast<char*>(header.data() + 148), 8, "%06o", sum);
    return header;
}

std::vector<std::uint8_t> ustar(const std::vector<archive::entry>& entries) {
    std::vector<std::uint8_t> out;
    for (const auto& e : entries) {
        const auto header = tar_header(e.path, e.bytes.size());
        out.insert(out.end(), header.begin(), header.end());
        out.insert(out.end(), e.bytes.begin(), e.bytes.end());
        out.resize((out.size() + 511) / 512 * 512, 0);
    }
    out.resize(out.size() + 1024, 0);
    return out;
}

// The tiny fixture's tables as entries under `folder` (empty: at the top level).
std::vector<archive::entry> tiny_entries(const std::string& folder = "") {
    std::vector<archive::entry> out;
    for (const char* f : {study_file, benchmarks_file, queries_file, models_file, generations_file, grades_file})
        out.push_back({folder + f, tiny_table(f)});
    return out;
}

const archive::entry* find(const std::vector<archive::entry>& entries, const std::string& path) {
    for (const auto& e : entries)
        if (e.path == path) return &e;
    return nullptr;
}

// A DEFLATE stream (one block of the fixed codes, RFC 1951 3.2.6) of `prefix` as
// literals followed by `zeros` zero bytes as copies of 258: a bomb of any size in
// 13 bits per 258 bytes, as a hostile archive would carry it.
std::vector<std::uint8_t> deflate_bomb(const std::vector<std::uint8_t>& prefix, std::size_t zeros) {
    std::vector<std::uint8_t> out;
    std::uint64_t buffer = 0;
    int count = 0;
    auto bits = [&](std::uint32_t value, int n) {  // least significant bit first
        buffer |= static_cast<std::uint64_t>(value) << count;
        count += n;
        while (count >= 8) {
            out.push_back(static_cast<std::uint8_t>(buffer));
            buffer >>= 8;
            count -= 8;
        }
    };
    auto code = [&](std::uint32_t value, int n) {  // Huffman codes go most significant bit first
        for (int i = n - 1; i >= 0; --i) bits((value >> i) & 1, 1);
    };
    auto literal = [&](std::uint8_t b) {
        if (b < 144) code(0x30 + b, 8);
        else code(0x190 + (b - 144u), 9);
    };
    bits(1, 1);  // the last block
    bits(1, 2);  // fixed codes
    for (auto b : prefix) literal(b);
    if (zeros) literal(0);
    std::size_t left = zeros ? zeros - 1 : 0;
    for (; left >= 258; left -= 258) {
        code(0xC0 + (285 - 280), 8);  // length 258
        code(0, 5);                   // distance 1
    }
    for (; left; --left) literal(0);
    code(0, 7);  // end of block
    if (count) out.push_back(static_cast<std::uint8_t>(buffer));
    return out;
}

// One zip entry as the central directory will describe it.
struct zip_item {
    std::string path;
    std::vector<std::uint8_t> data;  // as stored (compressed for method 8)
    std::uint32_t size = 0, crc = 0, method = 0;
    std::uint32_t made_by = 20, attributes = 0;  // 0x031E and mode << 16: a Unix zipper's
};

std::vector<std::uint8_t> raw_zip(const std::vector<zip_item>& items) {
    std::vector<std::uint8_t> out, central;
    for (const auto& e : items) {
        const auto offset = static_cast<std::uint32_t>(out.size());
        const auto stored = static_cast<std::uint32_t>(e.data.size());
        const auto name_length = static_cast<std::uint32_t>(e.path.size());
        put32(out, 0x04034b50);
        for (std::uint32_t v : {20u, 0u, e.method, 0u, 0u}) put16(out, v);
        for (std::uint32_t v : {e.crc, stored, e.size}) put32(out, v);
        put16(out, name_length);
        put16(out, 0);
        out.insert(out.end(), e.path.begin(), e.path.end());
        out.insert(out.end(), e.data.begin(), e.data.end());
        put32(central, 0x02014b50);
        for (std::uint32_t v : {e.made_by, 20u, 0u, e.method, 0u, 0u}) put16(central, v);
        for (std::uint32_t v : {e.crc, stored, e.size}) put32(central, v);
        for (std::uint32_t v : {name_length, 0u, 0u, 0u, 0u}) put16(central, v);
        put32(central, e.attributes);
        put32(central, offset);
        central.insert(central.end(), e.path.begin(), e.path.end());
    }
    const auto directory_offset = static_cast<std::uint32_t>(out.size());
    out.insert(out.end(), central.begin(), central.end());
    put32(out, 0x06054b50);
    for (std::uint32_t v : {0u, 0u, static_cast<std::uint32_t>(items.size()), static_cast<std::uint32_t>(items.size())})
        put16(out, v);
    put32(out, static_cast<std::uint32_t>(central.size()));
    put32(out, directory_offset);
    put16(out, 0);
    return out;
}

std::vector<zip_item> tiny_items(const std::string& folder) {
    std::vector<zip_item> out;
    for (auto& e : tiny_entries(folder)) {
        const auto crc = archive::crc32(e.bytes);
        const auto size = static_cast<std::uint32_t>(e.bytes.size());
        out.push_back({e.path, std::move(e.bytes), size, crc, 0});
    }
    return out;
}

// A gzip member of `prefix` then `zeros` zero bytes (deflate_bomb), with its true
// CRC-32 and length.
std::vector<std::uint8_t> gzip_bomb(const std::vector<std::uint8_t>& prefix, std::size_t zeros) {
    std::vector<std::uint8_t> gz = {0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 3};
    const auto body = deflate_bomb(prefix, zeros);
    gz.insert(gz.end(), body.begin(), body.end());
    std::uint32_t crc = archive::crc32(prefix);
    const std::vector<std::uint8_t> block(std::size_t{1} << 20, 0);
    for (std::size_t left = zeros; left > 0;) {
        const std::size_t n = std::min(left, block.size());
        crc = archive::crc32_update(crc, std::span<const std::uint8_t>(block.data(), n));
        left -= n;
    }
    put32(gz, crc);
    put32(gz, static_cast<std::uint32_t>(prefix.size() + zeros));
    return gz;
}

std::size_t peak_memory_bytes() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return static_cast<std::size_t>(usage.ru_maxrss) * 1024;
}

double seconds_since(std::chrono::steady_clock::time_point t0) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

std::string format_error_of(const std::function<void()>& f) {
    try {
        f();
    } catch (const archive::format_error& e) {
        return e.what();
    }
    return "";
}

} // namespace

TEST_CASE("archive: CRC-32 of the standard check string", "[archive]") {
    CHECK(archive::crc32(bytes_of("123456789")) == 0xCBF43926u);
    CHECK(archive::crc32({}) == 0u);
}

TEST_CASE("archive: inflate decodes fixed-code, dynamic-code and stored blocks", "[archive]") {
    const auto original = tiny_table("generations.jsonl");
    for (const char* name : {"generations.fixed.deflate", "generations.dynamic.deflate"}) {
        INFO(name);
        const auto compressed = archive_fixture(name);
        std::size_t consumed = 0;
        CHECK(archive::inflate(compressed, &consumed) == original);
        CHECK(consumed == compressed.size());
    }
    // Two gzip members, the first of stored blocks (level 0), the second deflated.
    std::vector<std::uint8_t> twice = original;
    twice.insert(twice.end(), original.begin(), original.end());
    CHECK(archive::gunzip(archive_fixture("generations-twice.gz")) == twice);
    // Symbol frequencies like Fibonacci numbers need codes of up to 15 bits, past the
    // one-look-up table: the gzip trailer's CRC-32 and length check every byte.
    const auto skewed = archive::gunzip(archive_fixture("skewed.gz"));
    CHECK(skewed.size() == 46367);
    CHECK(skewed.front() >= 'A');
}

TEST_CASE("archive: truncated or corrupt compressed data is refused in words", "[archive][bad_input]") {
    const auto compressed = archive_fixture("generations.dynamic.deflate");
    const std::vector<std::uint8_t> cut(compressed.begin(), compressed.begin() + 300);
    CHECK(contains(format_error_of([&] { archive::inflate(cut); }), "truncated"));
    CHECK(contains(format_error_of([&] { archive::inflate(std::vector<std::uint8_t>{0x07}); }), "block type 3"));
    // A stored block whose length and its complement disagree.
    CHECK(contains(format_error_of([&] { archive::inflate(std::vector<std::uint8_t>{0x01, 0x05, 0x00, 0x00, 0x00}); }),
                   "complement"));
    CHECK(contains(format_error_of([&] { archive::inflate(compressed, nullptr, 0, 1000); }), "expands past 1000"));
    // Literals alone (fixed codes) are held to the limit too, not only copies.
    CHECK(contains(format_error_of([&] { archive::inflate(archive_fixture("generations.fixed.deflate"), nullptr, 0, 100); }),
                   "expands past 100"));

    auto gz = archive_fixture("generations-twice.gz");
    gz[gz.size() / 4] ^= 0x01;  // inside the first member's stored data
    CHECK(contains(format_error_of([&] { archive::gunzip(gz); }), "CRC-32"));
    CHECK(contains(format_error_of([&] { archive::gunzip(bytes_of("plain text")); }), "not a gzip file"));
}

TEST_CASE("archive: zip entries, deflated and stored, match the files they came from", "[archive]") {
    const auto deflated = archive::read_zip(archive_fixture("tiny.zip"));
    const auto stored = archive::read_zip(archive_fixture("tiny-stored.zip"));
    CHECK(deflated.size() == 6);  // the folder entry "tiny/" is skipped
    CHECK(stored.size() == 6);
    for (const char* f : {study_file, benchmarks_file, queries_file, models_file, generations_file, grades_file}) {
        INFO(f);
        const auto* d = find(deflated, std::string("tiny/") + f);
        const auto* s = find(stored, f);
        REQUIRE(d);
        REQUIRE(s);
        CHECK(d->bytes == tiny_table(f));
        CHECK(s->bytes == tiny_table(f));
    }
}

TEST_CASE("archive: tar and tar.gz entries match the files they came from", "[archive]") {
    const auto gnu = archive::read_tar(archive::gunzip(archive_fixture("tiny.tar.gz")));
    const auto mine = archive::read_tar(ustar(tiny_entries("some/folder/")));
    for (const char* f : {study_file, queries_file, generations_file}) {
        INFO(f);
        const auto* g = find(gnu, std::string("tiny/") + f);  // "./tiny/..." as stored
        const auto* m = find(mine, std::string("some/folder/") + f);
        REQUIRE(g);
        REQUIRE(m);
        CHECK(g->bytes == tiny_table(f));
        CHECK(m->bytes == tiny_table(f));
    }
}

TEST_CASE("archive: broken zip and tar archives are refused in words", "[archive][bad_input]") {
    auto zip = stored_zip(tiny_entries());
    CHECK(archive::read_zip(zip).size() == 6);
    auto corrupt = zip;
    corrupt[40] ^= 0x20;  // inside study.json's data
    CHECK(contains(format_error_of([&] { archive::read_zip(corrupt); }), "'study.json': CRC-32 does not match"));
    const std::vector<std::uint8_t> cut(zip.begin(), zip.begin() + static_cast<std::ptrdiff_t>(zip.size() / 2));
    CHECK(contains(format_error_of([&] { archive::read_zip(cut); }), "no zip central directory"));
    CHECK(contains(format_error_of([&] { archive::read_zip(stored_zip(tiny_entries(), 14)); }),
                   "compression method 14"));

    // A pax record whose length runs past its header (or wraps a 32-bit sum) is refused,
    // not followed round in a loop.
    for (const char* record : {"12 path=x\n4294967290 path=y\n", "99999999999999999999 path=x\n", "3 p\n"}) {
        INFO(record);
        auto pax = tiny_entries();
        pax.insert(pax.begin(), {"PaxHeaders/study.json", bytes_of(record)});
        auto bytes = ustar(pax);
        bytes[156] = 'x';  // the first entry is a pax extended header: fix its checksum
        std::memset(bytes.data() + 148, ' ', 8);
        unsigned sum = 0;
        for (std::size_t i = 0; i < 512; ++i) sum += bytes[i];
        std::snprintf(reinterpret_cast<char*>(bytes.data() + 148), 8, "%06o", sum);
        CHECK(contains(format_error_of([&] { archive::read_tar(bytes); }), "malformed pax"));
    }

    auto tar = ustar(tiny_entries());
    tar[10] ^= 0x01;  // inside the first name: the checksum no longer adds up
    CHECK(contains(format_error_of([&] { archive::read_tar(tar); }), "checksum"));
    const auto whole = ustar(tiny_entries());
    const std::vector<std::uint8_t> partial(whole.begin(), whole.begin() + 700);
    CHECK(contains(format_error_of([&] { archive::read_tar(partial); }), "truncated tar"));
}

TEST_CASE("study_file: the tiny study from a zip, a tar.gz, a stored zip and a pack is one study", "[archive][study_file]") {
    const study from_dir = load_study_dir(fixture("tiny"));
    for (const char* name : {"tiny.zip", "tiny.tar.gz", "tiny-stored.zip"}) {
        INFO(name);
        const study s = read_study_file(archive_fixture(name), name);
        CHECK(first_difference(from_dir, s) == "");
    }
    CHECK(first_difference(from_dir, read_study_file(ustar(tiny_entries("x/")), "tiny.tar")) == "");
}

TEST_CASE("study_file: bad archives name the archive, the table, the line and the field", "[archive][study_file][bad_input]") {
    // A bad line inside the archive: the error names archive/folder/table:line.
    auto entries = tiny_entries("tiny/");
    std::string queries(entries[2].bytes.begin(), entries[2].bytes.end());
    const auto at = queries.find("\"benchmark\":\"");
    REQUIRE(at != std::string::npos);
    queries.replace(at, 13, "\"benchmark\":\"no-such-");
    const std::size_t line = 1 + static_cast<std::size_t>(std::count(queries.begin(), queries.begin() + static_cast<std::ptrdiff_t>(at), '\n'));
    entries[2].bytes = bytes_of(queries);
    check_input_error([&] { read_study_file(stored_zip(entries), "mine.zip"); }, "mine.zip/tiny/queries.jsonl", line,
                      "benchmark", "unknown benchmark id");

    auto missing = tiny_entries();
    missing.erase(missing.begin() + 4);  // generations.jsonl
    check_input_error([&] { read_study_file(stored_zip(missing), "mine.zip"); }, "mine.zip/generations.jsonl", 0, "",
                      "missing");

    auto no_info = tiny_entries();
    no_info.erase(no_info.begin());
    check_input_error([&] { read_study_file(ustar(no_info), "mine.tar"); }, "mine.tar", 0, "", "no study.json");

    auto two = tiny_entries("a/");
    for (auto& e : tiny_entries("b/")) two.push_back(std::move(e));
    check_input_error([&] { read_study_file(stored_zip(two), "two.zip"); }, "two.zip", 0, "", "2 study.json files");

    // Finder's "__MACOSX/" copies are not a second study.
    auto mac = tiny_entries("tiny/");
    mac.push_back({"__MACOSX/tiny/._study.json", bytes_of("resource fork")});
    CHECK(read_study_file(stored_zip(mac), "mac.zip").info.name == "tiny");

    auto zip = stored_zip(tiny_entries());
    zip[40] ^= 0x20;
    check_input_error([&] { read_study_file(zip, "flipped.zip"); }, "flipped.zip", 0, "", "CRC-32 does not match");
    check_input_error([&] { read_study_file(bytes_of("hello, world"), "notes.txt"); }, "notes.txt", 0, "", "HDRMPACK");
}

TEST_CASE("archive: the bomb writer's stream inflates to its prefix and zeros", "[archive]") {
    const auto prefix = bytes_of("header\xff");
    const auto out = archive::inflate(deflate_bomb(prefix, 1000));
    REQUIRE(out.size() == prefix.size() + 1000);
    CHECK(std::equal(prefix.begin(), prefix.end(), out.begin()));
    CHECK(std::all_of(out.begin() + static_cast<std::ptrdiff_t>(prefix.size()), out.end(), [](auto b) { return b == 0; }));
}

TEST_CASE("study_file: a zip's huge non-table entry is skipped without being inflated", "[archive][study_file][memory]") {
    // The red team's zip held a 2.1 GB entry beside the study: 2.07 GB and 35 s to load.
    auto items = tiny_items("tiny/");
    const std::size_t huge = std::size_t{1} << 30;
    items.push_back({"tiny/video.bin", deflate_bomb({}, huge), static_cast<std::uint32_t>(huge), 0, 8});
    const auto zip = raw_zip(items);
    INFO("a " << zip.size() << "-byte zip holding a 1 GiB entry");
    const auto t0 = std::chrono::steady_clock::now();
    const study s = read_study_file(zip, "big.zip");
    CHECK(first_difference(load_study_dir(fixture("tiny")), s) == "");
    CHECK(seconds_since(t0) < 2);
}

TEST_CASE("study_file: a table that inflates past 100 times its archive is refused early", "[archive][study_file][memory]") {
    // 100 MiB of zeros in 660 kB: past the 64 MiB floor of a small archive (and the
    // directory's claim alone is refused before inflating anything).
    const std::size_t huge = std::size_t{100} << 20;
    auto items = tiny_items("");
    items[4] = {generations_file, deflate_bomb({}, huge), static_cast<std::uint32_t>(huge), 0, 8};
    check_input_error([&] { read_study_file(raw_zip(items), "bomb.zip"); }, "bomb.zip", 0, "", "expand past 67108864 bytes");

    // In a tar.gz the entry's header says its size: a table past the bound is refused
    // there, before a byte of it is inflated.
    const auto t0 = std::chrono::steady_clock::now();
    check_input_error([&] { read_study_file(gzip_bomb(tar_header("tiny/" + std::string(generations_file), huge), huge),
                                            "bomb.tar.gz"); },
                      "bomb.tar.gz", 0, "", "expand past 67108864 bytes");
    CHECK(seconds_since(t0) < 5);
}

TEST_CASE("study_file: a tar.gz's huge non-table entry streams by in bounded memory", "[archive][study_file][memory]") {
    // The red team's tar.gz held a 4.1 GB entry beside the study: 4.1 GB of memory when
    // the stream was inflated whole. Now the entry passes through a 1 MiB window.
    const std::size_t huge = std::size_t{256} << 20;
    auto prefix = ustar(tiny_entries("tiny/"));
    prefix.resize(prefix.size() - 1024);  // no end blocks yet: the huge entry follows
    const auto header = tar_header("tiny/video.bin", huge);
    prefix.insert(prefix.end(), header.begin(), header.end());
    const auto gz = gzip_bomb(prefix, huge + 1024);  // the entry's zeros, then the end blocks
    INFO("a " << gz.size() << "-byte tar.gz holding a 256 MiB entry");
    const auto peak_before = peak_memory_bytes();
    const study s = read_study_file(gz, "big.tar.gz");
    CHECK(first_difference(load_study_dir(fixture("tiny")), s) == "");
    // Exact when this test runs alone (as CTest runs it); a lower bound otherwise.
    CHECK(peak_memory_bytes() - peak_before < (std::size_t{64} << 20));
}

TEST_CASE("study_file: zip symbolic links are not read as files", "[archive][study_file][bad_input]") {
    constexpr std::uint32_t unix_zipper = 0x031E, link_mode = 0120777u << 16;
    // A link where a table should be is refused, and says why.
    auto items = tiny_items("tiny/");
    items[4].made_by = unix_zipper;
    items[4].attributes = link_mode;
    check_input_error([&] { read_study_file(raw_zip(items), "links.zip"); }, "links.zip", 0, "", "is a symbolic link");
    // A link anywhere else is skipped, like every file that is not a table.
    items = tiny_items("tiny/");
    const auto target = bytes_of("/etc/passwd");
    items.push_back({"tiny/notes.txt", target, static_cast<std::uint32_t>(target.size()), archive::crc32(target), 0,
                     unix_zipper, link_mode});
    CHECK(first_difference(load_study_dir(fixture("tiny")), read_study_file(raw_zip(items), "links.zip")) == "");
    CHECK(archive::read_zip(raw_zip(items), archive::default_max_output, [](std::string_view p) { return p != "tiny/notes.txt"; }).size() == 6);
}
