#!/usr/bin/env bash
# End to end: `headroom embed` against `headroom serve`'s /v1/embeddings writes one
# vector per query (batched, with an API key the files never hold), a pack keeps them,
# and a router trains on them (--features embeddings); a wrong model is refused in
# words and leaves no file behind.
#
#   embed_end_to_end.sh HEADROOM_CLI WORK_DIR
set -euo pipefail
cli=$1
work=$2
rm -rf "$work"
mkdir -p "$work"
server_pid=
cleanup() { if [[ -n $server_pid ]]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi; }
trap cleanup EXIT
fail() { echo "FAIL: $*"; exit 1; }

study=$work/study
"$cli" simulate --pool skeleton --seed 3 --out "$study" 2>/dev/null
"$cli" grade "$study" 2>/dev/null
"$cli" serve --pool skeleton --seed 3 --port 0 --latency none >"$work/url" 2>"$work/serve.log" &
server_pid=$!
for _ in $(seq 600); do [[ -s $work/url ]] && break; sleep 0.1; done
url=$(head -n1 "$work/url")
[[ $url == http://127.0.0.1:* ]] || { cat "$work/serve.log"; fail "serve did not start"; }

# A model the endpoint does not have: refused with its message, nothing written.
if "$cli" embed "$study" --endpoint "$url" --model no-such-embedder 2>"$work/wrong.err"; then fail "a wrong model was accepted"; fi
grep -q "no-such-embedder" "$work/wrong.err" || { cat "$work/wrong.err"; fail "the error does not name the model"; }
[[ ! -e $study/embeddings.jsonl ]] || fail "a failed run wrote embeddings.jsonl"

export HEADROOM_TEST_EMBED_KEY=sk-test-do-not-print-0123456789
"$cli" embed "$study" --endpoint "$url" --model sim-embed --batch 37 --api-key-env HEADROOM_TEST_EMBED_KEY \
    2>"$work/embed.err" || { cat "$work/embed.err"; fail "embed failed"; }
grep -q "embedded 400 queries (64 numbers each) in 11 requests" "$work/embed.err" || { cat "$work/embed.err"; fail "summary"; }
lines=$(wc -l <"$study/embeddings.jsonl")
[[ $lines -eq 400 ]] || fail "embeddings.jsonl has $lines lines, not 400"
if grep -rq "sk-test-do-not-print" "$study" "$work/embed.err"; then fail "the API key was written somewhere"; fi

"$cli" pack "$study" --out "$work/study.pack" 2>/dev/null
for source in "$study" "$work/study.pack"; do
    "$cli" route "$source" --router logistic --features embeddings --json >"$work/route.json" 2>"$work/route.err" \
        || { cat "$work/route.err"; fail "route --features embeddings on $source"; }
    grep -q '"router": *"logistic"\|"router":"logistic"' "$work/route.json" || fail "route printed no logistic run"
    grep -q '"features": *"embeddings"\|"features":"embeddings"' "$work/route.json" || fail "the run does not say embeddings"
    cp "$work/route.json" "$work/route-$(basename "$source").json"
done
cmp -s "$work/route-study.json" "$work/route-study.pack.json" || fail "the directory and its pack route differently"
echo "embed end to end: ok"
