#!/usr/bin/env bash
# End to end: sampling and judging a small study through `headroom serve` yields
# exactly the generations and judge replies `headroom simulate` writes directly
# (text, finish reason, token counts; latencies are measured, so they differ).
#
#   end_to_end.sh HEADROOM_CLI WORK_DIR generations|judgments
#
# generations: the skeleton (five samples at temperature 0.7, so `n` > 1 and seeds
#   are exercised), the skeleton again behind every fault but hang at high rates
#   (rerunning `headroom sample` until no unit is left failed), and p2-artifacts at a
#   small scale (greedy, two budgets).
# judgments: p2-artifacts, sampled and then judged by its two judges.
set -euo pipefail
cli=$1
work=$2
mode=$3
python=/usr/bin/python3
rm -rf "$work"
mkdir -p "$work"

server_pid=
cleanup() { if [[ -n $server_pid ]]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi; }
trap cleanup EXIT

run_pool() {
    local pool=$1 seed=$2 scale=$3 judge=$4 faults=${5:-}
    local name=$pool${faults:+-faulted}
    local ref=$work/$name-simulated out=$work/$name-sampled plan=$work/$name-plan.json
    "$cli" simulate --pool "$pool" --seed "$seed" --scale "$scale" --out "$ref" 2>/dev/null

    "$cli" serve --pool "$pool" --seed "$seed" --scale "$scale" --port 0 --latency none --faults "$faults" \
        >"$work/$name-url" 2>"$work/$name-serve.log" &
    server_pid=$!
    for _ in $(seq 600); do [[ -s $work/$name-url ]] && break; sleep 0.1; done
    local url
    url=$(head -n1 "$work/$name-url")
    [[ $url == http://127.0.0.1:* ]] || { echo "serve did not start:"; cat "$work/$name-serve.log"; exit 1; }

    # The plan: the simulated study's own queries, models, budgets, samples and judges.
    "$python" - "$ref" "$url" "$plan" "$judge" <<'EOF'
import json, sys
ref, url, plan_path, judge = sys.argv[1:]
study = json.load(open(f"{ref}/study.json"))
knobs = study["provenance"]
models = [json.loads(line) for line in open(f"{ref}/models.jsonl")]
plan = {
    "name": study["name"] + "-through-serve",
    "benchmarks": [{"benchmarks": f"{ref}/benchmarks.jsonl", "queries": f"{ref}/queries.jsonl"}],
    "models": [{"id": m["id"], "family": m["family"], "tier": m["tier"],
                "price_input_per_mtok": m["price_input_per_mtok"],
                "price_output_per_mtok": m["price_output_per_mtok"],
                "endpoint": url, "model": m["id"], "max_concurrency": 64} for m in models],
    "budgets": knobs["budgets"],
    "samples": knobs["samples"],
    "temperature": knobs["temperature"],
    "seed": 0,  # the endpoint reads seed as the sample index of the first choice
}
if judge == "judge":
    plan["judges"] = [{"name": j["name"], "scale": j["scale"], "endpoint": url, "model": j["name"],
                       "max_concurrency": 64} for j in knobs["judges"]]
json.dump(plan, open(plan_path, "w"), indent=1)
EOF

    # Faults can exhaust a unit's retries; a rerun resumes from the ledger.
    local tries=1
    until "$cli" sample "$plan" --out "$out"; do
        ((tries++ < 5)) || { echo "sampling still failing after 5 runs"; exit 1; }
    done
    if [[ $judge == judge ]]; then "$cli" judge "$out" --plan "$plan"; fi
    kill "$server_pid"
    wait "$server_pid" || true
    server_pid=
    tail -n1 "$work/$name-serve.log"  # the server's tally of requests and faults

    "$python" - "$ref" "$out" <<'EOF'
import json, sys
ref, out = sys.argv[1:]
def table(path, key, fields):
    rows = {}
    try:
        lines = open(path).read().splitlines()
    except FileNotFoundError:
        return rows
    for line in lines:
        r = json.loads(line)
        rows[key(r)] = tuple(r[f] for f in fields)
    return rows
gen_fields = ("text", "finish", "input_tokens", "output_tokens")
a = table(f"{ref}/generations.jsonl", lambda r: r["id"], gen_fields)
b = table(f"{out}/generations.jsonl", lambda r: r["id"], gen_fields)
judged = lambda r: (r["generation"], r["judge"])
ja = table(f"{ref}/judgments.jsonl", judged, ("scale", "reply"))
jb = table(f"{out}/judgments.jsonl", judged, ("scale", "reply"))
if not jb:
    ja = {}  # not judged in this mode
problems = []
for name, x, y in (("generations", a, b), ("judgments", ja, jb)):
    if set(x) != set(y):
        problems.append(f"{name}: {len(set(x) - set(y))} missing, {len(set(y) - set(x))} extra")
    differ = [k for k in x if k in y and x[k] != y[k]]
    if differ:
        problems.append(f"{name}: {len(differ)} differ, first {differ[0]}: {x[differ[0]]!r} vs {y[differ[0]]!r}")
print(f"{ref}: {len(a)} generations, {len(ja)} judgments compared")
if problems:
    print("\n".join(problems))
    sys.exit(1)
EOF
}

case $mode in
generations)
    run_pool skeleton 3 1 no
    run_pool skeleton 3 1 no "429=0.1,retry_after=0,500=0.05,503=0.05,reset=0.05,malformed=0.05,ignore_n=0.2"
    run_pool p2-artifacts 5 0.003 no
    ;;
judgments) run_pool p2-artifacts 5 0.003 judge ;;
*) echo "mode: generations or judgments"; exit 2 ;;
esac
echo "end to end ($mode): identical"
