#!/usr/bin/env bash
# Where the router's own CPU goes, stage by stage: one router binary built with ladder.patch (never shipped), whose
# `CR_LADDER=<stage>` makes `POST /v1/messages` stop after one stage of the request path or skip one piece of it,
# run as one process per stage beside HopFloor (Hummingbird alone, and Hummingbird + libcurl as a bare proxy) in
# front of the C mock. wrk rows at c = 16 and c = 1, every process in turn, over ROUNDS rounds; each row prints the
# process's CPU per request, and the end a table of medians with each stage's increment over the one before.
#   Benchmarks/router-overhead/ladder.sh [rounds] [seconds-per-row]
# LADDER_BIN (a router built with the patch) and FLOOR_BIN (HopFloor) skip the build: without them the script
# checks out HEAD in a temporary worktree, applies the patch and builds both in release there (about 12 minutes
# cold on 2 cores). The stages are documented in the patch (Sources/RouterHTTP/Calls/Ladder.swift).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROUNDS=${1:-3}; DURATION=${2:-5}
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk"; exit 1; }
. Benchmarks/bench-policies.sh
. Benchmarks/router-overhead/lib.sh
WORK=$(mktemp -d)
PIDS=""
cleanup() {
    kill $PIDS 2>/dev/null || true
    wait 2>/dev/null || true
    if [ -d "$WORK/src" ]; then git worktree remove --force "$WORK/src" >/dev/null 2>&1 || true; fi
    rm -rf "$WORK"
}
trap cleanup EXIT
if [ -z "${LADDER_BIN:-}" ] || [ -z "${FLOOR_BIN:-}" ]; then
    git worktree add --detach "$WORK/src" HEAD >/dev/null
    (cd "$WORK/src" && git apply Benchmarks/router-overhead/ladder.patch \
        && swift build -c release --scratch-path .build-release --product claude-router >&2 \
        && swift build -c release --scratch-path .build-release --product HopFloor >&2)
    LADDER_BIN=${LADDER_BIN:-$WORK/src/.build-release/release/claude-router}
    FLOOR_BIN=${FLOOR_BIN:-$WORK/src/.build-release/release/HopFloor}
fi
cc -O2 -o "$WORK/mock" Benchmarks/router-overhead/mock/mock.c
MOCK_PORT=$(free_port)
"$WORK/mock" "$MOCK_PORT" 0 >/dev/null 2>&1 &
PIDS="$!"
bench_policies policies "$WORK/policies"
declare -A PORT PID MED
STAGES="handler body prepare transport dispatch receive no-headers no-metrics no-ledger full"
NAMES="hummingbird hb+libcurl $STAGES"
PORT[hummingbird]=$(free_port)
"$FLOOR_BIN" "${PORT[hummingbird]}" answer >"$WORK/hummingbird.log" 2>&1 &
PID[hummingbird]=$!; PIDS="$PIDS $!"
PORT[hb+libcurl]=$(free_port)
"$FLOOR_BIN" "${PORT[hb+libcurl]}" proxy "http://127.0.0.1:$MOCK_PORT" >"$WORK/hb+libcurl.log" 2>&1 &
PID[hb+libcurl]=$!; PIDS="$PIDS $!"
for stage in $STAGES; do
    PORT[$stage]=$(free_port)
    CR_LADDER=$stage "$LADDER_BIN" serve --port "${PORT[$stage]}" --upstream "http://127.0.0.1:$MOCK_PORT" \
        --policies "$WORK/policies" --db "$WORK/$stage.sqlite" --log-level error >"$WORK/$stage.log" 2>&1 &
    PID[$stage]=$!; PIDS="$PIDS $!"
done
for stage in $STAGES; do
    for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:${PORT[$stage]}/healthz" >/dev/null && break; sleep 0.1; done
done
for name in hummingbird hb+libcurl; do
    for _ in $(seq 1 100); do
        curl -fs -o /dev/null -X POST -d '{}' "http://127.0.0.1:${PORT[$name]}/v1/messages" && break; sleep 0.1
    done
done
RESULTS="$WORK/results"
for round in $(seq 1 "$ROUNDS"); do
    for c in 16 1; do
        for name in $NAMES; do
            read -r ms n bad <<<"$(wrk_cpu_row "${PID[$name]}" "${PORT[$name]}" "$c" "$DURATION")"
            echo "round $round c=$c $name: $ms ms CPU per request, $n requests$([ "$bad" = 0 ] || echo ", $bad NOT 2xx (row invalid)")"
            echo "$c $name $ms" >>"$RESULTS"
        done
    done
done
echo
echo "medians of $ROUNDS rounds (ms CPU per request; + is the increment over the row above)"
for c in 16 1; do
    echo "c = $c"
    prev=""
    for name in $NAMES; do
        m=$(awk -v c="$c" -v n="$name" '$1 == c && $2 == n { print $3 }' "$RESULTS" | sort -n \
            | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }')
        case $name in
            hummingbird | hb+libcurl) inc="" ;;
            handler) inc=$(awk -v a="$m" -v b="${MED[hummingbird]}" 'BEGIN { printf "%+.3f over hummingbird", a - b }') ;;
            *) inc=$(awk -v a="$m" -v b="$prev" 'BEGIN { printf "%+.3f", a - b }') ;;
        esac
        MED[$name]=$m
        printf "  %-12s %.3f  %s\n" "$name" "$m" "$inc"
        case $name in hummingbird | hb+libcurl) ;; *) prev=$m ;; esac
    done
done
