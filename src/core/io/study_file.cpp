#include "core/io/study_file.h"

#include "core/io/archive/archive.h"
#include "core/io/pack.h"
#include "core/io/study_io.h"

#include <algorithm>
#include <cstring>
#include <new>
#include <optional>
#include <string_view>

namespace headroom {

namespace {

std::string_view base_name(std::string_view path) {
    const auto slash = path.rfind('/');
    return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

// Finder and zip add their own entries ("__MACOSX/...", "._study.json"): never tables.
bool is_metadata(std::string_view path) {
    return path.rfind("__MACOSX/", 0) == 0 || base_name(path).rfind("._", 0) == 0;
}

// The entries a study is made of; any other file in an archive is skipped unread.
bool is_table(std::string_view path) {
    if (is_metadata(path)) return false;
    const std::string_view file = base_name(path);
    for (const char* table : {study_file, benchmarks_file, queries_file, models_file, generations_file,
                              judgments_file, grades_file, embeddings_file})
        if (file == table) return true;
    return false;
}

// What an archive may inflate to: a study's JSON Lines compress about 5 to 20 times,
// so 100 times the archive (and 64 MiB for small ones) is room for any honest study,
// while a bomb is stopped after seconds instead of at the 2 GiB hard limit.
std::size_t inflation_limit(std::size_t archive_bytes) {
    constexpr std::size_t floor = std::size_t{64} << 20, ratio = 100;
    const std::uint64_t relative = std::uint64_t{archive_bytes} * ratio;
    return static_cast<std::size_t>(std::min<std::uint64_t>(archive::default_max_output, std::max<std::uint64_t>(floor, relative)));
}

// What a tar.gz may inflate to in all, skipped entries included: DEFLATE expands at
// most about 1,032 times, so this is reached only from a few MB, and bounds the time
// (not the memory, which the tables' limit bounds).
constexpr std::uint64_t max_streamed = std::uint64_t{16} << 30;

study from_entries(const std::vector<archive::entry>& entries, const std::string& name, const json_limits& limits) {
    // The study's folder is the one that holds study.json; there must be exactly one.
    std::vector<std::string_view> roots;
    for (const auto& e : entries)
        if (!is_metadata(e.path) && base_name(e.path) == study_file)
            roots.push_back(std::string_view(e.path).substr(0, e.path.size() - std::strlen(study_file)));
    if (roots.empty())
        throw input_error(name, 0, "", "the archive holds no study.json (expected a study directory's tables: " +
                                           std::string(study_file) + ", " + benchmarks_file + ", " + queries_file +
                                           ", " + models_file + ", " + generations_file + ", " + grades_file + ")");
    if (roots.size() > 1)
        throw input_error(name, 0, "", "the archive holds " + std::to_string(roots.size()) + " study.json files (" +
                                           std::string(roots[0]) + "study.json, " + std::string(roots[1]) +
                                           "study.json, ...): one study per file");
    const std::string root(roots.front());
    auto table = [&](const char* file) -> std::optional<std::string_view> {
        const std::string path = root + file;
        for (const auto& e : entries)
            if (e.path == path) return std::string_view(reinterpret_cast<const char*>(e.bytes.data()), e.bytes.size());
        return std::nullopt;
    };
    return load_study_texts(table, name + "/" + root, limits);
}

study read(std::span<const std::uint8_t> bytes, const std::string& name, const json_limits& limits, bool inside_gzip);

// A tar inside is read as it inflates, keeping only its tables: an entry that is not
// one costs the time to inflate it, never the memory. Anything else inside (a pack, a
// zip) is gathered whole, within the inflation limit, and read as a file.
study read_gzip(std::span<const std::uint8_t> bytes, const std::string& name, const json_limits& limits) {
    const std::size_t kept_limit = inflation_limit(bytes.size());
    std::vector<std::uint8_t> head;
    std::optional<archive::tar_reader> tar;
    archive::gunzip_stream(
        bytes,
        [&](std::span<const std::uint8_t> piece) {
            if (tar) return tar->feed(piece);
            if (piece.size() > kept_limit - head.size())
                throw archive::format_error("expands past " + std::to_string(kept_limit) + " bytes");
            head.insert(head.end(), piece.begin(), piece.end());
            if (archive::is_tar(head)) {
                tar.emplace(is_table, kept_limit);
                tar->feed(head);
                head = {};
            }
        },
        max_streamed);
    if (tar) return from_entries(tar->finish(), name, limits);
    return read(head, name, limits, true);
}

study read(std::span<const std::uint8_t> bytes, const std::string& name, const json_limits& limits, bool inside_gzip) {
    try {
        if (is_pack(bytes)) return unpack_study(bytes, name);
        if (archive::is_zip(bytes))
            return from_entries(archive::read_zip(bytes, inflation_limit(bytes.size()), is_table), name, limits);
        if (archive::is_tar(bytes)) return from_entries(archive::read_tar(bytes, is_table), name, limits);
        if (archive::is_gzip(bytes) && !inside_gzip) return read_gzip(bytes, name, limits);
    } catch (const archive::format_error& e) {
        throw input_error(name, 0, "", e.what());
    } catch (const std::bad_alloc&) {
        throw input_error(name, 0, "", "too large to unpack in the memory available here");
    }
    throw input_error(name, 0, "",
                      std::string(inside_gzip ? "the gzipped content is" : "the file is") +
                          " not a study: expected a Headroom pack (starts with HDRMPACK), or a zip, tar or "
                          ".tar.gz of a study directory");
}

} // namespace

study read_study_file(std::span<const std::uint8_t> bytes, const std::string& name, const json_limits& limits) {
    return read(bytes, name, limits, false);
}

} // namespace headroom
