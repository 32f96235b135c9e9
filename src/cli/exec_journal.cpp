#include "cli/exec_journal.h"

#include "core/base/jsonl.h"

#include <cstdio>
#include <filesystem>
#include <sstream>
#include <stdexcept>

namespace headroom::cli {

namespace fs = std::filesystem;

namespace {

// SHA-256 (FIPS 180-4): a fingerprint a crafted program cannot collide with another's.
class sha256 {
public:
    void update(std::string_view data) {
        for (unsigned char c : data) {
            block_[used_++] = c;
            if (used_ == 64) compress(), used_ = 0;
        }
        bits_ += 8ull * data.size();
    }
    std::string hex() {
        const std::uint64_t bits = bits_;
        update(std::string_view("\x80", 1));
        while (used_ != 56) update(std::string_view("\0", 1));
        for (int i = 7; i >= 0; --i) block_[used_++] = static_cast<unsigned char>(bits >> (8 * i));
        compress();
        char out[65];
        for (int i = 0; i < 8; ++i) std::snprintf(out + 8 * i, 9, "%08x", static_cast<unsigned>(h_[i]));
        return std::string(out, 64);
    }

private:
    static std::uint32_t rotr(std::uint32_t x, int n) { return (x >> n) | (x << (32 - n)); }
    void compress() {
        static constexpr std::uint32_t k[64] = {
            0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
            0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
            0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
            0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
            0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
            0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
            0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
            0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};
        std::uint32_t w[64];
        for (int i = 0; i < 16; ++i)
            w[i] = std::uint32_t(block_[4 * i]) << 24 | std::uint32_t(block_[4 * i + 1]) << 16 |
                   std::uint32_t(block_[4 * i + 2]) << 8 | block_[4 * i + 3];
        for (int i = 16; i < 64; ++i) {
            const std::uint32_t s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >> 3);
            const std::uint32_t s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >> 10);
            w[i] = w[i - 16] + s0 + w[i - 7] + s1;
        }
        std::uint32_t a = h_[0], b = h_[1], c = h_[2], d = h_[3], e = h_[4], f = h_[5], g = h_[6], h = h_[7];
        for (int i = 0; i < 64; ++i) {
            const std::uint32_t t1 = h + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + k[i] + w[i];
            const std::uint32_t t2 = (rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
            h = g, g = f, f = e, e = d + t1, d = c, c = b, b = a, a = t1 + t2;
        }
        const std::uint32_t add[8] = {a, b, c, d, e, f, g, h};
        for (int i = 0; i < 8; ++i) h_[i] += add[i];
    }
    std::uint32_t h_[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                           0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
    unsigned char block_[64] = {};
    std::size_t used_ = 0;
    std::uint64_t bits_ = 0;
};

} // namespace

std::string program_fingerprint(std::string_view program, std::string_view tests) {
    // The program's length goes first, so no split of the same bytes collides.
    sha256 hash;
    hash.update(std::to_string(program.size()) + ":");
    hash.update(program);
    hash.update(tests);
    return hash.hex();
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
            r.allow_only({"generation", "grader", "program", "status", "detail", "rule"});
            journal_entry e{r.str("generation"), r.str("grader"), r.str("program"), {}};
            const std::string status = r.str("status");
            const auto parsed = parse_grade_status(status);
            if (!parsed) r.fail("status", "unknown grade status '" + status + "'");
            e.outcome = {*parsed, r.str_or("detail", ""), r.str_or("rule", "")};
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
        if (!e.outcome.rule.empty()) row["rule"] = e.outcome.rule;
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
