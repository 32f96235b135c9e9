#include "cli/exec_journal.h"

#include "core/base/jsonl.h"

#include <cstdio>
#include <filesystem>
#include <sstream>
#include <stdexcept>

namespace headroom::cli {

namespace fs = std::filesystem;

std::string program_fingerprint(std::string_view program, std::string_view tests) {
    std::uint64_t hash = 14695981039346656037ull;
    auto mix = [&](std::string_view text) {
        for (unsigned char c : text) {
            hash ^= c;
            hash *= 1099511628211ull;
        }
    };
    mix(program);
    mix(std::string_view("\0", 1));
    mix(tests);
    char hex[17];
    std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(hash));
    return hex;
}

namespace {
std::string key_of(const std::string& generation, const std::string& grader) { return generation + '\n' + grader; }
} // namespace

exec_journal::exec_journal(std::string path) : path_(std::move(path)) {
    if (fs::exists(path_)) {
        std::string text;
        {
            std::ifstream in(path_, std::ios::binary);
            if (!in) throw input_error(path_, 0, "", "cannot open file");
            std::stringstream buffer;
            buffer << in.rdbuf();
            text = buffer.str();
        }
        // A kill can cut the last line short: everything after the last newline goes.
        const std::size_t complete = text.rfind('\n') == std::string::npos ? 0 : text.rfind('\n') + 1;
        if (complete < text.size()) fs::resize_file(path_, complete);
        read_jsonl_text(std::string_view(text).substr(0, complete), path_, [&](const record& r) {
            r.allow_only({"generation", "grader", "program", "status", "detail"});
            journal_entry e{r.str("generation"), r.str("grader"), r.str("program"), {}};
            const std::string status = r.str("status");
            const auto parsed = parse_grade_status(status);
            if (!parsed) r.fail("status", "unknown grade status '" + status + "'");
            e.outcome = {*parsed, r.str_or("detail", "")};
            entries_[key_of(e.generation, e.grader)] = std::move(e);
        });
    }
    out_.open(path_, std::ios::binary | std::ios::app);
    if (!out_) throw std::runtime_error("cannot write " + path_);
}

const exec_outcome* exec_journal::find(const std::string& generation, const std::string& grader,
                                       const std::string& program) const {
    const auto it = entries_.find(key_of(generation, grader));
    if (it == entries_.end() || it->second.program != program) return nullptr;
    return &it->second.outcome;
}

void exec_journal::append(const std::vector<journal_entry>& entries) {
    std::string lines;
    for (const auto& e : entries) {
        json_value row{{"generation", e.generation}, {"grader", e.grader}, {"program", e.program},
                       {"status", to_string(e.outcome.status)}, {"detail", e.outcome.detail}};
        lines += row.dump() + "\n";
        entries_[key_of(e.generation, e.grader)] = e;
    }
    out_.write(lines.data(), static_cast<std::streamsize>(lines.size()));
    out_.flush();
    if (!out_) throw std::runtime_error("cannot write " + path_);
}

void exec_journal::remove() {
    out_.close();
    fs::remove(path_);
}

} // namespace headroom::cli
