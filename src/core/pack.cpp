#include "pack.h"

#include "jsonl.h"

#include <bit>
#include <cstring>
#include <unordered_map>

namespace headroom {
namespace {

constexpr char magic[8] = {'H', 'D', 'R', 'M', 'P', 'A', 'C', 'K'};

class writer {
public:
    void u8(std::uint8_t v) { out.push_back(v); }
    void u16(std::uint16_t v) { put(v, 2); }
    void u32(std::uint32_t v) { put(v, 4); }
    void u64(std::uint64_t v) { put(v, 8); }
    void f64(double v) { u64(std::bit_cast<std::uint64_t>(v)); }
    void str(std::string_view s) {
        u32(static_cast<std::uint32_t>(s.size()));
        out.insert(out.end(), s.begin(), s.end());
    }
    template <class T, class F>
    void column(const std::vector<T>& values, F each) {
        u32(static_cast<std::uint32_t>(values.size()));
        for (const auto& v : values) each(v);
    }
    std::vector<std::uint8_t> out;

private:
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
    double f64() { return std::bit_cast<double>(u64()); }
    std::string str() {
        const std::uint32_t n = u32();
        need(n);
        std::string s(reinterpret_cast<const char*>(in_.data() + pos_), n);
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
    void expect(std::uint32_t n, std::size_t want) {
        if (n != want) fail("column has " + std::to_string(n) + " rows, expected " + std::to_string(want));
    }
    bool at_end() const { return pos_ == in_.size(); }
    [[noreturn]] void fail(const std::string& message) const { throw input_error(name_, 0, section_, message); }

private:
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

} // namespace

std::vector<std::uint8_t> pack_study(const study& s, const pack_options& options) {
    writer w;
    w.out.insert(w.out.end(), magic, magic + 8);
    w.u32(pack_version);
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
        w.str(q.gold); w.str(q.tests); w.str(q.latent);
    });
    w.column(s.models, [&](const model& m) {
        w.str(m.id); w.str(m.family); w.u32(static_cast<std::uint32_t>(m.tier));
        w.f64(m.price_input_per_mtok); w.f64(m.price_output_per_mtok); w.f64(m.latency_ms_per_token);
    });
    // A sample that fits every budget has the same text under each: store texts once.
    const auto& g = s.generations;
    std::unordered_map<std::string_view, std::uint32_t> text_ids;
    std::vector<std::uint32_t> text_of(g.size());
    std::vector<std::string_view> texts;
    for (std::size_t i = 0; i < g.size(); ++i) {
        const std::string_view text = options.texts ? g.text[i] : std::string_view();
        auto [it, added] = text_ids.emplace(text, static_cast<std::uint32_t>(texts.size()));
        if (added) texts.push_back(text);
        text_of[i] = it->second;
    }
    w.column(texts, [&](std::string_view t) { w.str(t); });
    w.u32(static_cast<std::uint32_t>(g.size()));
    for (std::size_t i = 0; i < g.size(); ++i) {
        w.str(g.id[i]); w.u32(g.query[i]); w.u16(g.model[i]); w.u32(g.budget[i]); w.u16(g.sample[i]);
        w.u8(static_cast<std::uint8_t>(g.finish[i])); w.u32(g.input_tokens[i]); w.u32(g.output_tokens[i]);
        w.f64(g.latency_ms[i]); w.u32(text_of[i]);
    }
    const auto& j = s.judgments;
    w.column(j.judges, [&](const std::string& name) { w.str(name); });
    w.u32(static_cast<std::uint32_t>(j.size()));
    for (std::size_t i = 0; i < j.size(); ++i) {
        w.u32(j.generation[i]); w.u16(j.judge[i]); w.u8(static_cast<std::uint8_t>(j.scale[i]));
        w.str(options.texts ? j.reply[i] : std::string_view());
    }
    const auto& t = s.grades;
    w.column(t.graders, [&](const std::string& name) { w.str(name); });
    w.column(t.rules, [&](const std::string& name) { w.str(name); });
    w.u32(static_cast<std::uint32_t>(t.size()));
    for (std::size_t i = 0; i < t.size(); ++i) {
        w.u32(t.generation[i]); w.u16(t.grader[i]); w.u8(static_cast<std::uint8_t>(t.status[i]));
        w.f64(t.score[i]); w.u16(t.rule[i]); w.str(t.answer[i]); w.str(t.detail[i]);
    }
    return std::move(w.out);
}

study unpack_study(std::span<const std::uint8_t> bytes, const std::string& name) {
    reader r(bytes, name);
    if (bytes.size() < 12 || std::memcmp(bytes.data(), magic, 8) != 0)
        r.fail("not a Headroom pack (the file does not start with HDRMPACK)");
    for (int i = 0; i < 8; ++i) r.u8();
    const std::uint32_t version = r.u32();
    if (version != pack_version)
        r.fail("unsupported pack version " + std::to_string(version) + " (this build reads " +
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
        s.queries.push_back(std::move(q));
    }
    r.section("models");
    for (std::uint32_t n = r.count(36); n--;) {
        model m;
        m.id = r.str();
        m.family = r.str();
        m.tier = static_cast<int>(r.u32());
        m.price_input_per_mtok = r.f64();
        m.price_output_per_mtok = r.f64();
        m.latency_ms_per_token = r.f64();
        s.models.push_back(std::move(m));
    }
    r.section("generations");
    auto& g = s.generations;
    std::vector<std::string> texts;
    for (std::uint32_t n = r.count(4); n--;) texts.push_back(r.str());
    for (std::uint32_t n = r.count(37); n--;) {
        g.id.push_back(r.str());
        g.query.push_back(r.u32());
        g.model.push_back(r.u16());
        if (g.query.back() >= s.queries.size() || g.model.back() >= s.models.size())
            r.fail("generation '" + g.id.back() + "' names a missing query or model");
        g.budget.push_back(r.u32());
        g.sample.push_back(r.u16());
        const std::uint8_t finish = r.u8();
        if (finish > 1) r.fail("bad finish reason");
        g.finish.push_back(static_cast<finish_reason>(finish));
        g.input_tokens.push_back(r.u32());
        g.output_tokens.push_back(r.u32());
        g.latency_ms.push_back(r.f64());
        const std::uint32_t text = r.u32();
        if (text >= texts.size()) r.fail("generation '" + g.id.back() + "' names a missing text");
        g.text.push_back(texts[text]);
    }
    r.section("judgments");
    auto& j = s.judgments;
    for (std::uint32_t n = r.count(4); n--;) j.judges.push_back(r.str());
    for (std::uint32_t n = r.count(11); n--;) {
        j.generation.push_back(r.u32());
        j.judge.push_back(r.u16());
        const std::uint8_t scale = r.u8();
        if (j.generation.back() >= g.size() || j.judge.back() >= j.judges.size() || scale > 1)
            r.fail("judgment row " + std::to_string(j.size() - 1) + " is out of range");
        j.scale.push_back(static_cast<judge_scale>(scale));
        j.reply.push_back(r.str());
    }
    r.section("grades");
    auto& t = s.grades;
    for (std::uint32_t n = r.count(4); n--;) t.graders.push_back(r.str());
    for (std::uint32_t n = r.count(4); n--;) t.rules.push_back(r.str());
    for (std::uint32_t n = r.count(25); n--;) {
        t.generation.push_back(r.u32());
        t.grader.push_back(r.u16());
        const std::uint8_t status = r.u8();
        t.status.push_back(static_cast<grade_status>(status));
        t.score.push_back(static_cast<float>(r.f64()));
        t.rule.push_back(r.u16());
        if (t.generation.back() >= g.size() || t.grader.back() >= t.graders.size() || t.rule.back() >= t.rules.size() ||
            status > static_cast<std::uint8_t>(grade_status::sandbox_error))
            r.fail("grade row " + std::to_string(t.size() - 1) + " is out of range");
        t.answer.push_back(r.str());
        t.detail.push_back(r.str());
    }
    if (!r.at_end()) r.fail("unexpected bytes after the last table");
    return s;
}

} // namespace headroom
