// The JSON-based importers (core/io/import): inspect_ai logs (.json and .eval), lm-eval
// --log_samples folders and the OpenAI and Anthropic Batch files, on the real inspect_ai
// logs in ../shared/fixtures and on small files written here from each tool's format
// (tests/core/fixtures/import); bad input names the file, line and field.
#include "core/io/import/import.h"

#include "test_support.h"

#include <map>

using namespace headroom;
using namespace headroom::test;

namespace {

struct loaded {
    std::vector<std::string> bytes;
    std::vector<import::source_file> files;
};

// Every file under `dir` (sorted, paths relative to the fixtures' root so errors are short).
loaded load_dir(const fs::path& dir) {
    loaded out;
    std::vector<fs::path> paths;
    for (const auto& e : fs::recursive_directory_iterator(dir))
        if (e.is_regular_file()) paths.push_back(e.path());
    std::sort(paths.begin(), paths.end());
    out.bytes.reserve(paths.size());
    for (const auto& p : paths) {
        out.bytes.push_back(read_file(p));
        out.files.push_back({p.string(), out.bytes.back()});
    }
    return out;
}

std::optional<std::size_t> generation_of(const study& s, std::string_view query, std::string_view model, std::uint16_t sample = 0) {
    for (std::size_t g = 0; g < s.generations.size(); ++g)
        if (s.queries[s.generations.query[g]].id == query && s.models[s.generations.model[g]].id == model &&
            s.generations.sample[g] == sample)
            return g;
    return std::nullopt;
}

struct grade_view {
    grade_status status;
    float score;
    std::string answer;
};
std::map<std::string, grade_view> grades_of(const study& s, std::size_t generation) {
    std::map<std::string, grade_view> out;
    for (std::size_t i = 0; i < s.grades.size(); ++i)
        if (s.grades.generation[i] == generation)
            out[s.grades.graders[s.grades.grader[i]]] = {s.grades.status[i], s.grades.score[i], std::string(s.grades.answer[i])};
    return out;
}

import::result import_texts(const std::vector<std::pair<std::string, std::string>>& named, const import::options& o = {}) {
    std::vector<import::source_file> files;
    for (const auto& [path, bytes] : named) files.push_back({path, bytes});
    return import::import_sources(files, o);
}

import::options custom_ids(std::string pattern) {
    import::options o;
    o.custom_id = std::move(pattern);
    return o;
}

import::options format(std::string name) {
    import::options o;
    o.format = std::move(name);
    return o;
}

fs::path shared_inspect_logs() { return fs::path(source_root()) / ".." / "shared" / "fixtures" / "inspect-logs"; }

} // namespace

TEST_CASE("import inspect: the real logs, .json and .eval alike", "[import][fixtures]") {
    const fs::path dir = shared_inspect_logs();
    if (!fs::exists(dir)) {
        WARN("skipped: " << dir.string() << " is absent (the shared fixtures are in CI, not in a user's clone)");
        return;
    }
    const loaded all = load_dir(dir);
    REQUIRE(all.files.size() == 6);
    const auto r = import::import_sources(all.files, {});
    for (const auto& f : r.formats_used) CHECK(f == "inspect");
    const study& s = r.study;
    // Two logs per (model, task): the second run of a sample is another query, told apart.
    CHECK(s.models.size() == 3);
    CHECK(s.queries.size() == 4);
    CHECK(r.renamed_queries == 2);
    CHECK(s.generations.size() == 6);
    CHECK(s.grades.size() == 6);

    // Each .json log against the test's own reading of it; its .eval twin must agree.
    for (const char* name : {"log_formats", "log_read_sample"}) {
        INFO(name);
        const std::string json_text = read_file(dir / (std::string(name) + ".json"));
        const auto log = nlohmann::json::parse(json_text);
        const auto& sample = log["samples"][0];
        const std::string model = log["eval"]["model"], task = log["eval"]["task"];
        const auto from_json = import_texts({{std::string(name) + ".json", json_text}});
        const auto from_eval = import_texts({{std::string(name) + ".eval", read_file(dir / (std::string(name) + ".eval"))}});
        for (const auto* imported : {&from_json, &from_eval}) {
            const study& one = imported->study;
            const auto g = generation_of(one, task + "/" + sample["id"].dump(), model);
            REQUIRE(g);
            CHECK(one.generations.text[*g] == sample["output"]["choices"][0]["message"]["content"].get<std::string>());
            CHECK(one.generations.finish[*g] == finish_reason::stop);
            CHECK(one.generations.input_tokens[*g] == sample["output"]["usage"]["input_tokens"].get<std::uint32_t>());
            CHECK(one.generations.output_tokens[*g] == sample["output"]["usage"]["output_tokens"].get<std::uint32_t>());
            CHECK(one.generations.budget[*g] == unknown_budget);  // neither log sets max_tokens
            CHECK(one.queries[one.generations.query[*g]].text == sample["input"].get<std::string>());
            const auto grades = grades_of(one, *g);
            REQUIRE(grades.count("source:match") == 1);
            const std::string value = sample["scores"]["match"]["value"];
            CHECK(grades.at("source:match").score == (value == "C" ? 1.0f : 0.0f));
            CHECK(grades.at("source:match").answer == sample["scores"]["match"]["answer"].get<std::string>());
        }
    }
    // The MMLU log: options and the gold letter from the sample; the `choice` scorer said I.
    const auto g = generation_of(s, "inspect_evals/mmlu_0_shot/1", "openai/gpt-4o");
    REQUIRE(g);
    const query& q = s.queries[s.generations.query[*g]];
    CHECK(s.benchmarks[q.benchmark].kind == task_kind::mcq);
    CHECK(q.options.size() == 4);
    CHECK(q.gold == "A");
    CHECK(s.generations.text[*g] == "ANSWER: C");
    CHECK(grades_of(s, *g).at("source:choice").score == 0.0f);
    CHECK(grades_of(s, *g).at("source:choice").answer == "C");
}

TEST_CASE("import inspect: epochs are samples, max_tokens the budget, scores by scorer", "[import]") {
    // A log in inspect_ai's .json shape: two epochs, a cut answer, a scorer of several
    // values, a sample without one scorer's score, and a sample that errored.
    const std::string log = R"({"version": 2, "status": "success",
      "eval": {"task": "arith", "model": "openai/small", "model_generate_config": {"max_tokens": 16}},
      "plan": {"config": {}},
      "results": {"scores": [{"name": "match"}, {"name": "judge"}]},
      "samples": [
        {"id": 7, "epoch": 1, "input": [{"role": "system", "content": "Be brief."}, {"role": "user", "content": [{"type": "text", "text": "2+2?"}]}],
         "target": "4", "output": {"choices": [{"message": {"role": "assistant", "content": "4"}, "stop_reason": "stop"}],
         "usage": {"input_tokens": 9, "output_tokens": 1}, "time": 0.5},
         "scores": {"match": {"value": "C", "answer": "4"}, "judge": {"value": {"accuracy": 1, "style": 0.25}}}},
        {"id": 7, "epoch": 2, "input": "2+2?", "target": "4",
         "output": {"choices": [{"message": {"content": [{"type": "reasoning", "reasoning": "hmm"}, {"type": "text", "text": "Let me think about"}]}, "stop_reason": "max_tokens"}],
         "usage": {"input_tokens": 9, "output_tokens": 16}},
         "scores": {"match": {"value": "I", "answer": ""}}},
        {"id": "x", "epoch": 1, "input": "3+3?", "target": "6", "output": {"choices": []}, "error": {"message": "timeout"}}
      ]})";
    const auto r = import_texts({{"run.json", log}});
    const study& s = r.study;
    REQUIRE(s.generations.size() == 2);
    CHECK(s.queries.size() == 2);  // the errored sample's query is there, without generations
    CHECK(r.failed.at("inspect sample error") == 1);
    const auto first = generation_of(s, "arith/7", "openai/small", 0), second = generation_of(s, "arith/7", "openai/small", 1);
    REQUIRE(first);
    REQUIRE(second);
    CHECK(s.queries[0].text == "2+2?");  // the user messages only
    CHECK(s.generations.budget[*first] == 16);
    CHECK(s.generations.latency_ms[*first] == 500.0);
    CHECK(s.generations.finish[*second] == finish_reason::length);
    CHECK(s.generations.text[*second] == "Let me think about");
    CHECK(s.generations.output_tokens[*second] == 16);
    const auto a = grades_of(s, *first), b = grades_of(s, *second);
    CHECK(a.at("source:match").score == 1.0f);
    CHECK(a.at("source:judge/accuracy").score == 1.0f);
    CHECK(a.at("source:judge/style").score == 0.25f);
    CHECK(b.at("source:match").score == 0.0f);
    CHECK(b.at("source:judge").status == grade_status::missing);  // listed by the header, absent here
}

TEST_CASE("import inspect: bad logs name the file and the field", "[import][bad_input]") {
    const std::string head = R"({"version": 2, "status": "success", "eval": {"task": "t", "model": "m"}, "samples": [)";
    check_input_error([&] { import_texts({{"a.json", head + R"({"id": 1, "input": "q", "output": {"choices": [{"message": {"content": "x"}, "stop_reason": "sleepy"}]}}]})"}}); },
                      "a.json", 0, "samples[0].output.choices[0].stop_reason", "unknown stop_reason 'sleepy'");
    check_input_error([&] { import_texts({{"b.json", head + R"({"id": 1, "epoch": 0, "input": "q"}]})"}}); }, "b.json", 0,
                      "samples[0].epoch", "from 1");
    check_input_error([&] { import_texts({{"c.json", head + R"({"input": "q"}]})"}}); }, "c.json", 0, "samples[0].id", "missing");
    check_input_error([&] { import_texts({{"d.json", R"({"version": 2, "status": "x", "eval": {"task": "t"}})"}}); }, "d.json", 0,
                      "eval.model", "missing");
    check_input_error([&] { import_texts({{"e.eval", std::string("PK\x03\x04garbage", 11)}}, format("inspect")); }, "e.eval", 0, "",
                      ".eval log");
}

TEST_CASE("import lm-eval: filters are graders, the folder names the model", "[import]") {
    const loaded all = load_dir(fixture("import/lm-eval"));
    const auto r = import::import_sources(all.files, {});
    for (const auto& f : r.formats_used) CHECK(f == "lm-eval");
    const study& s = r.study;
    CHECK(s.models.size() == 2);
    CHECK(s.benchmarks.size() == 2);
    CHECK(s.queries.size() == 5);  // 3 GSM8K documents, answered by both models, and 2 ARC ones
    CHECK(s.generations.size() == 8);
    const std::string llama = "meta-llama/Llama-3.1-8B-Instruct", qwen = "Qwen/Qwen2-7B";
    // Per model, exact match under each filter: the format artifact, as lm-eval's own logs show it.
    std::map<std::pair<std::string, std::string>, float> solved;
    for (std::size_t i = 0; i < s.grades.size(); ++i) {
        const auto g = s.grades.generation[i];
        if (s.benchmarks[s.queries[s.generations.query[g]].benchmark].id != "gsm8k") continue;
        solved[{s.models[s.generations.model[g]].id, s.grades.graders[s.grades.grader[i]]}] += s.grades.score[i];
    }
    CHECK(solved[{llama, "source:lm-eval/strict-match"}] == 2.0f);
    CHECK(solved[{llama, "source:lm-eval/flexible-extract"}] == 3.0f);
    CHECK(solved[{qwen, "source:lm-eval/strict-match"}] == 1.0f);
    CHECK(solved[{qwen, "source:lm-eval/flexible-extract"}] == 2.0f);

    const auto g = generation_of(s, "gsm8k/1", llama);
    REQUIRE(g);
    CHECK(s.generations.text[*g] == "The three books cost $36 in total.");
    CHECK(s.generations.budget[*g] == 256);
    CHECK(s.generations.finish[*g] == finish_reason::unknown);  // lm-eval does not log why a generation stopped
    CHECK(grades_of(s, *g).at("source:lm-eval/flexible-extract").answer == "$36");
    CHECK(grades_of(s, *g).at("source:lm-eval/strict-match").answer == "[invalid]");
    CHECK(s.queries[s.generations.query[*g]].text == "Question: A book costs $12. How much do 3 books cost?\nAnswer:");

    // A log-likelihood task: choices are options, the target index the gold letter, the likeliest choice the answer.
    const auto arc = generation_of(s, "arc_easy/1", llama);
    REQUIRE(arc);
    const query& q = s.queries[s.generations.query[*arc]];
    CHECK(s.benchmarks[q.benchmark].kind == task_kind::mcq);
    CHECK(q.options == std::vector<std::string>{"sunlight", "sand", "plastic", "metal"});
    CHECK(q.gold == "A");
    CHECK(s.generations.text[*arc] == "sand");
    const auto arc_grades = grades_of(s, *arc);
    CHECK(arc_grades.at("source:lm-eval/none").score == 0.0f);
    CHECK(arc_grades.count("source:lm-eval/acc_norm/none") == 1);
}

TEST_CASE("import lm-eval: bad lines name the file, line and field", "[import][bad_input]") {
    const std::string line =
        R"({"doc_id": 0, "target": "1", "arguments": {"gen_args_0": {"arg_0": "Q", "arg_1": {"max_gen_toks": 0}}}, "resps": [["a"]], "filtered_resps": ["a"], "filter": "none", "metrics": ["exact_match"], "exact_match": 1})";
    check_input_error([&] { import_texts({{"m/samples_t_2024-01-01T00-00-00.jsonl", "\n" + line + "\n"}}); },
                      "samples_t_2024-01-01T00-00-00.jsonl", 2, "arguments.gen_args_0.arg_1.max_gen_toks", "at least 1");
    check_input_error([&] { import_texts({{"m/samples_t_2024-01-01T00-00-00.jsonl", R"({"doc_id": 0, "resps": []})"}}); },
                      "samples_t_2024-01-01T00-00-00.jsonl", 1, "arguments", "missing");
    check_input_error([&] { import_texts({{"samples_t_2024-01-01T00-00-00.jsonl", line}}); }, "samples_t_2024-01-01T00-00-00.jsonl", 0,
                      "model_name", "names the model");
    check_input_error([&] { import_texts({{"m/results_2024.json", R"({"results": {}})"}}); }, "results_2024.json", 0, "",
                      "aggregate");
}

TEST_CASE("import batch: OpenAI output joined to its input, failures are missing", "[import]") {
    const loaded all = load_dir(fixture("import/batch"));
    std::vector<import::source_file> openai;
    for (const auto& f : all.files)
        if (contains(f.path, "openai")) openai.push_back(f);
    const auto r = import::import_sources(openai, custom_ids("{query}-{model}"));
    for (const auto& f : r.formats_used) CHECK(f == "openai-batch");
    const study& s = r.study;
    CHECK(s.models.size() == 2);
    CHECK(s.queries.size() == 3);
    CHECK(s.generations.size() == 5);
    CHECK(s.grades.size() == 0);  // graded by `headroom grade`, not by the provider
    CHECK(r.failed.at("openai-batch: batch_expired") == 1);
    const auto cut = generation_of(s, "q2", "gpt-4o-mini");
    REQUIRE(cut);
    CHECK(s.generations.finish[*cut] == finish_reason::length);
    CHECK(s.generations.budget[*cut] == 64);
    CHECK(s.generations.output_tokens[*cut] == 64);
    CHECK(s.generations.input_tokens[*cut] == 22);
    CHECK(s.queries[s.generations.query[*cut]].text == "Name the capital of France.");
    CHECK(!generation_of(s, "q3", "gpt-4o-mini"));  // expired: no generation
    CHECK(s.generations.text[*generation_of(s, "q1", "gpt-4o")] == "6 x 7 = 42");

    // Without the template every custom_id is its own query, each answered by one model.
    const auto plain = import::import_sources(openai, {});
    CHECK(plain.study.queries.size() == 6);
}

TEST_CASE("import batch: Anthropic results joined to the requests", "[import]") {
    const loaded all = load_dir(fixture("import/batch"));
    std::vector<import::source_file> anthropic;
    for (const auto& f : all.files)
        if (contains(f.path, "anthropic")) anthropic.push_back(f);
    const auto r = import::import_sources(anthropic, {});
    const study& s = r.study;
    CHECK(s.models.size() == 1);
    CHECK(s.queries.size() == 3);
    CHECK(s.generations.size() == 2);
    CHECK(r.failed.at("anthropic-batch: errored overloaded_error") == 1);
    const auto cut = generation_of(s, "q2", "claude-3-5-haiku-20241022");
    REQUIRE(cut);
    CHECK(s.generations.finish[*cut] == finish_reason::length);
    CHECK(s.generations.budget[*cut] == 32);
    CHECK(s.generations.text[*generation_of(s, "q1", "claude-3-5-haiku-20241022")] == "42");
    CHECK(s.generations.finish[*generation_of(s, "q1", "claude-3-5-haiku-20241022")] == finish_reason::stop);
}

TEST_CASE("import batch: custom_id templates, Headroom's own ids, and bad joins", "[import][bad_input]") {
    const std::string input =
        R"({"custom_id": "gsm-12-3", "method": "POST", "url": "/v1/chat/completions", "body": {"model": "m", "messages": [{"role": "user", "content": "Q?"}]}})"
        "\n";
    const std::string output =
        R"({"custom_id": "gsm-12-3", "response": {"status_code": 200, "body": {"choices": [{"message": {"content": "a"}, "finish_reason": "stop"}, {"message": {"content": "b"}, "finish_reason": "length"}]}}, "error": null})"
        "\n";
    const auto r = import_texts({{"in.jsonl", input}, {"out.jsonl", output}}, custom_ids("{query}-{sample}"));
    // Longest query first: "gsm-12", sample 3; n = 2 choices are samples 3 and 4.
    REQUIRE(r.study.generations.size() == 2);
    CHECK(generation_of(r.study, "gsm-12", "m", 3));
    CHECK(generation_of(r.study, "gsm-12", "m", 4));
    CHECK(r.study.generations.output_tokens[0] == unknown_tokens);  // usage covers both choices

    const std::string own_in = R"({"custom_id": ")" + std::string(R"([\"m\",\"q7\",512,2,1])") +
                               R"(", "body": {"model": "m", "messages": [{"role": "user", "content": "Q?"}], "max_tokens": 512}})" "\n";
    const std::string own_out = R"({"custom_id": ")" + std::string(R"([\"m\",\"q7\",512,2,1])") +
                                R"(", "response": {"status_code": 429, "body": {"error": {"code": "rate_limit_exceeded"}}}})" "\n";
    const auto own = import_texts({{"in.jsonl", own_in}, {"out.jsonl", own_out}});
    CHECK(own.study.queries.at(0).id == "q7");
    CHECK(own.failed.at("openai-batch: rate_limit_exceeded") == 1);

    check_input_error([&] { import_texts({{"out.jsonl", output}}); }, "out.jsonl", 1, "custom_id", "no input file");
    check_input_error([&] { import_texts({{"in.jsonl", input}, {"out.jsonl", output}}, custom_ids("{query}/{sample}")); },
                      "in.jsonl", 1, "custom_id", "does not match");
    check_input_error([&] { import_texts({{"in.jsonl", input + input}, {"out.jsonl", output}}); }, "in.jsonl", 2, "custom_id",
                      "twice");
    const std::string bad_type = R"({"custom_id": "a", "result": {"type": "lost"}})" "\n";
    const std::string request = R"({"custom_id": "a", "params": {"model": "c", "max_tokens": 8, "messages": [{"role": "user", "content": "hi"}]}})" "\n";
    check_input_error([&] { import_texts({{"req.jsonl", request}, {"res.jsonl", "\n" + bad_type}}); }, "res.jsonl", 2, "result.type",
                      "succeeded, errored");
}
