#include "core/io/import/lm_eval.h"

#include "core/io/import/json_fields.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <unordered_map>

namespace headroom::import {

namespace {

struct file_name {
    std::string_view dir, name;
};

file_name split_path(std::string_view path) {
    const auto slash = path.find_last_of("/\\");
    if (slash == std::string_view::npos) return {"", path};
    return {path.substr(0, slash), path.substr(slash + 1)};
}

bool starts_with(std::string_view text, std::string_view prefix) { return text.substr(0, prefix.size()) == prefix; }
bool ends_with(std::string_view text, std::string_view suffix) {
    return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

bool is_samples_name(std::string_view name) {
    return starts_with(name, "samples_") && ends_with(name, ".jsonl") && name.rfind('_') > 7;
}
bool is_results_name(std::string_view name) { return starts_with(name, "results") && ends_with(name, ".json"); }

// samples_<task>_<date>.jsonl: the date (an ISO time with '-' for ':') has no '_', tasks may.
struct samples_name {
    std::string task, date;
};
samples_name parse_samples_name(std::string_view name) {
    const std::string_view stem = name.substr(8, name.size() - 8 - 6);
    const auto last = stem.rfind('_');
    if (last == std::string_view::npos || last == 0) return {std::string(stem), ""};
    return {std::string(stem.substr(0, last)), std::string(stem.substr(last + 1))};
}

// The model a samples file belongs to: results_<date>.json of the same run names it
// (model_name); failing that, the only results file in the folder; failing that, the
// folder, which lm-eval names after the model.
std::string model_of(const source_file& file, const samples_name& n, const context& ctx) {
    const auto [dir, name] = split_path(file.path);
    const source_file* same_run = nullptr;
    std::vector<const source_file*> in_dir;
    for (const auto& other : *ctx.files) {
        const auto [other_dir, other_name] = split_path(other.path);
        if (other_dir != dir || !is_results_name(other_name)) continue;
        in_dir.push_back(&other);
        if (!n.date.empty() && other_name == "results_" + n.date + ".json") same_run = &other;
    }
    if (!same_run && in_dir.size() == 1) same_run = in_dir.front();
    if (same_run) {
        const json_value results = parse_json_bounded(same_run->bytes, same_run->path, 1);
        const json_place at{same_run->path, 0};
        std::string model = string_or(results, "model_name", at, "model_name");
        if (model.empty()) {
            // Older harness versions keep only the model's arguments: "pretrained=org/name,...".
            const json_value* args_value = member(member(results, "config"), "model_args");
            const std::string args = args_value && args_value->is_string() ? args_value->get<std::string>() : "";
            if (const auto p = args.find("pretrained="); p != std::string::npos)
                model = args.substr(p + 11, args.find(',', p) - (p + 11));
        }
        if (!model.empty()) return model;
    }
    const std::string folder(split_path(dir).name);
    if (folder.empty())
        throw input_error(file.path, 0, "model_name",
                          "no results_<date>.json beside it names the model, and it is in no model folder "
                          "(lm-eval writes <output_path>/<model>/samples_<task>_<date>.jsonl)");
    return folder;
}

// A metric's value as a score: numbers and booleans; anything else (a list for a
// corpus-level metric) is no per-document outcome.
std::optional<float> metric_value(const json_value& v) {
    if (v.is_boolean()) return v.get<bool>() ? 1.0f : 0.0f;
    if (v.is_number() && std::isfinite(v.get<double>())) return static_cast<float>(v.get<double>());
    return std::nullopt;
}

const std::vector<std::string_view> bookkeeping{"doc_id",  "doc",         "target",      "arguments", "resps",
                                                "filtered_resps", "filter", "metrics", "doc_hash",
                                                "prompt_hash",    "target_hash"};

struct request {
    std::string context, continuation;  // arg_0, and arg_1 when it is text (a choice's continuation)
    const json_value* kwargs = nullptr; // arg_1 when it is generation kwargs
};

std::vector<request> read_arguments(const json_value& line, const json_place& at) {
    std::vector<request> out;
    const json_value* arguments = member(line, "arguments");
    if (!arguments) at.fail("arguments", "is missing");
    // Written as {"gen_args_0": {"arg_0": context, "arg_1": ...}, ...}; older versions as lists.
    auto read_one = [&](const json_value& args, const std::string& field) {
        request r;
        const json_value* a0 = args.is_object() ? member(args, "arg_0") : args.is_array() && !args.empty() ? &args[0] : nullptr;
        const json_value* a1 = args.is_object() ? member(args, "arg_1") : args.is_array() && args.size() > 1 ? &args[1] : nullptr;
        if (!a0 || !a0->is_string()) at.fail(field + ".arg_0", "must be the request's context text");
        r.context = a0->get<std::string>();
        if (a1 && a1->is_string()) r.continuation = a1->get<std::string>();
        else if (a1 && a1->is_object()) r.kwargs = a1;
        out.push_back(std::move(r));
    };
    if (arguments->is_object()) {
        for (std::size_t i = 0;; ++i) {
            const std::string key = "gen_args_" + std::to_string(i);
            const json_value* args = member(*arguments, key);
            if (!args) break;
            read_one(*args, "arguments." + key);
        }
    } else if (arguments->is_array()) {
        for (std::size_t i = 0; i < arguments->size(); ++i) read_one((*arguments)[i], "arguments[" + std::to_string(i) + "]");
    }
    if (out.empty()) at.fail("arguments", "holds no request");
    return out;
}

std::string trimmed(std::string_view text) {
    const auto b = text.find_first_not_of(" \t\n");
    if (b == std::string_view::npos) return {};
    const auto e = text.find_last_not_of(" \t\n");
    return std::string(text.substr(b, e - b + 1));
}

class samples_reader {
public:
    samples_reader(context& ctx, const source_file& file, std::string model, std::string task)
        : ctx_(ctx), file_(file), model_(std::move(model)), task_(std::move(task)) {}

    void line(const json_value& line, std::size_t number) {
        const json_place at{file_.path, number};
        const row_origin origin{file_.path, number};
        if (!line.is_object()) at.fail("", "must be an object (one document's outcome)");
        const json_value* doc_id_value = member(line, "doc_id");
        if (!doc_id_value) at.fail("doc_id", "is missing");
        const std::string doc_id = id_text(*doc_id_value, at, "doc_id");
        const auto requests = read_arguments(line, at);
        // Log-likelihood tasks (multiple choice) score one request per choice; generation tasks send one request.
        const bool choices = requests.size() > 1 || !requests.front().continuation.empty();
        const std::uint32_t budget =
            requests.front().kwargs ? budget_or_unknown(member(*requests.front().kwargs, "max_gen_toks"), at,
                                                        "arguments.gen_args_0.arg_1.max_gen_toks")
                                    : unknown_budget;
        const std::uint32_t query = query_of(line, doc_id, requests, choices, budget, at, origin);
        const std::uint16_t model = model_for(ctx_, model_, origin);
        const std::string query_id = ctx_.builder.peek().queries[query].id;

        const std::vector<std::string> texts = choices ? std::vector<std::string>{likeliest(line, requests, at)}
                                                       : responses(line, at);
        std::vector<std::uint32_t> generations;
        for (std::size_t s = 0; s < texts.size(); ++s) {
            generation_row g;
            g.id = canonical_generation_id(query_id, model_, budget, static_cast<std::uint16_t>(s));
            // The same document under another filter: the same generations, graded again.
            if (auto found = ctx_.builder.find_generation(g.id)) {
                generations.push_back(*found);
                continue;
            }
            if (s >= 65535) at.fail("resps", "more than 65535 responses to one request");
            g.query = query;
            g.model = model;
            g.budget = budget;
            g.sample = static_cast<std::uint16_t>(s);
            g.text = texts[s];
            generations.push_back(ctx_.builder.add(std::move(g), origin));
        }
        add_grades(line, generations, at, origin);
    }

private:
    std::uint32_t query_of(const json_value& line, const std::string& doc_id, const std::vector<request>& requests,
                           bool choices, std::uint32_t budget, const json_place& at, const row_origin& origin) {
        if (auto it = queries_.find(doc_id); it != queries_.end()) return it->second;
        headroom::query q;
        q.id = task_ + "/" + doc_id;
        q.text = requests.front().context;
        q.benchmark = benchmark_for(ctx_, task_, choices ? task_kind::mcq : task_kind::open, file_.path, origin);
        const bool mcq = ctx_.builder.peek().benchmarks[q.benchmark].kind == task_kind::mcq;
        const json_value* target = member(line, "target");
        const std::string gold = !target ? "" : target->is_string() ? target->get<std::string>() : target->dump();
        if (mcq && choices) {
            if (requests.size() > 26) at.fail("arguments", "more than 26 choices");
            for (const auto& r : requests) q.options.push_back(trimmed(r.continuation));
            // The target of a choice task is the right choice's index (or its text).
            for (std::size_t i = 0; i < q.options.size(); ++i)
                if (gold == std::to_string(i) || (!gold.empty() && trimmed(gold) == q.options[i]))
                    q.gold = std::string(1, static_cast<char>('A' + i));
        } else if (!mcq) {
            q.gold = gold;
        }
        const std::string model = model_;
        const std::uint32_t index = query_for(
            ctx_, std::move(q),
            [&](std::string_view existing) { return canonical_generation_id(existing, model, budget, 0); },
            origin);
        queries_.emplace(doc_id, index);
        return index;
    }

    // A generation task's responses: resps[0] holds one text per repeat.
    std::vector<std::string> responses(const json_value& line, const json_place& at) {
        const json_value* resps = member(line, "resps");
        if (!resps || !resps->is_array() || resps->empty()) at.fail("resps", "must hold the request's responses");
        const json_value& first = (*resps)[0];
        std::vector<std::string> out;
        if (first.is_string()) out.push_back(first.get<std::string>());
        else if (first.is_array())
            for (std::size_t i = 0; i < first.size(); ++i) {
                if (!first[i].is_string()) at.fail("resps[0][" + std::to_string(i) + "]", "must be a response text");
                out.push_back(first[i].get<std::string>());
            }
        else at.fail("resps[0]", "must be a list of response texts");
        if (out.empty()) at.fail("resps[0]", "holds no response");
        return out;
    }

    // A choice task's answer: the choice of highest log-likelihood (filtered_resps[i][0]).
    std::string likeliest(const json_value& line, const std::vector<request>& requests, const json_place& at) {
        const json_value* filtered = member(line, "filtered_resps");
        if (!filtered || !filtered->is_array() || filtered->size() != requests.size())
            at.fail("filtered_resps", "must hold one (log-likelihood, is-greedy) pair per choice");
        std::size_t best = 0;
        double best_ll = -std::numeric_limits<double>::infinity();
        for (std::size_t i = 0; i < filtered->size(); ++i) {
            const json_value& pair = (*filtered)[i];
            const json_value& ll = pair.is_array() && !pair.empty() ? pair[0] : pair;
            double value = 0;
            // Sanitised logs write the numbers as strings.
            if (ll.is_number()) value = ll.get<double>();
            else if (ll.is_string()) {
                const std::string& s = ll.get_ref<const std::string&>();
                char* end = nullptr;
                value = std::strtod(s.c_str(), &end);
                if (s.empty() || end != s.c_str() + s.size()) at.fail("filtered_resps[" + std::to_string(i) + "]", "must be a log-likelihood");
            } else {
                at.fail("filtered_resps[" + std::to_string(i) + "]", "must be a log-likelihood");
            }
            if (value > best_ll) {
                best_ll = value;
                best = i;
            }
        }
        return trimmed(requests[best].continuation);
    }

    void add_grades(const json_value& line, const std::vector<std::uint32_t>& generations, const json_place& at,
                    const row_origin& origin) {
        const std::string filter = string_or(line, "filter", at, "filter", "none");
        std::vector<std::string> metrics;
        if (const json_value* listed = member(line, "metrics")) {
            if (!listed->is_array()) at.fail("metrics", "must be a list of metric names");
            for (const auto& m : *listed) {
                if (!m.is_string()) at.fail("metrics", "must be a list of metric names");
                metrics.push_back(m.get<std::string>());
            }
        } else {
            // Older harness versions list no metrics: every other scalar field is one.
            for (const auto& [key, value] : line.items())
                if (std::find(bookkeeping.begin(), bookkeeping.end(), key) == bookkeeping.end() && metric_value(value))
                    metrics.push_back(key);
        }
        const std::string base = "source:" + (ctx_.opts.grader.empty() ? std::string("lm-eval") : ctx_.opts.grader);
        std::string answer;
        if (const json_value* filtered = member(line, "filtered_resps"); filtered && filtered->is_array() && !filtered->empty() &&
                                                                         (*filtered)[0].is_string())
            answer = (*filtered)[0].get<std::string>();
        for (std::size_t m = 0; m < metrics.size(); ++m) {
            const std::string grader = base + (m == 0 ? "" : "/" + metrics[m]) + "/" + filter;
            const json_value* value = member(line, metrics[m]);
            const auto score = value ? metric_value(*value) : std::nullopt;
            // The harness scores the document (a majority of repeats), not each response: the first carries it.
            for (std::size_t s = 0; s < generations.size(); ++s) {
                grade_row g;
                g.generation = generations[s];
                g.grader = grader;
                if (s == 0 && score) {
                    g.score = *score;
                    g.answer = answer;
                } else {
                    g.status = grade_status::missing;
                    g.detail = s == 0 ? "no per-document value for this metric" : "lm-eval scored the document, not this response";
                }
                ctx_.builder.add(g, origin);
            }
        }
    }

    context& ctx_;
    const source_file& file_;
    std::string model_, task_;
    std::unordered_map<std::string, std::uint32_t> queries_;
};

} // namespace

bool detect_lm_eval(const source_file& file) {
    const auto name = split_path(file.path).name;
    if (is_samples_name(name)) return file.bytes.find("\"doc_id\"") != std::string_view::npos;
    if (is_results_name(name)) {
        const std::string_view start = file.bytes.substr(0, 4096);
        return start.find("\"results\"") != std::string_view::npos;
    }
    return false;
}

void parse_lm_eval(const source_file& file, context& ctx) {
    const auto name = split_path(file.path).name;
    if (is_results_name(name)) {
        // Read with its samples files; alone it holds only aggregates.
        const bool has_samples = std::any_of(ctx.files->begin(), ctx.files->end(), [&](const source_file& other) {
            const auto [dir, other_name] = split_path(other.path);
            return dir == split_path(file.path).dir && is_samples_name(other_name);
        });
        if (!has_samples)
            throw input_error(file.path, 0, "", "holds only aggregate scores; import the samples_<task>_<date>.jsonl "
                                                "files that lm-eval writes beside it with --log_samples");
        return;
    }
    const samples_name n = parse_samples_name(name);
    samples_reader reader(ctx, file, model_of(file, n, ctx), n.task);
    for_each_json_line(file.bytes, file.path, [&](const json_value& line, std::size_t number) { reader.line(line, number); });
}

} // namespace headroom::import
