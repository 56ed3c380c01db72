#!/usr/bin/env bash
# Allocations per request: a count that does not move with the machine's load, for telling apart changes of a few
# per cent that the CPU-time rows of run.sh cannot (their noise on a shared 2-core host is ±20–40 %).
# The router runs against the C mock (zero delay); after WARM requests, a uprobe on libc's malloc counts the
# router's calls while N more requests are sent one after another on one keep-alive connection (Python's
# http.client, the body of the wrk script). Needs root, perf (linux-perf) and a kernel with uprobes. Usage:
#   Benchmarks/router-overhead/allocations.sh path/to/claude-router [N=2000] [post.lua|post-auto.lua|post-nomatch.lua]
# Back-to-back runs of one binary agree to a tenth of an allocation. The CPU figure it prints includes the probe's
# own cost (a trap per malloc), so compare it only with another run of this script. ROUTER_ARGS adds flags to
# `claude-router serve` (e.g. ROUTER_ARGS="--upstream-driver thread").
set -euo pipefail
cd "$(dirname "$0")/../.."
BIN=$1
N=${2:-2000}
BODY=${3:-post.lua}
WARM=${WARM:-300}
command -v perf >/dev/null || { echo "perf is needed: apt-get install linux-perf"; exit 1; }
LIBC=$(ldd "$BIN" | awk '/libc\.so/ {print $3}')
perf probe -l 2>/dev/null | grep -q 'probe_libc:malloc' || perf probe -q -x "$LIBC" malloc
W=$(mktemp -d)
fp() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
M=$(fp); A=$(fp)
cc -O2 -o "$W/mock" Benchmarks/router-overhead/mock/mock.c
"$W/mock" "$M" 0 >/dev/null 2>&1 & MP=$!
. Benchmarks/bench-policies.sh
bench_policies policies "$W/p"
"$BIN" serve --port "$A" --upstream "http://127.0.0.1:$M" --policies "$W/p" --db "$W/a.sqlite" --log-level error \
    ${ROUTER_ARGS:-} >"$W/router.log" 2>&1 & AP=$!
trap 'kill $MP $AP 2>/dev/null; wait 2>/dev/null; rm -rf "$W"' EXIT
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$A/healthz" >/dev/null && break; sleep 0.1; done
send() {
    python3 - "$A" "$1" "Benchmarks/router-overhead/$BODY" <<'PY'
import http.client, re, sys
port, n, script = int(sys.argv[1]), int(sys.argv[2]), open(sys.argv[3]).read()
filler = re.search(r'string\.rep\("(.*?)", (\d+)\)', script)
text = filler.group(1) * int(filler.group(2)) if filler else ""
body = re.search(r"wrk\.body = '(.*?)' \.\. filler \.\. '(.*?)'", script)
payload = (body.group(1) + text + body.group(2)).encode()
headers = dict(re.findall(r'wrk\.headers\["(.*?)"\] = "(.*?)"', script))
conn = http.client.HTTPConnection("127.0.0.1", port)
for _ in range(n):
    conn.request("POST", "/v1/messages", payload, headers)
    response = conn.getresponse()
    response.read()
    if response.status != 200:
        sys.exit(f"status {response.status}")
PY
}
send "$WARM"
ticks() { awk '{print $14 + $15}' "/proc/$AP/stat"; }
t0=$(ticks)
# The workload only bounds the count; it is ended (not perf: a background job ignores SIGINT) once N are sent.
perf stat -e probe_libc:malloc -p "$AP" -x, -o "$W/stat" -- sleep 3600 2>/dev/null & SP=$!
sleep 0.5
send "$N"
t1=$(ticks)
pkill -P "$SP" sleep
wait "$SP" 2>/dev/null || true
mallocs=$(awk -F, '/malloc/ {print $1}' "$W/stat")
awk -v m="$mallocs" -v n="$N" -v t=$((t1 - t0)) -v hz="$(getconf CLK_TCK)" -v body="$BODY" 'BEGIN {
    printf "%s: %.1f mallocs per request, %.3f ms CPU per request with the probe (%d requests)\n", body, m / n, t * 1000 / hz / n, n }'
