#include "sample/merge.h"

#include "core/base/jsonl.h"
#include "core/io/study_io.h"
#include "core/study/builder.h"
#include "sample/units.h"

#include <algorithm>
#include <stdexcept>
#include <tuple>

namespace headroom::sample {

namespace {

struct shard_input {
    std::string dir;
    study s;
    json_value provenance;
    shard part;
};

std::string rows_of(const study& s) {
    // The tables every shard copies whole from the plan; equal iff the text is equal.
    json_value out = json_value::array();
    for (const auto& b : s.benchmarks) out.push_back({b.id, to_string(b.kind), b.mirrors, b.description});
    for (const auto& q : s.queries)
        out.push_back({q.id, q.benchmark, q.subject, q.text, q.options, q.gold, q.tests, q.latent, q.split});
    for (const auto& m : s.models) out.push_back({m.id, m.family, m.tier, m.price_input_per_mtok, m.price_output_per_mtok});
    return out.dump();
}

} // namespace

study merge_shards(const std::vector<std::string>& shard_dirs) {
    if (shard_dirs.empty()) throw std::invalid_argument("merge needs at least one shard directory");
    std::vector<shard_input> shards;
    for (const auto& dir : shard_dirs) {
        shard_input in{dir, load_study_dir(dir), {}, {}};
        const std::string where = dir + "/" + study_file;
        in.provenance = in.s.info.provenance.empty() ? json_value::object() : json_value::parse(in.s.info.provenance);
        if (in.provenance.value("made_by", "") != "headroom sample" || !in.provenance.contains("shard") ||
            !in.provenance.contains("plan_hash"))
            throw input_error(where, 0, "provenance", "not written by `headroom sample` (no plan_hash and shard)");
        try {
            in.part = parse_shard(in.provenance["shard"].get<std::string>());
        } catch (const std::exception& e) {
            throw input_error(where, 0, "provenance.shard", e.what());
        }
        if (in.s.grades.size())
            throw input_error(dir + "/" + grades_file, 0, "", "holds grades: merge the sampled shards, then grade");
        shards.push_back(std::move(in));
    }
    const shard_input& first = shards.front();
    const std::string reference_rows = rows_of(first.s);
    std::vector<const shard_input*> by_index(first.part.count, nullptr);
    for (const auto& in : shards) {
        const std::string where = in.dir + "/" + study_file;
        if (in.provenance["plan_hash"] != first.provenance["plan_hash"])
            throw input_error(where, 0, "provenance.plan_hash",
                              "mismatched shards: plan " + in.provenance["plan_hash"].get<std::string>() + " here, " +
                                  first.provenance["plan_hash"].get<std::string>() + " in " + first.dir);
        if (in.part.count != first.part.count)
            throw input_error(where, 0, "provenance.shard",
                              "mismatched shards: " + in.part.text() + " here, " + first.part.text() + " in " + first.dir);
        if (const shard_input* other = by_index[in.part.index])
            throw input_error(where, 0, "provenance.shard",
                              "overlapping shards: " + other->dir + " is shard " + in.part.text() + " too");
        by_index[in.part.index] = &in;
        if (rows_of(in.s) != reference_rows)
            throw input_error(where, 0, "", "mismatched shards: benchmarks, queries or models differ from " + first.dir);
        for (std::size_t g = 0; g < in.s.generations.size(); ++g)
            if (!in.part.holds(in.s.generations.query[g]))
                throw input_error(in.dir + "/" + generations_file, g + 1, "query",
                                  "generation " + in.s.generations.id[g] + " belongs to another shard (overlap)");
    }
    std::string gaps;
    for (std::uint32_t i = 0; i < first.part.count; ++i)
        if (!by_index[i]) gaps += (gaps.empty() ? "" : ", ") + std::to_string(i) + "/" + std::to_string(first.part.count);
    if (!gaps.empty()) throw std::invalid_argument("missing shards (a gap): " + gaps);

    study_builder out;
    study_info info = first.s.info;
    json_value provenance = first.provenance;
    provenance["shard"] = "0/1";
    provenance["merged_shards"] = first.part.count;
    info.provenance = provenance.dump();
    out.info(std::move(info));
    for (const auto& b : first.s.benchmarks) out.add(b);
    for (const auto& q : first.s.queries) out.add(q);

    // Each model's latency per token over every shard's generations (each shard measured its own).
    std::vector<double> latency(first.s.models.size(), 0), tokens(first.s.models.size(), 0);
    for (const auto& in : shards)
        for (std::size_t m = 0; m < first.s.models.size(); ++m) {
            std::uint64_t t = 0;
            for (std::size_t row = 0; row < in.s.generations.size(); ++row)
                if (in.s.generations.model[row] == m) t += in.s.generations.output_tokens[row];
            latency[m] += in.s.models[m].latency_ms_per_token * static_cast<double>(t);
            tokens[m] += static_cast<double>(t);
        }
    for (std::size_t m = 0; m < first.s.models.size(); ++m) {
        model merged = first.s.models[m];
        if (tokens[m] > 0) merged.latency_ms_per_token = latency[m] / tokens[m];
        out.add(std::move(merged));
    }

    // Every generation, in the canonical order an unsharded run writes.
    struct ref {
        const shard_input* in;
        std::size_t row;
    };
    std::vector<ref> rows;
    for (const auto& in : shards)
        for (std::size_t g = 0; g < in.s.generations.size(); ++g) rows.push_back({&in, g});
    // Budgets in plan order (as the provenance lists them), not ascending.
    std::vector<std::uint32_t> budget_order;
    if (first.provenance.contains("budgets")) budget_order = first.provenance["budgets"].get<std::vector<std::uint32_t>>();
    auto budget_position = [&](std::uint32_t budget) {
        return static_cast<std::size_t>(std::find(budget_order.begin(), budget_order.end(), budget) - budget_order.begin());
    };
    auto order = [&](const ref& r) {
        const auto& g = r.in->s.generations;
        return std::make_tuple(g.query[r.row], g.model[r.row], budget_position(g.budget[r.row]), g.sample[r.row]);
    };
    std::sort(rows.begin(), rows.end(), [&](const ref& a, const ref& b) { return order(a) < order(b); });

    std::vector<std::vector<std::uint32_t>> new_index(shards.size());
    for (std::size_t i = 0; i < shards.size(); ++i) new_index[i].resize(shards[i].s.generations.size());
    for (const auto& r : rows) {
        const auto& src = r.in->s.generations;
        const row_origin at{r.in->dir + "/" + generations_file, r.row + 1};
        new_index[static_cast<std::size_t>(r.in - shards.data())][r.row] =
            out.add(generation_row{src.id[r.row], src.query[r.row], src.model[r.row], src.budget[r.row], src.sample[r.row],
                                   src.text[r.row], src.finish[r.row], src.input_tokens[r.row], src.output_tokens[r.row],
                                   src.latency_ms[r.row], src.measured_cost(r.row)},
                    at);
    }
    for (std::size_t i = 0; i < shards.size(); ++i) {
        const auto& j = shards[i].s.judgments;
        for (std::size_t row = 0; row < j.size(); ++row)
            out.add(judgment_row{new_index[i][j.generation[row]], j.judges[j.judge[row]], j.scale[row], j.reply[row]},
                    {shards[i].dir + "/" + judgments_file, row + 1});
    }
    return out.finish();
}

} // namespace headroom::sample
