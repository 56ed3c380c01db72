#!/usr/bin/env bash
# What each optional feature costs: five `claude-router serve` processes of one binary, with the benchmark's
# policies (Benchmarks/bench-policies.sh) and one knob changed in each, in front of the C mock; wrk rows at c = 1
# and c = 16 interleaved over ROUNDS rounds, printing the router's CPU per request for each row.
#   Benchmarks/router-overhead/features.sh path/to/claude-router [rounds] [seconds-per-row]
# Configurations: full; cache-off (cache.yaml mode: off); model-off (routing.yaml difficulty_model: off);
# no-budget (the development client without its daily and monthly budget); all-off (the three together).
set -euo pipefail
cd "$(dirname "$0")/../.."
BIN=$1; ROUNDS=${2:-2}; DURATION=${3:-8}
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk"; exit 1; }
. Benchmarks/bench-policies.sh
. Benchmarks/router-overhead/lib.sh
WORK=$(mktemp -d)
cc -O2 -o "$WORK/mock" Benchmarks/router-overhead/mock/mock.c
MOCK_PORT=$(free_port)
"$WORK/mock" "$MOCK_PORT" 0 >/dev/null 2>&1 &
PIDS="$!"
trap 'kill $PIDS 2>/dev/null; wait 2>/dev/null; rm -rf "$WORK"' EXIT
CONFIGS="full cache-off model-off no-budget all-off"
declare -A PORT PID
for cfg in $CONFIGS; do
    bench_policies policies "$WORK/$cfg"
    case $cfg in
        cache-off | all-off) sed -i 's/^mode: .*/mode: off/' "$WORK/$cfg/cache.yaml" ;;&
        model-off | all-off) sed -i 's/^difficulty_model: .*/difficulty_model: off/' "$WORK/$cfg/routing.yaml" ;;&
        no-budget | all-off) sed -i -e '/daily_usd: 1000000$/d' -e '/monthly_usd: 1000000$/d' "$WORK/$cfg/clients.yaml" ;;
    esac
    PORT[$cfg]=$(free_port)
    "$BIN" serve --port "${PORT[$cfg]}" --upstream "http://127.0.0.1:$MOCK_PORT" --policies "$WORK/$cfg" \
        --db "$WORK/$cfg.sqlite" --log-level error >"$WORK/$cfg.log" 2>&1 &
    PID[$cfg]=$!
    PIDS="$PIDS $!"
done
for cfg in $CONFIGS; do
    for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:${PORT[$cfg]}/healthz" >/dev/null && break; sleep 0.1; done
done
for round in $(seq 1 "$ROUNDS"); do
    for cfg in $CONFIGS; do
        for c in 1 16; do
            read -r ms n bad <<<"$(wrk_cpu_row "${PID[$cfg]}" "${PORT[$cfg]}" "$c" "$DURATION")"
            echo "round $round $cfg c=$c: $ms ms CPU per request, $n requests$([ "$bad" = 0 ] || echo ", $bad NOT 2xx (row invalid)")"
        done
    done
done
