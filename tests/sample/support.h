// Shared by the sampler's tests: scratch directories, a tiny set of query files and a
// plan over them pointed at a loopback server.
#pragma once
#include "core/base/jsonl.h"

#include <filesystem>
#include <string>

namespace headroom::test {

// A fresh directory under the system's temp dir, removed when the object dies.
class scratch_dir {
public:
    explicit scratch_dir(const std::string& name);
    ~scratch_dir();
    const std::filesystem::path& path() const { return path_; }
    std::string operator/(const std::string& child) const { return (path_ / child).string(); }

private:
    std::filesystem::path path_;
};

// benchmarks.jsonl and queries.jsonl in `dir`: mcq, numeric and open queries, two of
// them with identical text (they must stay two units).
void write_query_files(const std::filesystem::path& dir, int queries_per_benchmark);

// A plan over those files with two models at `url`; callers adjust the JSON.
json_value basic_plan(const std::string& url);
std::string write_plan(const std::filesystem::path& dir, const json_value& plan);

std::string read_file(const std::string& path);
// A table's text with every "latency_ms" and "latency_ms_per_token" value dropped:
// measured wall time is the one thing two runs cannot share.
std::string without_latency(const std::string& jsonl_text);

} // namespace headroom::test
