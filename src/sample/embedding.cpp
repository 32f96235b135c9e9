#include "sample/embedding.h"

#include "client/dispatcher.h"
#include "core/base/jsonl.h"
#include "core/features/feature_cache.h"
#include "core/io/study_io.h"
#include "core/study/builder.h"

#include <cmath>
#include <cstdlib>
#include <limits>
#include <memory>
#include <optional>
#include <stdexcept>

namespace headroom::sample {

namespace {

// The "data" of an embeddings response, by "index": `count` vectors of one length.
std::optional<std::string> read_vectors(const std::string& body, std::size_t count, std::vector<std::vector<float>>& out) {
    const json_value v = json_value::parse(body, nullptr, false);
    if (v.is_discarded() || !v.is_object() || !v.contains("data") || !v["data"].is_array())
        return "the reply is not an embeddings list (no \"data\" array)";
    const json_value& data = v["data"];
    if (data.size() != count) return "the reply holds " + std::to_string(data.size()) + " vectors for " + std::to_string(count) + " inputs";
    out.assign(count, {});
    for (const auto& item : data) {
        if (!item.is_object() || !item.contains("index") || !item["index"].is_number_unsigned() ||
            !item.contains("embedding") || !item["embedding"].is_array())
            return "a \"data\" item without an \"index\" and an \"embedding\" array";
        const auto index = item["index"].get<std::size_t>();
        if (index >= count || !out[index].empty()) return "a bad or repeated \"index\" " + std::to_string(index);
        for (const auto& x : item["embedding"]) {
            // What the study can keep: 32-bit floats (study.h).
            if (!x.is_number() || !(std::abs(x.get<double>()) <= std::numeric_limits<float>::max()))
                return "an embedding value that is not a number a 32-bit float holds";
            out[index].push_back(static_cast<float>(x.get<double>()));
        }
        if (out[index].empty() || out[index].size() > max_embedding_dimensions)
            return "an embedding of " + std::to_string(out[index].size()) + " numbers (a study keeps 1 to " +
                   std::to_string(max_embedding_dimensions) + ")";
    }
    for (const auto& vector : out)
        if (vector.size() != out.front().size()) return "vectors of different lengths in one reply";
    return std::nullopt;
}

} // namespace

embed_summary run_embedding(const embed_options& options, const std::string& study_dir,
                            const std::function<void(std::size_t, std::size_t)>& on_progress) {
    std::string base = options.endpoint;
    while (!base.empty() && base.back() == '/') base.pop_back();
    if (base.rfind("http://", 0) != 0 && base.rfind("https://", 0) != 0)
        throw input_error("--endpoint", 0, "", "'" + options.endpoint + "' is not an http:// or https:// URL");
    study s = load_study_dir(study_dir);
    std::vector<std::string> headers{"Content-Type: application/json"};
    if (!options.api_key_env.empty()) {
        const char* key = std::getenv(options.api_key_env.c_str());
        if (!key || !*key) throw input_error("--api-key-env", 0, options.api_key_env, "the environment variable is not set");
        headers.push_back("Authorization: Bearer " + std::string(key));
    }
    const std::size_t batch = std::max<std::size_t>(options.batch, 1);

    client::http_client http;
    client::dispatcher dispatch(http, options.retry, 0xe3bed);
    const std::size_t endpoint = dispatch.add_endpoint({options.max_concurrency, 0, 0});
    embed_summary summary;
    summary.queries = s.queries.size();
    std::vector<std::vector<float>> vectors(s.queries.size());
    std::string failure;
    std::size_t done = 0;
    for (std::size_t first = 0; first < s.queries.size(); first += batch) {
        const std::size_t count = std::min(batch, s.queries.size() - first);
        json_value input = json_value::array();
        for (std::size_t q = first; q < first + count; ++q) input.push_back(query_document(s.queries[q]));
        auto parsed = std::make_shared<std::vector<std::vector<float>>>();
        client::job job;
        job.endpoint = endpoint;
        job.request.url = base + "/embeddings";
        job.request.body = json_value{{"model", options.model}, {"input", std::move(input)}}.dump();
        job.request.headers = headers;
        job.check = [parsed, count](const client::http_result& res) { return read_vectors(res.body, count, *parsed); };
        job.done = [&, first, count, parsed](client::job_result&& res) {
            if (!res.ok) {
                if (failure.empty())
                    failure = "queries " + s.queries[first].id + " to " + s.queries[first + count - 1].id + ": " +
                              res.reason + (res.message.empty() ? "" : " (" + res.message + ")");
                return;
            }
            for (std::size_t i = 0; i < count; ++i) vectors[first + i] = std::move((*parsed)[i]);
            done += count;
            if (on_progress) on_progress(done, s.queries.size());
        };
        dispatch.submit(std::move(job));
        ++summary.requests;
    }
    dispatch.run();
    summary.retries = dispatch.retries();
    if (!failure.empty()) throw std::runtime_error("embedding failed for " + failure + "; nothing was written");

    embedding_table& e = s.embeddings;
    e.embedder = options.model;
    e.dimensions = s.queries.empty() ? 0 : vectors.front().size();
    e.values.clear();
    for (std::size_t q = 0; q < vectors.size(); ++q) {
        if (vectors[q].size() != e.dimensions)
            throw std::runtime_error("the endpoint returned vectors of " + std::to_string(e.dimensions) + " and " +
                                     std::to_string(vectors[q].size()) + " numbers (query " + s.queries[q].id +
                                     "); nothing was written");
        e.values.insert(e.values.end(), vectors[q].begin(), vectors[q].end());
    }
    summary.dimensions = e.dimensions;
    if (!s.queries.empty()) write_embeddings_file(s, study_dir);
    return summary;
}

} // namespace headroom::sample
