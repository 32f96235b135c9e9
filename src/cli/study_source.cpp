#include "cli/study_source.h"

#include "core/base/jsonl.h"
#include "core/io/study_file.h"
#include "core/io/study_io.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <stdexcept>

namespace headroom::cli {

study open_study(const std::string& path) {
    if (std::filesystem::is_directory(path)) return load_study_dir(path);
    std::ifstream in(path, std::ios::binary);
    if (!in) throw input_error(path, 0, "", "cannot open (expected a study directory, a .pack file, or a .zip, .tar or .tar.gz of a study directory)");
    // One read of the whole file: a pack is tens of megabytes, an archive may be more.
    in.seekg(0, std::ios::end);
    std::vector<std::uint8_t> bytes(static_cast<std::size_t>(std::max<std::streamoff>(in.tellg(), 0)));
    in.seekg(0);
    in.read(reinterpret_cast<char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
    if (!in) throw input_error(path, 0, "", "read error");
    return read_study_file(bytes, path);
}

void write_file_atomically(const std::string& path, const std::string& bytes) {
    const std::string tmp = path + ".tmp";
    {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
        out.flush();
        if (!out) throw std::runtime_error("cannot write " + tmp);
    }
    std::filesystem::rename(tmp, path);
}

} // namespace headroom::cli
