#include "core/io/pack.h"

#include "core/base/jsonl.h"
#include "core/io/validate.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <unordered_map>

namespace headroom {
namespace {

// std::bit_cast is missing from Emscripten 3.1.6's libc++; memcpy is the portable spelling.
template <class To, class From>
To bits_of(From from) {
    static_assert(sizeof(To) == sizeof(From));
    To to;
    std::memcpy(&to, &from, sizeof to);
    return to;
}

constexpr char magic[8] = {'H', 'D', 'R', 'M', 'P', 'A', 'C', 'K'};

class writer {
public:
    void u8(std::uint8_t v) { out.push_back(v); }
    void u16(std::uint16_t v) { put(v, 2); }
    void u32(std::uint32_t v) { put(v, 4); }
    void u64(std::uint64_t v) { put(v, 8); }
    void f64(double v) { u64(bits_of<std::uint64_t>(v)); }
    void str(std::string_view s) {
        u32(static_cast<std::uint32_t>(s.size()));
        out.insert(out.end(), s.begin(), s.end());
    }
    // A column of unsigned integers in the narrowest width that holds them, stored as
    // differences from the previous value when that is narrower (sorted ids, runs).
    // One leading byte says which: width in bytes (1, 2, 4, 8), plus 0x80 for deltas.
    template <class T>
    void values(const std::vector<T>& column) {
        std::uint64_t most = 0, most_delta = 0, previous = 0;
        for (T v : column) {
            const auto u = static_cast<std::uint64_t>(v);
            most = std::max(most, u);
            most_delta = std::max(most_delta, zigzag(u - previous));
            previous = u;
        }
        const bool delta = width_of(most_delta) < width_of(most);
        const int width = width_of(delta ? most_delta : most);
        u8(static_cast<std::uint8_t>(width | (delta ? 0x80 : 0)));
        previous = 0;
        for (T v : column) {
            const auto u = static_cast<std::uint64_t>(v);
            put(delta ? zigzag(u - previous) : u, width);
            previous = u;
        }
    }
    template <class T, class F>
    void column(const std::vector<T>& values, F each) {
        u32(static_cast<std::uint32_t>(values.size()));
        for (const auto& v : values) each(v);
    }
    std::vector<std::uint8_t> out;

private:
    // Signed differences as small unsigned numbers: 0, -1, 1, -2, ... -> 0, 1, 2, 3, ...
    static std::uint64_t zigzag(std::uint64_t difference) {
        const auto d = static_cast<std::int64_t>(difference);
        return (static_cast<std::uint64_t>(d) << 1) ^ static_cast<std::uint64_t>(d >> 63);
    }
    static int width_of(std::uint64_t most) {
        return most <= 0xff ? 1 : most <= 0xffff ? 2 : most <= 0xffffffffu ? 4 : 8;
    }
    void put(std::uint64_t v, int bytes) {
        for (int i = 0; i < bytes; ++i) out.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
    }
};

class reader {
public:
    reader(std::span<const std::uint8_t> bytes, const std::string& name) : in_(bytes), name_(name) {}
    void section(const char* what) { section_ = what; }
    std::uint8_t u8() { return static_cast<std::uint8_t>(get(1)); }
    std::uint16_t u16() { return static_cast<std::uint16_t>(get(2)); }
    std::uint32_t u32() { return static_cast<std::uint32_t>(get(4)); }
    std::uint64_t u64() { return get(8); }
    double f64() { return bits_of<double>(u64()); }
    std::string str() { return std::string(view()); }
    // The bytes of a string in place: valid as long as the pack's bytes are.
    std::string_view view() {
        const std::uint32_t n = u32();
        need(n);
        std::string_view s(reinterpret_cast<const char*>(in_.data() + pos_), n);
        pos_ += n;
        return s;
    }
    // A count of items, each at least `min_bytes` long: refuses counts the rest of the file cannot hold.
    std::uint32_t count(std::size_t min_bytes) {
        const std::uint32_t n = u32();
        if (min_bytes && static_cast<std::uint64_t>(n) * min_bytes > in_.size() - pos_)
            fail("count " + std::to_string(n) + " exceeds the file");
        return n;
    }
    // Reads what writer::values wrote; refuses values that do not fit T.
    template <class T>
    void values(std::vector<T>& column, std::uint32_t n) {
        const std::uint8_t mode = u8();
        const int width = mode & 0x7f;
        const bool delta = (mode & 0x80) != 0;
        if (width != 1 && width != 2 && width != 4 && width != 8) fail("bad column encoding " + std::to_string(mode));
        // In 64 bits: on wasm32 a size_t product of a forged count could wrap past the check.
        const std::uint64_t wide = static_cast<std::uint64_t>(n) * static_cast<std::uint64_t>(width);
        if (wide > in_.size() - pos_) fail("truncated pack (file ends early)");
        const auto bytes = static_cast<std::size_t>(wide);
        const std::size_t start = column.size();
        column.resize(start + n);
        const std::uint8_t* p = in_.data() + pos_;
        T* out = column.data() + start;
        // One loop per width: a pack's columns hold millions of rows, and the browser
        // unpacks them before the first frame.
        std::uint64_t largest = 0;
        switch (width) {
        case 1: largest = decode<1>(p, n, delta, out); break;
        case 2: largest = decode<2>(p, n, delta, out); break;
        case 4: largest = decode<4>(p, n, delta, out); break;
        default: largest = decode<8>(p, n, delta, out); break;
        }
        if (largest > std::numeric_limits<T>::max()) fail("value " + std::to_string(largest) + " out of range");
        pos_ += bytes;
    }
    bool at_end() const { return pos_ == in_.size(); }
    [[noreturn]] void fail(const std::string& message) const { throw input_error(name_, 0, section_, message); }

private:
    // Little-endian values of `Width` bytes, zigzag deltas undone; returns the largest.
    template <int Width, class T>
    static std::uint64_t decode(const std::uint8_t* p, std::uint32_t n, bool delta, T* out) {
        std::uint64_t previous = 0, largest = 0;
        for (std::uint32_t i = 0; i < n; ++i, p += Width) {
            std::uint64_t u = 0;
            for (int b = 0; b < Width; ++b) u |= static_cast<std::uint64_t>(p[b]) << (8 * b);
            if (delta) u = previous + ((u >> 1) ^ (0 - (u & 1)));
            previous = u;
            largest = std::max(largest, u);
            out[i] = static_cast<T>(u);
        }
        return largest;
    }
    void need(std::size_t n) const {
        if (in_.size() - pos_ < n) fail("truncated pack (file ends early)");
    }
    std::uint64_t get(int bytes) {
        need(static_cast<std::size_t>(bytes));
        std::uint64_t v = 0;
        for (int i = 0; i < bytes; ++i) v |= static_cast<std::uint64_t>(in_[pos_ + static_cast<std::size_t>(i)]) << (8 * i);
        pos_ += static_cast<std::size_t>(bytes);
        return v;
    }
    std::span<const std::uint8_t> in_;
    std::string name_;
    const char* section_ = "header";
    std::size_t pos_ = 0;
};

template <class E>
std::vector<std::uint8_t> as_bytes(const std::vector<E>& column) {
    std::vector<std::uint8_t> out;
    out.reserve(column.size());
    for (E e : column) out.push_back(static_cast<std::uint8_t>(e));
    return out;
}

// A column of numbers: as integers when every value is a whole number that fits
// (scores, whole-millisecond latencies), else as 8-byte floats. One flag byte first.
template <class F>
void numbers(writer& w, const std::vector<F>& column) {
    bool whole = true;
    for (F v : column) whole = whole && v >= 0 && v <= 4294967295.0 && v == static_cast<F>(static_cast<std::uint64_t>(v));
    w.u8(whole ? 1 : 0);
    if (!whole) {
        for (F v : column) w.f64(static_cast<double>(v));
        return;
    }
    std::vector<std::uint32_t> ints;
    ints.reserve(column.size());
    for (F v : column) ints.push_back(static_cast<std::uint32_t>(v));
    w.values(ints);
}

template <class F>
void read_numbers(reader& r, std::vector<F>& column, std::uint32_t n) {
    column.reserve(column.size() + n);
    if (r.u8() == 0) {
        for (std::uint32_t i = 0; i < n; ++i) column.push_back(static_cast<F>(r.f64()));
        return;
    }
    std::vector<std::uint32_t> ints;
    r.values(ints, n);
    for (auto v : ints) column.push_back(static_cast<F>(v));
}

// Small enums, checked against their last value.
template <class E>
void read_enums(reader& r, std::vector<E>& column, std::uint32_t n, E last, const char* what) {
    std::vector<std::uint8_t> raw;
    r.values(raw, n);
    column.reserve(column.size() + raw.size());
    for (std::size_t i = 0; i < raw.size(); ++i) {
        if (raw[i] > static_cast<std::uint8_t>(last)) r.fail(std::string("bad ") + what + " in row " + std::to_string(i));
        column.push_back(static_cast<E>(raw[i]));
    }
}

// Distinct strings once, then an index per row.
class string_table {
public:
    void add(std::string_view text) {
        auto [it, added] = ids_.emplace(text, static_cast<std::uint32_t>(distinct_.size()));
        if (added) distinct_.push_back(text);
        rows_.push_back(it->second);
    }
    void write(writer& w) const {
        w.column(distinct_, [&](std::string_view t) { w.str(t); });
        w.values(rows_);
    }

private:
    std::unordered_map<std::string_view, std::uint32_t> ids_;
    std::vector<std::string_view> distinct_;
    std::vector<std::uint32_t> rows_;
};

// Fills a text column; each distinct string is copied once and shared by its rows, so
// memory follows the pack's size however many rows point at one string.
void read_strings(reader& r, std::uint32_t rows, text_column& column) {
    std::vector<std::string_view> distinct;
    for (std::uint32_t k = r.count(4); k--;) distinct.push_back(r.view());
    std::vector<std::uint32_t> ids;
    r.values(ids, rows);
    constexpr std::uint32_t unseen = 0xffffffffu;
    std::vector<std::uint32_t> first_row(distinct.size(), unseen);
    std::size_t chars = 0;
    for (std::uint32_t id : ids) {
        if (id >= distinct.size()) r.fail("string index " + std::to_string(id) + " out of range");
        if (first_row[id] == unseen) {
            first_row[id] = 0;
            chars += distinct[id].size();
        }
    }
    column.reserve(rows, chars);
    std::fill(first_row.begin(), first_row.end(), unseen);
    for (std::uint32_t row = 0; row < rows; ++row) {
        std::uint32_t& first = first_row[ids[row]];
        if (first == unseen) {
            first = static_cast<std::uint32_t>(column.size());
            column.push_back(distinct[ids[row]]);
        } else {
            column.repeat(first);
        }
    }
}

} // namespace

bool is_pack(std::span<const std::uint8_t> bytes) {
    return bytes.size() >= sizeof magic && std::memcmp(bytes.data(), magic, sizeof magic) == 0;
}

std::vector<std::uint8_t> pack_study(const study& s, const pack_options& options) {
    writer w;
    w.out.insert(w.out.end(), magic, magic + 8);
    // The oldest version that holds the study, so packs without embeddings stay as
    // they were (the shipped ones are checked byte for byte).
    const std::uint32_t version = s.needed_schema_version() >= 2 ? pack_version : s.embeddings.empty() ? 4 : 5;
    w.u32(version);
    w.str(s.info.name);
    w.str(s.info.description);
    w.u8(s.info.simulated ? 1 : 0);
    w.str(s.info.provenance);
    w.u8(options.texts ? 1 : 0);

    w.column(s.benchmarks, [&](const benchmark& b) {
        w.str(b.id); w.u8(static_cast<std::uint8_t>(b.kind)); w.str(b.mirrors); w.str(b.description);
    });
    w.column(s.queries, [&](const query& q) {
        w.str(q.id); w.u32(q.benchmark); w.str(q.subject); w.str(q.text);
        w.column(q.options, [&](const std::string& o) { w.str(o); });
        w.str(q.gold); w.str(q.tests); w.str(q.latent); w.u8(static_cast<std::uint8_t>(q.split));
    });
    w.column(s.models, [&](const model& m) {
        w.str(m.id); w.str(m.family); w.u32(static_cast<std::uint32_t>(m.tier));
        w.f64(m.price_input_per_mtok); w.f64(m.price_output_per_mtok); w.f64(m.latency_ms_per_token);
        if (version >= 6) { w.str(m.price_source); w.str(m.price_date); }
    });
    // Columns, not rows: a column of small integers compresses far better over HTTP.
    const auto& g = s.generations;
    const std::size_t n = g.size();
    w.u32(static_cast<std::uint32_t>(n));
    bool canonical = true;
    for (std::size_t i = 0; i < n && canonical; ++i)
        canonical = g.id[i] == canonical_generation_id(s.queries[g.query[i]].id, s.models[g.model[i]].id, g.budget[i],
                                                        g.sample[i]);
    w.u8(canonical ? 1 : 0);
    if (!canonical) for (const auto& id : g.id) w.str(id);
    w.values(g.query);
    w.values(g.model);
    w.values(g.budget);
    w.values(g.sample);
    w.values(as_bytes(g.finish));
    w.values(g.input_tokens);
    w.values(g.output_tokens);
    numbers(w, g.latency_ms);
    if (version >= 6) {
        w.u8(g.cost_usd.empty() ? 0 : 1);
        if (!g.cost_usd.empty()) numbers(w, g.cost_usd);
    }
    // A sample that fits every budget has the same text under each: texts go in a table.
    string_table texts;
    for (std::size_t i = 0; i < n; ++i) texts.add(options.texts ? g.text[i] : std::string_view());
    texts.write(w);

    const auto& j = s.judgments;
    w.column(j.judges, [&](const std::string& name) { w.str(name); });
    w.u32(static_cast<std::uint32_t>(j.size()));
    w.values(j.generation);
    w.values(j.judge);
    w.values(as_bytes(j.scale));
    string_table replies;
    for (std::size_t i = 0; i < j.size(); ++i) replies.add(options.texts ? j.reply[i] : std::string_view());
    replies.write(w);

    const auto& t = s.grades;
    w.column(t.graders, [&](const std::string& name) { w.str(name); });
    w.column(t.rules, [&](const std::string& name) { w.str(name); });
    w.u32(static_cast<std::uint32_t>(t.size()));
    w.values(t.generation);
    w.values(t.grader);
    w.values(as_bytes(t.status));
    numbers(w, t.score);
    w.values(t.rule);
    string_table answers, details;
    for (std::size_t i = 0; i < t.size(); ++i) {
        answers.add(t.answer[i]);
        details.add(t.detail[i]);
    }
    answers.write(w);
    details.write(w);
    if (version >= 6) w.u8(s.embeddings.empty() ? 0 : 1);
    if (!s.embeddings.empty()) {
        w.str(s.embeddings.embedder);
        w.u32(static_cast<std::uint32_t>(s.embeddings.dimensions));
        for (float v : s.embeddings.values) w.u32(bits_of<std::uint32_t>(v));
    }
    return std::move(w.out);
}

study unpack_study(std::span<const std::uint8_t> bytes, const std::string& name) {
    reader r(bytes, name);
    if (!is_pack(bytes)) r.fail("not a Headroom pack (the file does not start with HDRMPACK)");
    if (bytes.size() < 12) r.fail("truncated pack (" + std::to_string(bytes.size()) + " bytes: HDRMPACK, then no version)");
    for (int i = 0; i < 8; ++i) r.u8();
    const std::uint32_t version = r.u32();
    if (version < 3 || version > pack_version)
        r.fail("unsupported pack version " + std::to_string(version) + " (this build reads 3 to " +
               std::to_string(pack_version) + ")");
    study s;
    r.section("study");
    s.info.name = r.str();
    s.info.description = r.str();
    s.info.simulated = r.u8() != 0;
    s.info.provenance = r.str();
    s.info.texts_omitted = r.u8() == 0;

    r.section("benchmarks");
    for (std::uint32_t n = r.count(9); n--;) {
        benchmark b;
        b.id = r.str();
        const std::uint8_t kind = r.u8();
        if (kind > static_cast<std::uint8_t>(task_kind::open)) r.fail("bad task kind " + std::to_string(kind));
        b.kind = static_cast<task_kind>(kind);
        b.mirrors = r.str();
        b.description = r.str();
        s.benchmarks.push_back(std::move(b));
    }
    r.section("queries");
    for (std::uint32_t n = r.count(32); n--;) {
        query q;
        q.id = r.str();
        q.benchmark = r.u32();
        if (q.benchmark >= s.benchmarks.size()) r.fail("query '" + q.id + "' names a missing benchmark");
        q.subject = r.str();
        q.text = r.str();
        for (std::uint32_t k = r.count(4); k--;) q.options.push_back(r.str());
        q.gold = r.str();
        q.tests = r.str();
        q.latent = r.str();
        if (version >= 4) {  // version 3 packs predate published splits
            const std::uint8_t side = r.u8();
            if (side > static_cast<std::uint8_t>(split_side::test)) r.fail("query '" + q.id + "' has a bad split");
            q.split = static_cast<split_side>(side);
        }
        s.queries.push_back(std::move(q));
    }
    r.section("models");
    const std::uint32_t model_count = r.count(36);
    if (model_count > 65535) r.fail("too many models (" + std::to_string(model_count) + "; at most 65535)");
    for (std::uint32_t n = model_count; n--;) {
        model m;
        m.id = r.str();
        m.family = r.str();
        m.tier = static_cast<int>(r.u32());
        m.price_input_per_mtok = r.f64();
        m.price_output_per_mtok = r.f64();
        m.latency_ms_per_token = r.f64();
        if (version >= 6) {  // version 6 adds where prices come from and measured costs
            m.price_source = r.str();
            m.price_date = r.str();
        }
        s.models.push_back(std::move(m));
    }
    r.section("generations");
    auto& g = s.generations;
    const std::uint32_t n = r.count(8);
    const bool canonical = r.u8() != 0;
    g.id.reserve(n);
    if (!canonical) for (std::uint32_t i = 0; i < n; ++i) g.id.push_back(r.str());
    r.values(g.query, n);
    r.values(g.model, n);
    r.values(g.budget, n);
    r.values(g.sample, n);
    read_enums(r, g.finish, n, version >= 6 ? finish_reason::unknown : finish_reason::content_filter, "finish reason");
    r.values(g.input_tokens, n);
    r.values(g.output_tokens, n);
    read_numbers(r, g.latency_ms, n);
    if (version >= 6 && r.u8() != 0) read_numbers(r, g.cost_usd, n);
    for (std::uint32_t i = 0; i < n; ++i) {
        if (g.query[i] >= s.queries.size() || g.model[i] >= s.models.size())
            r.fail("generation row " + std::to_string(i) + " names a missing query or model");
        if (canonical)
            g.id.push_back(canonical_generation_id(s.queries[g.query[i]].id, s.models[g.model[i]].id, g.budget[i],
                                                   g.sample[i]));
    }
    read_strings(r, n, g.text);

    r.section("judgments");
    auto& j = s.judgments;
    for (std::uint32_t k = r.count(4); k--;) j.judges.push_back(r.str());
    const std::uint32_t nj = r.count(3);
    r.values(j.generation, nj);
    r.values(j.judge, nj);
    read_enums(r, j.scale, nj, judge_scale::ten, "judge scale");
    for (std::uint32_t i = 0; i < nj; ++i)
        if (j.generation[i] >= n || j.judge[i] >= j.judges.size())
            r.fail("judgment row " + std::to_string(i) + " is out of range");
    read_strings(r, nj, j.reply);

    r.section("grades");
    auto& t = s.grades;
    for (std::uint32_t k = r.count(4); k--;) t.graders.push_back(r.str());
    for (std::uint32_t k = r.count(4); k--;) t.rules.push_back(r.str());
    const std::uint32_t nt = r.count(7);
    r.values(t.generation, nt);
    r.values(t.grader, nt);
    read_enums(r, t.status, nt, version >= 6 ? grade_status::missing : grade_status::sandbox_error, "grade status");
    read_numbers(r, t.score, nt);
    r.values(t.rule, nt);
    for (std::uint32_t i = 0; i < nt; ++i)
        if (t.generation[i] >= n || t.grader[i] >= t.graders.size() || t.rule[i] >= t.rules.size())
            r.fail("grade row " + std::to_string(i) + " is out of range");
    read_strings(r, nt, t.answer);
    read_strings(r, nt, t.detail);
    // Version 5 is version 4 with query embeddings; version 6 says whether it has them.
    if (version == 5 || (version >= 6 && r.u8() != 0)) {
        r.section("embeddings");
        auto& e = s.embeddings;
        e.embedder = r.str();
        if (e.embedder.empty()) r.fail("embeddings without an embedder's name");
        e.dimensions = r.u32();
        if (e.dimensions == 0 || e.dimensions > 65536) r.fail("bad embedding length " + std::to_string(e.dimensions));
        const std::uint64_t count = static_cast<std::uint64_t>(e.dimensions) * s.queries.size();
        if (count * 4 > bytes.size()) r.fail("embeddings exceed the file");
        e.values.resize(static_cast<std::size_t>(count));
        for (auto& v : e.values) {
            v = bits_of<float>(r.u32());
            if (!std::isfinite(v)) r.fail("an embedding value is not finite");
        }
    }
    if (!r.at_end()) r.fail("unexpected bytes after the last table");
    validate_study(s, {[&](const char*) { return name; }, false});
    s.info.schema_version = s.needed_schema_version();
    return s;
}

} // namespace headroom
