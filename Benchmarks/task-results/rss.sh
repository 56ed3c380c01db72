#!/usr/bin/env bash
# Memory after many large synchronous task results: N (default 5,000) POST /v1/tasks answered at once with ~129 KB
# each (the simulator writes 29,000 output tokens), 4 at a time, through a running `serve`; prints the size of one
# answer, RSS after the run (VmRSS) and its peak (VmHWM), how many results spilled to the database, and whether the
# first result is still readable by its owner (GET /v1/tasks/{id}).
# Usage: Benchmarks/task-results/rss.sh path/to/claude-router [count]
set -euo pipefail
cd "$(dirname "$0")/../.."
BIN=$1
N=${2:-5000}
W=$(mktemp -d)
fp() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
S=$(fp); A=$(fp)
echo '{"first_byte_delay_ms": 0, "output_tokens_min": 29000, "output_tokens_max": 29000, "tier": "unlimited"}' > "$W/sim.json"
. Benchmarks/bench-policies.sh
bench_policies policies "$W/p"
"$BIN" simulate --port "$S" --config "$W/sim.json" --log-level error >/dev/null 2>&1 & SP=$!
"$BIN" serve --port "$A" --upstream "http://127.0.0.1:$S" --policies "$W/p" --db "$W/a.sqlite" --log-level error \
    >/dev/null 2>&1 & AP=$!
trap 'kill $SP $AP 2>/dev/null; rm -rf "$W"' EXIT
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$A/healthz" >/dev/null && break; sleep 0.1; done
echo "idle RSS: $(awk '/VmRSS/ {print $2/1024 " MB"}' "/proc/$AP/status")"
BODY='{"task_type":"writing","priority":"interactive","model":"claude-haiku-4-5","max_tokens":32000,"messages":[{"role":"user","content":"Write at length."}]}'
post() { curl -s -o /dev/null -w '%{http_code}\n' "http://127.0.0.1:$A/v1/tasks" -H 'x-api-key: dev-key-change-me' \
    -H 'content-type: application/json' -d "$BODY"; }
FIRST=$(curl -s "http://127.0.0.1:$A/v1/tasks" -H 'x-api-key: dev-key-change-me' -H 'content-type: application/json' -d "$BODY")
echo "one answer: $(printf '%s' "$FIRST" | wc -c) bytes"
ID=$(printf '%s' "$FIRST" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
export -f post; export A BODY
START=$(date +%s.%N)
seq 2 "$N" | xargs -P 4 -I{} bash -c post | sort | uniq -c | sed 's/^/  status /'
echo "$N tasks in $(python3 -c "import time; print(round(time.time() - $START, 1))") s"
sleep 1
echo "RSS after: $(awk '/VmRSS/ {print $2/1024 " MB"}' "/proc/$AP/status"), peak (VmHWM): $(awk '/VmHWM/ {print $2/1024 " MB"}' "/proc/$AP/status")"
echo "spilled to the database: $(sqlite3 "$W/a.sqlite" 'select count(*) from task_results' 2>/dev/null || echo '?')"
echo "first result readable by its owner: $(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$A/v1/tasks/$ID" -H 'x-api-key: dev-key-change-me')," \
    "by another client: $(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$A/v1/tasks/$ID" -H 'x-api-key: batch-key-change-me')"
