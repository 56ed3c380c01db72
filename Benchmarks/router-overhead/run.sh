#!/usr/bin/env bash
# Router overhead: the simulator called directly, then the same load through claude-router, then direct again,
# in one run on this machine. Prints latency (p50/p99), throughput, the router's CPU time per request and its
# peak memory. Usage: [SCRATCH=.build-release] [BIN=path] Benchmarks/router-overhead/run.sh [duration-seconds] [upstream-delay-ms]
set -euo pipefail
cd "$(dirname "$0")/../.."
DURATION=${1:-10}
DELAY=${2:-0}
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk"; exit 1; }
SCRATCH=${SCRATCH:-.build}
# BIN=/path/to/claude-router compares another build (e.g. before/after a change) without rebuilding.
if [ -z "${BIN:-}" ]; then
    swift build -c release --scratch-path "$SCRATCH" --product claude-router >/dev/null
    BIN=$(swift build -c release --scratch-path "$SCRATCH" --show-bin-path)/claude-router
fi
WORK=$(mktemp -d)
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
SIM_PORT=$(free_port); ROUTER_PORT=$(free_port)
echo "{\"first_byte_delay_ms\": $DELAY, \"output_tokens_min\": 20, \"output_tokens_max\": 20, \"tier\": \"unlimited\"}" > "$WORK/sim.json"
cat > "$WORK/limits.yaml" <<'YAML'
buckets:
  haiku-4-5: {rpm: 100000000, itpm: 100000000, otpm: 100000000}
  sonnet-4: {rpm: 100000000, itpm: 100000000, otpm: 100000000}
  opus-4: {rpm: 100000000, itpm: 100000000, otpm: 100000000}
queue:
  max_queued_requests: 100000
YAML
# POLICIES=dir runs another policy directory (a build from before a change may not read today's files).
cp -r "${POLICIES:-policies}" "$WORK/policies" && cp "$WORK/limits.yaml" "$WORK/policies/limits.yaml"
# DIFFICULTY_MODEL=off measures the router without its difficulty model (routing.yaml's difficulty_model).
if [ -n "${DIFFICULTY_MODEL:-}" ]; then
    sed -i "s/^difficulty_model: .*/difficulty_model: $DIFFICULTY_MODEL/" "$WORK/policies/routing.yaml"
fi
# The dev client's budget ($20 a day, soft limit at 80 %) would downgrade requests after ~26,000 and refuse them
# (402) after ~33,000: every row must measure the same decision path, so the budget is raised out of reach.
sed -i -e 's/daily_usd: 20$/daily_usd: 1000000/' -e 's/monthly_usd: 300$/monthly_usd: 1000000/' \
    "$WORK/policies/clients.yaml"
"$BIN" simulate --port "$SIM_PORT" --config "$WORK/sim.json" --log-level error >"$WORK/sim.log" 2>&1 &
SIM_PID=$!
"$BIN" serve --port "$ROUTER_PORT" --upstream "http://127.0.0.1:$SIM_PORT" --policies "$WORK/policies" \
    --db "$WORK/ledger.sqlite" --log-level error >"$WORK/router.log" 2>&1 &
ROUTER_PID=$!
trap 'kill $SIM_PID $ROUTER_PID 2>/dev/null; rm -rf "$WORK"' EXIT
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$ROUTER_PORT/healthz" >/dev/null && break; sleep 0.1; done
cpu_ticks() { awk '{print $14+$15}' "/proc/$1/stat"; }
TICK=$(getconf CLK_TCK)
run() { # name port connections [wrk script]
    local out; out=$(wrk -t"$(( $3 < 2 ? 1 : 2 ))" -c"$3" -d"${DURATION}s" --latency -s "Benchmarks/router-overhead/${4:-post.lua}" "http://127.0.0.1:$2/v1/messages")
    local rps p50 p99 reqs
    rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
    p50=$(echo "$out" | awk '$1=="50%" {print $2}')
    p99=$(echo "$out" | awk '$1=="99%" {print $2}')
    reqs=$(echo "$out" | awk '/requests in/ {print $1}')
    local errors; errors=$(echo "$out" | awk '/Non-2xx/ {print $5}')
    echo "$1 c=$3: $rps req/s, p50 $p50, p99 $p99, $reqs requests${errors:+, $errors NOT 2xx (row invalid)}"
    LAST_REQS=$reqs
}
echo "machine: $(nproc) cores; duration ${DURATION}s per row; upstream delay ${DELAY} ms"
curl -s "http://127.0.0.1:$ROUTER_PORT/v1/messages" -H 'x-api-key: dev-key-change-me' -H 'content-type: application/json' -d '{"model":"auto","max_tokens":8,"messages":[{"role":"user","content":"warm up"}]}' >/dev/null
for c in 1 16 64; do
    run "direct " "$SIM_PORT" "$c"; sleep 1
    before=$(cpu_ticks $ROUTER_PID)
    run "router " "$ROUTER_PORT" "$c"
    after=$(cpu_ticks $ROUTER_PID)
    awk -v t=$((after-before)) -v hz="$TICK" -v n="$LAST_REQS" 'BEGIN { printf "router CPU: %.3f ms per request\n", t*1000/hz/n }'
    sleep 1
    run "direct " "$SIM_PORT" "$c"; sleep 1
done
# The rule-matching body with "model":"auto": the rule names the task type, the router model judges the difficulty.
for c in 1 16; do
    before=$(cpu_ticks $ROUTER_PID)
    run "router, rule matches, auto" "$ROUTER_PORT" "$c" post-auto.lua
    after=$(cpu_ticks $ROUTER_PID)
    awk -v t=$((after-before)) -v hz="$TICK" -v n="$LAST_REQS" 'BEGIN { printf "router CPU: %.3f ms per request\n", t*1000/hz/n }'
    sleep 1
done
# The same body with a prompt no classifier rule matches: the router model's task head names the task type (the
# naive-Bayes classifier with difficulty_model: off).
for c in 1 16; do
    before=$(cpu_ticks $ROUTER_PID)
    run "router, no rule matches" "$ROUTER_PORT" "$c" post-nomatch.lua
    after=$(cpu_ticks $ROUTER_PID)
    awk -v t=$((after-before)) -v hz="$TICK" -v n="$LAST_REQS" 'BEGIN { printf "router CPU: %.3f ms per request\n", t*1000/hz/n }'
    sleep 1
done
echo "router peak RSS: $(awk '/VmHWM/ {print $2/1024 " MB"}' /proc/$ROUTER_PID/status)"
echo "ledger rows: $(sqlite3 "$WORK/ledger.sqlite" 'select count(*) from usage' 2>/dev/null || echo '?')"

