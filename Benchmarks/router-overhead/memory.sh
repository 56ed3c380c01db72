#!/usr/bin/env bash
# Peak memory over a long run: the router under wrk at c=16 for N seconds (30 s gives > 50,000 requests, one ledger
# row each) against a zero-delay simulator; prints idle RSS, peak RSS (VmHWM), its anonymous and file-backed parts,
# and the ledger's size. Usage: Benchmarks/router-overhead/memory.sh path/to/claude-router [seconds]
# ROUTER_ARGS adds flags to `claude-router serve` (e.g. ROUTER_ARGS="--upstream-driver thread").
set -euo pipefail
cd "$(dirname "$0")/../.."
BIN=$1
W=$(mktemp -d)
fp() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
S=$(fp); A=$(fp)
echo '{"first_byte_delay_ms": 0, "output_tokens_min": 20, "output_tokens_max": 20, "tier": "unlimited"}' > "$W/sim.json"
. Benchmarks/bench-policies.sh
bench_policies policies "$W/p"
"$BIN" simulate --port "$S" --config "$W/sim.json" --log-level error >/dev/null 2>&1 & SP=$!
"$BIN" serve --port "$A" --upstream "http://127.0.0.1:$S" --policies "$W/p" --db "$W/a.sqlite" --log-level error \
    ${ROUTER_ARGS:-} >/dev/null 2>&1 & AP=$!
trap 'kill $SP $AP 2>/dev/null; rm -rf "$W"' EXIT
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$A/healthz" >/dev/null && break; sleep 0.1; done
echo "idle RSS: $(awk '/VmRSS/ {print $2/1024 " MB"}' "/proc/$AP/status")"
wrk -t2 -c16 -d"${2:-30}s" -s Benchmarks/router-overhead/post.lua "http://127.0.0.1:$A/v1/messages" \
    | awk '/requests in|Requests\/sec|Non-2xx/'
sleep 1
echo "peak RSS: $(awk '/VmHWM/ {print $2/1024 " MB"}' "/proc/$AP/status"); now $(grep -E 'RssAnon|RssFile' "/proc/$AP/status" | tr -s ' \t' ' ' | tr '\n' ' ')"
echo "ledger rows: $(sqlite3 "$W/a.sqlite" 'select count(*) from usage' 2>/dev/null || echo '?'), file $(du -m "$W/a.sqlite" | cut -f1) MB"
