#!/usr/bin/env bash
# Router CPU per request of two builds in one run: run.sh with each binary in turn, interleaved, ROUNDS times, then
# per row the median of each side and the difference. Use it for "before and after" a change:
#   Benchmarks/router-overhead/compare.sh BEFORE_BIN AFTER_BIN [rounds] [seconds-per-row]
# SIDES="before after after-off" adds the after binary with difficulty_model: off (the router without its model).
# BEFORE_POLICIES=dir gives the before binary its own policy directory (e.g. the before commit's policies/, which
# an older build can read; the after side always runs this checkout's policies/).
set -euo pipefail
cd "$(dirname "$0")/../.."
BEFORE=$1
AFTER=$2
ROUNDS=${3:-2}
DURATION=${4:-5}
SIDES=${SIDES:-before after}
OUT=$(mktemp)
trap 'rm -f "$OUT"' EXIT
for round in $(seq 1 "$ROUNDS"); do
    for side in $SIDES; do
        case $side in
            before) bin=$BEFORE; model=; policies=${BEFORE_POLICIES:-policies} ;;
            after) bin=$AFTER; model=; policies=policies ;;
            after-off) bin=$AFTER; model=off; policies=policies ;;
        esac
        echo "== round $round, $side: $bin${model:+ (difficulty_model: $model)}"
        BIN=$bin POLICIES=$policies DIFFICULTY_MODEL=$model Benchmarks/router-overhead/run.sh "$DURATION" 0 | tee /dev/stderr |
            awk -v side="$side" '/ c=[0-9]+:/ { split($0, a, ":"); row = a[1] } /router CPU:/ { print side "\t" row "\t" $3 }' >>"$OUT"
    done
done 2>&1
echo
echo "router CPU per request (ms), median of $ROUNDS rounds of ${DURATION}s per row:"
python3 - "$OUT" $SIDES <<'PY'
import statistics, sys
rows, order = {}, []
for line in open(sys.argv[1]):
    side, row, ms = line.rstrip("\n").split("\t")
    if row not in rows: rows[row] = {}; order.append(row)
    rows[row].setdefault(side, []).append(float(ms))
sides = sys.argv[2:]
print("| row | " + " | ".join(sides) + " | after − before |")
print("|---|" + "---|" * (len(sides) + 1))
for row in order:
    med = {s: statistics.median(v) for s, v in rows[row].items()}
    diff = med.get("after", 0) - med.get("before", 0)
    print(f"| {row} | " + " | ".join(f"{med[s]:.3f}" if s in med else "-" for s in sides) + f" | {diff:+.3f} |")
PY
