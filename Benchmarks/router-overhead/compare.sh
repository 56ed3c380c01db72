#!/usr/bin/env bash
# Two builds in one run: run.sh with each binary in turn, interleaved, ROUNDS times, then per row the median of each
# side (req/s, p50, CPU per request) and the CPU difference. Use it for "before and after" a change:
#   Benchmarks/router-overhead/compare.sh BEFORE_BIN AFTER_BIN [rounds] [seconds-per-row] [upstream-delay-ms]
# SIDES="before after after-off" adds the after binary with difficulty_model: off (the router without its model);
# "after-loop" names the after binary's handlers on their connection's event loop explicitly (--handler-executor
# event-loop, the default again since the fifth pass; from 03130be to then the pool was); "after-pool" runs them on
# Swift's global pool; "after-thread" runs libcurl on a thread of its own (--upstream-driver thread) instead of a
# multi handle per event loop (the default since the eighth pass).
# BEFORE_POLICIES=dir gives the before binary its own policy directory (e.g. the before commit's policies/, which
# an older build can read; the after side always runs this checkout's policies/).
# UPSTREAM=mock (and MOCK_RPM, NGINX, FLOOR_BIN, FLOOR_DRIVER) pass through to run.sh: against the C mock each round also measures the nginx
# hop, and the table shows the direct and nginx rows of the same rounds beside the two builds.
set -euo pipefail
cd "$(dirname "$0")/../.."
BEFORE=$1
AFTER=$2
ROUNDS=${3:-2}
DURATION=${4:-5}
DELAY=${5:-0}
SIDES=${SIDES:-before after}
OUT=$(mktemp)
trap 'rm -f "$OUT"' EXIT
for round in $(seq 1 "$ROUNDS"); do
    for side in $SIDES; do
        args=
        case $side in
            before) bin=$BEFORE; model=; policies=${BEFORE_POLICIES:-policies} ;;
            after) bin=$AFTER; model=; policies=policies ;;
            after-off) bin=$AFTER; model=off; policies=policies ;;
            after-pool) bin=$AFTER; model=; policies=policies; args="--handler-executor pool" ;;
            after-loop) bin=$AFTER; model=; policies=policies; args="--handler-executor event-loop" ;;
            after-thread) bin=$AFTER; model=; policies=policies; args="--upstream-driver thread" ;;
        esac
        echo "== round $round, $side: $bin${model:+ (difficulty_model: $model)}${args:+ $args}"
        # One line per row: side, row name, req/s, p50 as wrk prints it, CPU ms per request ("-" for direct rows).
        BIN=$bin POLICIES=$policies DIFFICULTY_MODEL=$model ROUTER_ARGS=$args Benchmarks/router-overhead/run.sh "$DURATION" "$DELAY" |
            tee -a /dev/stderr |  # -a: a plain /dev/stderr reopens (and truncates) a file that stderr points to
            awk -v side="$side" '
                / c=[0-9]+: / { split($0, a, ":"); row = a[1]; rps = $(NF-7); p50 = $(NF-4); sub(",", "", p50)
                                if (row ~ /^direct/) print "direct\t" row "\t" rps "\t" p50 "\t-" }
                /^(router|nginx|hummingbird|hb\+libcurl) CPU:/ { print ($1 == "router" ? side : $1) "\t" row "\t" rps "\t" p50 "\t" $3 }' >>"$OUT"
    done
done 2>&1
echo
echo "median of $ROUNDS rounds of ${DURATION}s per row, upstream delay ${DELAY} ms: req/s / p50 ms / CPU ms per request"
python3 - "$OUT" direct nginx hummingbird hb+libcurl $SIDES <<'PY'
import re, statistics, sys

def ms(v):
    n = float(re.sub("[a-z]+$", "", v))
    if v.endswith("us"): return n / 1000
    if v.endswith("ms"): return n
    return n * 1000 if v.endswith("s") else n

rows, order = {}, []
for line in open(sys.argv[1]):
    side, row, rps, p50, cpu = line.rstrip("\n").split("\t")
    row = row.strip()
    if not row.startswith("router,"):
        row = re.sub(r"^(direct|nginx|hummingbird|hb\+libcurl|router)\s+", "", row)
    if row not in rows:
        rows[row] = {}
        order.append(row)
    rows[row].setdefault(side, []).append((float(rps), ms(p50), None if cpu == "-" else float(cpu)))
sides = [s for s in sys.argv[2:] if any(s in r for r in rows.values())]

def cell(values):
    text = f"{statistics.median(v[0] for v in values):,.0f} / {statistics.median(v[1] for v in values):.3f}"
    cpus = [v[2] for v in values if v[2] is not None]
    return text + (f" / {statistics.median(cpus):.3f}" if cpus else "")

def cpu(r, s):
    cpus = [v[2] for v in r.get(s, []) if v[2] is not None]
    return statistics.median(cpus) if cpus else None

# With FLOOR_BIN, the router's CPU over the stack under it (hb+libcurl) of the same rounds, per router side.
floor = "hb+libcurl" in sides
routers = [s for s in sides if s not in ("direct", "nginx", "hummingbird", "hb+libcurl")]
extra = [f"{s} CPU ÷ hb+libcurl" for s in routers] if floor else []
print("| row | " + " | ".join(sides + extra) + " | CPU after − before |")
print("|---|" + "---|" * (len(sides) + len(extra) + 1))
for row in order:
    r = rows[row]
    a, b = cpu(r, "after"), cpu(r, "before")
    diff = f"{a - b:+.3f}" if a is not None and b is not None else ""
    ratios = []
    if floor:
        base = cpu(r, "hb+libcurl")
        ratios = [f"{cpu(r, s) / base:.2f}" if base and cpu(r, s) is not None else "-" for s in routers]
    print(f"| {row} | " + " | ".join([cell(r[s]) if s in r else "-" for s in sides] + ratios) + f" | {diff} |")
PY
