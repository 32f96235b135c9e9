#include "sample/plan.h"

#include "core/base/jsonl.h"
#include "core/study/builder.h"

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

namespace headroom::sample {

namespace {

namespace fs = std::filesystem;

// A JSON value with its path in the plan, for errors that name the exact field.
class node {
public:
    node(const json_value& v, std::string path, const std::string& file) : v_(v), path_(std::move(path)), file_(file) {}

    [[noreturn]] void fail(const std::string& message) const { throw input_error(file_, 0, path_, message); }
    std::string child_path(const std::string& key) const { return path_.empty() ? key : path_ + "." + key; }

    bool has(const char* key) const { return v_.is_object() && v_.contains(key); }
    node at(const char* key) const {
        if (!has(key)) node(v_, child_path(key), file_).fail("is missing");
        return node(v_.at(key), child_path(key), file_);
    }
    std::vector<node> items() const {
        if (!v_.is_array()) fail("must be an array");
        std::vector<node> out;
        for (std::size_t i = 0; i < v_.size(); ++i) out.emplace_back(v_[i], path_ + "[" + std::to_string(i) + "]", file_);
        return out;
    }
    void object_with_only(std::initializer_list<const char*> keys) const {
        if (!v_.is_object()) fail("must be an object");
        for (const auto& [key, value] : v_.items()) {
            bool known = false;
            for (const char* k : keys) known = known || key == k;
            if (!known) node(value, child_path(key), file_).fail("is not a known field (misspelt?)");
        }
    }
    std::string str() const {
        if (!v_.is_string()) fail("must be a string");
        return v_.get<std::string>();
    }
    std::string nonempty_str() const {
        std::string s = str();
        if (s.empty()) fail("must not be empty");
        return s;
    }
    double number(double lo, double hi) const {
        if (!v_.is_number()) fail("must be a number");
        const double x = v_.get<double>();
        if (!std::isfinite(x) || x < lo || x > hi)
            fail("must be between " + fmt(lo) + " and " + fmt(hi) + ", not " + fmt(x));
        return x;
    }
    std::uint64_t integer(std::uint64_t lo, std::uint64_t hi) const {
        if (!v_.is_number_integer() || (v_.is_number_integer() && !v_.is_number_unsigned() && v_.get<std::int64_t>() < 0))
            fail("must be a non-negative integer");
        const auto x = v_.get<std::uint64_t>();
        if (x < lo || x > hi) fail("must be between " + std::to_string(lo) + " and " + std::to_string(hi));
        return x;
    }
    const json_value& raw() const { return v_; }

private:
    static std::string fmt(double x) {
        std::ostringstream s;
        s << x;
        return s.str();
    }
    const json_value& v_;
    std::string path_;
    const std::string& file_;
};

std::string resolve(const std::string& base_dir, const std::string& path) {
    const fs::path p(path);
    return p.is_absolute() ? path : (fs::path(base_dir) / p).string();
}

endpoint_spec parse_endpoint(const node& n) {
    endpoint_spec e;
    e.url = n.at("endpoint").nonempty_str();
    if (e.url.rfind("http://", 0) != 0 && e.url.rfind("https://", 0) != 0)
        n.at("endpoint").fail("must start with http:// or https://, not '" + e.url + "'");
    while (!e.url.empty() && e.url.back() == '/') e.url.pop_back();
    e.served_model = n.at("model").nonempty_str();
    if (n.has("api_key_env")) {
        const node key = n.at("api_key_env");
        e.api_key_env = key.nonempty_str();
        if (!std::getenv(e.api_key_env.c_str()))
            key.fail("names the environment variable " + e.api_key_env + ", which is not set");
    }
    if (n.has("max_concurrency")) e.max_concurrency = n.at("max_concurrency").integer(1, 4096);
    if (n.has("requests_per_minute")) e.requests_per_minute = n.at("requests_per_minute").number(0, 1e9);
    if (n.has("tokens_per_minute")) e.tokens_per_minute = n.at("tokens_per_minute").number(0, 1e12);
    return e;
}

constexpr std::initializer_list<const char*> endpoint_fields = {"endpoint", "model", "api_key_env", "max_concurrency",
                                                                "requests_per_minute", "tokens_per_minute"};

std::uint64_t fnv1a(std::string_view text) {
    std::uint64_t h = 1469598103934665603ull;
    for (unsigned char c : text) h = (h ^ c) * 1099511628211ull;
    return h;
}

} // namespace

plan parse_plan(const std::string& text, const std::string& file, const std::string& base_dir) {
    const json_value value = parse_json_bounded(text, file, 1);
    const node root(value, "", file);
    root.object_with_only({"name", "description", "benchmarks", "models", "budgets", "samples", "temperature",
                           "top_p", "seed", "templates", "judges", "retry"});
    plan p;
    p.file = file;
    p.name = root.at("name").nonempty_str();
    if (root.has("description")) p.description = root.at("description").str();

    const auto sources = root.at("benchmarks").items();
    if (sources.empty()) root.at("benchmarks").fail("must list at least one query file");
    for (const auto& s : sources) {
        s.object_with_only({"benchmarks", "queries"});
        p.sources.push_back({resolve(base_dir, s.at("benchmarks").nonempty_str()),
                             resolve(base_dir, s.at("queries").nonempty_str())});
        for (const char* key : {"benchmarks", "queries"}) {
            const std::string& path = key[0] == 'b' ? p.sources.back().benchmarks : p.sources.back().queries;
            if (!fs::is_regular_file(path)) s.at(key).fail("file not found: " + path);
        }
    }

    const auto models = root.at("models").items();
    if (models.empty()) root.at("models").fail("must list at least one model");
    std::set<std::string> model_ids;
    for (const auto& m : models) {
        std::vector<const char*> allowed(endpoint_fields);
        for (const char* k : {"id", "family", "tier", "price_input_per_mtok", "price_output_per_mtok",
                              "latency_ms_per_token", "n"})
            allowed.push_back(k);
        if (!m.raw().is_object()) m.fail("must be an object");
        for (const auto& [key, v] : m.raw().items()) {
            bool known = false;
            for (const char* k : allowed) known = known || key == k;
            if (!known) m.at(key.c_str()).fail("is not a known field (misspelt?)");
        }
        model_spec spec;
        spec.info.id = m.at("id").nonempty_str();
        if (!model_ids.insert(spec.info.id).second) m.at("id").fail("duplicate model id '" + spec.info.id + "'");
        if (m.has("family")) spec.info.family = m.at("family").str();
        if (m.has("tier")) spec.info.tier = static_cast<int>(m.at("tier").integer(0, 1000));
        spec.info.price_input_per_mtok = m.at("price_input_per_mtok").number(0, 1e6);
        spec.info.price_output_per_mtok = m.at("price_output_per_mtok").number(0, 1e6);
        if (m.has("latency_ms_per_token")) {
            spec.info.latency_ms_per_token = m.at("latency_ms_per_token").number(0, 1e6);
            spec.latency_given = true;
        }
        if (m.has("n")) {
            const std::string mode = m.at("n").str();
            if (mode == "auto") spec.n = n_mode::automatic;
            else if (mode == "single") spec.n = n_mode::single;
            else m.at("n").fail("must be \"auto\" or \"single\", not '" + mode + "'");
        }
        spec.endpoint = parse_endpoint(m);
        p.models.push_back(std::move(spec));
    }
    if (p.models.size() > 65535) root.at("models").fail("too many models (at most 65535)");

    const auto budgets = root.at("budgets").items();
    if (budgets.empty()) root.at("budgets").fail("must list at least one budget");
    std::set<std::uint32_t> seen;
    for (const auto& b : budgets) {
        const auto budget = static_cast<std::uint32_t>(b.integer(1, 1u << 20));
        if (!seen.insert(budget).second) b.fail("duplicate budget " + std::to_string(budget));
        p.budgets.push_back(budget);
    }
    p.samples = static_cast<std::uint16_t>(root.at("samples").integer(1, 1000));
    p.temperature = root.at("temperature").number(0, 2);
    if (root.has("top_p")) p.top_p = root.at("top_p").number(0, 1);
    if (p.top_p <= 0) root.at("top_p").fail("must be above 0");
    if (root.has("seed")) p.seed = root.at("seed").integer(0, 1ull << 53);

    for (task_kind kind : {task_kind::mcq, task_kind::numeric, task_kind::code, task_kind::open})
        p.templates[kind] = default_prompt_template(kind);
    if (root.has("templates")) {
        const node templates = root.at("templates");
        templates.object_with_only({"mcq", "numeric", "code", "open"});
        for (const auto& [key, v] : templates.raw().items()) {
            const node t = templates.at(key.c_str());
            t.object_with_only({"system", "user"});
            prompt_template pt;
            if (t.has("system")) pt.system = t.at("system").str();
            pt.user = t.at("user").str();
            try {
                check_prompt_template(pt, "templates." + key);
            } catch (const input_error& e) {
                throw input_error(file, 0, e.field(), e.message());  // the check knows the field, not the file
            }
            p.templates[*parse_task_kind(key)] = std::move(pt);
        }
    }

    if (root.has("judges")) {
        const auto judges = root.at("judges").items();
        if (judges.size() > 2) root.at("judges").fail("at most two judges (single or dual judging)");
        std::set<std::string> names;
        for (const auto& j : judges) {
            std::vector<const char*> allowed(endpoint_fields);
            for (const char* k : {"name", "scale", "max_tokens", "temperature"}) allowed.push_back(k);
            for (const auto& [key, v] : j.raw().items()) {
                bool known = false;
                for (const char* k : allowed) known = known || key == k;
                if (!known) j.at(key.c_str()).fail("is not a known field (misspelt?)");
            }
            judge_spec spec;
            spec.name = j.at("name").nonempty_str();
            if (!names.insert(spec.name).second) j.at("name").fail("duplicate judge name '" + spec.name + "'");
            const std::string scale = j.at("scale").str();
            if (scale == "rubric") spec.scale = judge_scale::rubric;
            else if (scale == "ten") spec.scale = judge_scale::ten;
            else j.at("scale").fail("must be \"rubric\" (0/1/2) or \"ten\" (1-10), not '" + scale + "'");
            if (j.has("max_tokens")) spec.max_tokens = static_cast<std::uint32_t>(j.at("max_tokens").integer(1, 1u << 20));
            if (j.has("temperature")) spec.temperature = j.at("temperature").number(0, 2);
            spec.endpoint = parse_endpoint(j);
            p.judges.push_back(std::move(spec));
        }
    }

    if (root.has("retry")) {
        const node r = root.at("retry");
        r.object_with_only({"max_attempts", "total_budget_s", "attempt_timeout_s", "base_delay_s", "max_delay_s"});
        if (r.has("max_attempts")) p.retry.max_attempts = static_cast<int>(r.at("max_attempts").integer(1, 100));
        if (r.has("total_budget_s")) p.retry.total_budget_s = r.at("total_budget_s").number(0.001, 1e7);
        if (r.has("attempt_timeout_s")) p.retry.attempt_timeout_s = r.at("attempt_timeout_s").number(0.001, 1e5);
        if (r.has("base_delay_s")) p.retry.base_delay_s = r.at("base_delay_s").number(0, 3600);
        if (r.has("max_delay_s")) p.retry.max_delay_s = r.at("max_delay_s").number(0, 86400);
    }

    // The plan's identity: its canonical form with the query files' contents hashed
    // rather than their paths, so the same plan run from another directory matches.
    nlohmann::json canonical = nlohmann::json::parse(value.dump());
    canonical.erase("benchmarks");
    std::string files;
    for (const auto& s : p.sources)
        for (const auto& path : {s.benchmarks, s.queries}) {
            std::ifstream in(path, std::ios::binary);
            std::stringstream content;
            content << in.rdbuf();
            files += std::to_string(fnv1a(content.str())) + ";";
        }
    canonical["query_files"] = files;
    char hex[17];
    std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(fnv1a(canonical.dump())));
    p.hash = hex;
    return p;
}

plan load_plan(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw input_error(path, 0, "", "cannot open the plan");
    std::stringstream text;
    text << in.rdbuf();
    const fs::path parent = fs::path(path).parent_path();
    return parse_plan(text.str(), path, parent.empty() ? "." : parent.string());
}

study load_plan_queries(const plan& p) {
    study_builder builder;
    const json_value info = {{"schema_version", schema_version}, {"name", p.name}};
    builder.info(record(info, p.file, 0));
    for (const auto& s : p.sources) {
        read_jsonl(s.benchmarks, [&](const record& r) { builder.benchmark(r); });
        read_jsonl(s.queries, [&](const record& r) { builder.query(r); });
    }
    study out = builder.finish();
    if (out.queries.empty()) throw input_error(p.file, 0, "benchmarks", "the query files hold no queries");
    return out;
}

} // namespace headroom::sample
