#!/usr/bin/env bash
# Router overhead: the upstream called directly, then the same load through claude-router, then direct again,
# in one run on this machine. Prints latency (p50/p99), throughput, the router's CPU time per request and its
# peak memory. Usage: [SCRATCH=.build-release] [BIN=path] Benchmarks/router-overhead/run.sh [duration-seconds] [upstream-delay-ms]
# UPSTREAM=mock uses the small C mock of the Messages API (mock/mock.c, built here with cc -O2) instead of the
# simulator, and adds an nginx reverse-proxy hop in front of the same mock (NGINX=0 leaves it out), so every router
# figure stands next to a bare proxy's measured in the same run. MOCK_RPM=4000 makes the mock advertise the
# anthropic-ratelimit-* headers of a 4,000-RPM organisation (the paced case). ROUTER_ARGS adds flags to
# `claude-router serve` (e.g. ROUTER_ARGS="--handler-executor event-loop").
# FLOOR_BIN=path/to/HopFloor (swift build -c release --product HopFloor) adds two rows per concurrency: the stack
# the router is built on with none of its work, "hummingbird" (Hummingbird 2 answering the mock's response itself)
# and "hb+libcurl" (Hummingbird 2 proxying to the same upstream through CurlHTTPClient), so the router's own cost
# is the router row less the hb+libcurl row of the same run. FLOOR_DRIVER=event-loop drives its libcurl on the loops.
set -euo pipefail
cd "$(dirname "$0")/../.."
. Benchmarks/router-overhead/lib.sh
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
SIM_PORT=$(free_port); ROUTER_PORT=$(free_port); NGINX_PORT=$(free_port); HB_PORT=$(free_port); HBC_PORT=$(free_port)
UPSTREAM=${UPSTREAM:-simulator}
if [ "$UPSTREAM" = mock ]; then NGINX=${NGINX:-1}; else NGINX=${NGINX:-0}; fi
if [ "$NGINX" = 1 ] && ! command -v nginx >/dev/null; then echo "nginx is needed for the hop row: apt-get install nginx-light (or NGINX=0)"; exit 1; fi
echo "{\"first_byte_delay_ms\": $DELAY, \"output_tokens_min\": 20, \"output_tokens_max\": 20, \"tier\": \"unlimited\"}" > "$WORK/sim.json"
# POLICIES=dir runs another policy directory (a build from before a change may not read today's files), with the
# limits no row should hit (Benchmarks/bench-policies.sh).
. Benchmarks/bench-policies.sh
bench_policies "${POLICIES:-policies}" "$WORK/policies"
# DIFFICULTY_MODEL=off measures the router without its difficulty model (routing.yaml's difficulty_model).
if [ -n "${DIFFICULTY_MODEL:-}" ]; then
    sed -i "s/^difficulty_model: .*/difficulty_model: $DIFFICULTY_MODEL/" "$WORK/policies/routing.yaml"
fi
if [ "$UPSTREAM" = mock ]; then
    cc -O2 -o "$WORK/mock" Benchmarks/router-overhead/mock/mock.c
    "$WORK/mock" "$SIM_PORT" "$DELAY" ${MOCK_RPM:-} >"$WORK/sim.log" 2>&1 &
else
    "$BIN" simulate --port "$SIM_PORT" --config "$WORK/sim.json" --log-level error >"$WORK/sim.log" 2>&1 &
fi
SIM_PID=$!
NGINX_PID=
if [ "$NGINX" = 1 ]; then
    # A plain reverse proxy: keep-alive to the upstream, no access log, buffers in memory; config in the temp dir.
    mkdir -p "$WORK/nginx" && chmod 777 "$WORK/nginx"
    cat > "$WORK/nginx/nginx.conf" <<NGINX
daemon off;
worker_processes auto;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/error.log error;
events { worker_connections 4096; }
http {
    access_log off;
    client_body_temp_path $WORK/nginx/body;
    proxy_temp_path $WORK/nginx/proxy;
    fastcgi_temp_path $WORK/nginx/fastcgi;
    uwsgi_temp_path $WORK/nginx/uwsgi;
    scgi_temp_path $WORK/nginx/scgi;
    upstream mock { server 127.0.0.1:$SIM_PORT; keepalive 256; }
    server {
        listen 127.0.0.1:$NGINX_PORT;
        location / {
            proxy_pass http://mock;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
        }
    }
}
NGINX
    nginx -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" -e "$WORK/nginx/error.log" >"$WORK/nginx.log" 2>&1 &
    NGINX_PID=$!
fi
"$BIN" serve --port "$ROUTER_PORT" --upstream "http://127.0.0.1:$SIM_PORT" --policies "$WORK/policies" \
    --db "$WORK/ledger.sqlite" --log-level error ${ROUTER_ARGS:-} >"$WORK/router.log" 2>&1 &
ROUTER_PID=$!
HB_PID=; HBC_PID=
if [ -n "${FLOOR_BIN:-}" ]; then
    "$FLOOR_BIN" "$HB_PORT" answer >"$WORK/hb.log" 2>&1 &
    HB_PID=$!
    "$FLOOR_BIN" "$HBC_PORT" proxy "http://127.0.0.1:$SIM_PORT" "${FLOOR_DRIVER:-thread}" >"$WORK/hbc.log" 2>&1 &
    HBC_PID=$!
fi
trap 'kill $SIM_PID $ROUTER_PID $NGINX_PID $HB_PID $HBC_PID 2>/dev/null; wait 2>/dev/null; rm -rf "$WORK"' EXIT
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$ROUTER_PORT/healthz" >/dev/null && break; sleep 0.1; done
for port in ${HB_PID:+$HB_PORT $HBC_PORT}; do
    for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$port/v1/messages" -d '{}' >/dev/null && break; sleep 0.1; done
done
# CPU ticks (user + system) of a process and its children threads; for nginx, the master and its workers.
cpu_ticks() { local t=0 p; for p in $1 $(pgrep -P "$1" 2>/dev/null); do t=$((t + $(awk '{print $14+$15}' "/proc/$p/stat"))); done; echo $t; }
peak_rss_mb() { local k=0 p; for p in $1 $(pgrep -P "$1" 2>/dev/null); do k=$((k + $(awk '/VmHWM/ {print $2}' "/proc/$p/status"))); done; awk -v k=$k 'BEGIN { printf "%.1f", k/1024 }'; }
ROWS="$WORK/rows.tsv"; : >"$ROWS"
# wrk prints latencies as 23.00us, 1.05ms or 1.20s: in milliseconds.
to_ms() { awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n = n; else if (v ~ /s$/) n *= 1000; printf "%.3f", n }'; }
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
    LAST_ROW="$(echo "$1" | xargs)\t$3\t$rps\t$(to_ms "$p50")\t$(to_ms "$p99")"
}
# cpu_row name pid before-ticks: prints and records CPU per request of the row just run.
cpu_row() {
    local after; after=$(cpu_ticks "$2")
    local ms; ms=$(awk -v t=$((after-$3)) -v hz="$TICK" -v n="$LAST_REQS" 'BEGIN { printf "%.3f", t*1000/hz/n }')
    echo "$1 CPU: $ms ms per request"
    printf "%b\t%s\n" "$LAST_ROW" "$ms" >>"$ROWS"
}
# proxy_row name pid port connections [row label] [wrk script]: one row through a proxy, with its CPU per request.
proxy_row() {
    local before; before=$(cpu_ticks "$2")
    run "${5:-$1 }" "$3" "$4" "${6:-}"
    cpu_row "$1" "$2" "$before"
    sleep 1
}
direct_row() {
    run "direct " "$SIM_PORT" "$1"
    printf "%b\t-\n" "$LAST_ROW" >>"$ROWS"
}
echo "machine: $(nproc) cores; duration ${DURATION}s per row; upstream delay ${DELAY} ms"
curl -s "http://127.0.0.1:$ROUTER_PORT/v1/messages" -H 'x-api-key: dev-key-change-me' -H 'content-type: application/json' -d '{"model":"auto","max_tokens":8,"messages":[{"role":"user","content":"warm up"}]}' >/dev/null
echo "upstream: $UPSTREAM${MOCK_RPM:+ (advertising $MOCK_RPM RPM)}${NGINX_PID:+; nginx hop row}"
for c in 1 16 64; do
    direct_row "$c"; sleep 1
    [ -n "$NGINX_PID" ] && proxy_row nginx "$NGINX_PID" "$NGINX_PORT" "$c"
    if [ -n "$HB_PID" ]; then
        proxy_row hummingbird "$HB_PID" "$HB_PORT" "$c"
        proxy_row hb+libcurl "$HBC_PID" "$HBC_PORT" "$c"
    fi
    proxy_row router "$ROUTER_PID" "$ROUTER_PORT" "$c"
    direct_row "$c"; sleep 1
done
# The rule-matching body with "model":"auto": the rule names the task type, the router model judges the difficulty.
for c in 1 16; do proxy_row router "$ROUTER_PID" "$ROUTER_PORT" "$c" "router, rule matches, auto" post-auto.lua; done
# The same body with a prompt no classifier rule matches: the router model's task head names the task type (the
# naive-Bayes classifier with difficulty_model: off).
for c in 1 16; do proxy_row router "$ROUTER_PID" "$ROUTER_PORT" "$c" "router, no rule matches" post-nomatch.lua; done
echo "router peak RSS: $(peak_rss_mb $ROUTER_PID) MB"
[ -n "$NGINX_PID" ] && echo "nginx peak RSS (master + workers): $(peak_rss_mb $NGINX_PID) MB"
# Side by side: each proxy against the direct rows around it (the mean of the direct row before and after).
python3 - "$ROWS" <<'PY'
import sys
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1]) if l.strip()]
print("\nsummary (direct = mean of the direct rows around the proxy rows at the same concurrency):")
print("(CPU × nginx, × stack: the row's CPU per request over the nginx hop's and over hb+libcurl's at the same concurrency)")
print("| c | proxy | req/s | share of direct req/s | p50 ms | added p50 ms | CPU ms per request | CPU × nginx | CPU × stack |")
print("|---|---|---|---|---|---|---|---|---|")
for c in ("1", "16", "64"):
    direct = [r for r in rows if r[0] == "direct" and r[1] == c]
    if not direct: continue
    d_rps = sum(float(r[2]) for r in direct) / len(direct)
    d_p50 = sum(float(r[3]) for r in direct) / len(direct)
    nginx = [float(r[5]) for r in rows if r[0] == "nginx" and r[1] == c]
    stack = [float(r[5]) for r in rows if r[0] == "hb+libcurl" and r[1] == c]
    print(f"| {c} | direct | {d_rps:,.0f} | 100 % | {d_p50:.3f} | | | | |")
    for r in rows:
        if r[0] in ("nginx", "hummingbird", "hb+libcurl", "router") and r[1] == c:
            ratio = f"{float(r[5]) / nginx[0]:.1f}" if nginx and nginx[0] > 0 else ""
            over = f"{float(r[5]) / stack[0]:.2f}" if stack and stack[0] > 0 and r[0] == "router" else ""
            print(f"| {c} | {r[0]} | {float(r[2]):,.0f} | {100*float(r[2])/d_rps:.1f} % | {float(r[3]):.3f} | {float(r[3])-d_p50:+.3f} | {r[5]} | {ratio} | {over} |")
PY
echo "ledger rows: $(sqlite3 "$WORK/ledger.sqlite" 'select count(*) from usage' 2>/dev/null || echo '?')"

