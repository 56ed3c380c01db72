#!/usr/bin/env bash
# In-process routing CPU per request of an older commit and of this checkout, in one run (RouteBench, release):
#   Benchmarks/route-bench/compare.sh [BEFORE_COMMIT] [rounds] [runs-per-shape]
# Defaults: 9eafd4e (before difficulty routing), 6 rounds, 11 runs. The before tree is extracted with `git archive`
# into .build-route-bench/<commit>/src (kept, with its build, so a second run rebuilds only RouteBench), given this
# checkout's Benchmarks/RouteBench/RouteBench.swift plus the commit's RouteCall from shims/<commit>/ (the API it had;
# without one, this checkout's RouteCall.swift) and a RouteBench target. Each round runs both binaries, in
# alternating order, each on its own policies/. Prints per shape the median over rounds of each side's median CPU
# µs per call, the difference, and the smallest and largest per-round difference (the run's noise).
# AFTER_SCRATCH=dir builds this checkout in another scratch path (default .build-release).
set -euo pipefail
cd "$(dirname "$0")/../.."
BEFORE=${1:-9eafd4e}
ROUNDS=${2:-6}
AFTER_SCRATCH=${AFTER_SCRATCH:-.build-release}
RUNS=${3:-11}
SHA=$(git rev-parse --short=7 "$BEFORE^{commit}")
ROOT=.build-route-bench/$SHA
SRC=$ROOT/src
if [ ! -e "$SRC/Package.swift" ]; then
    mkdir -p "$SRC"
    git archive "$SHA" | tar -x -C "$SRC"
fi
mkdir -p "$SRC/Benchmarks/RouteBench"
cp Benchmarks/RouteBench/RouteBench.swift "$SRC/Benchmarks/RouteBench/"
SHIM=Benchmarks/route-bench/shims/$SHA/RouteCall.swift
[ -e "$SHIM" ] || SHIM=Benchmarks/RouteBench/RouteCall.swift
cp "$SHIM" "$SRC/Benchmarks/RouteBench/RouteCall.swift"
if ! grep -q '"RouteBench"' "$SRC/Package.swift"; then
    python3 - "$SRC/Package.swift" <<'PY'
import sys
p = sys.argv[1]
s = open(p).read()
target = ('targets.append(.executableTarget(name: "RouteBench", dependencies: ["RouterCore", "PolicyYAML", '
          '"ClaudeAPI"], path: "Benchmarks/RouteBench", swiftSettings: strict))\n\n')
s = s.replace("let package = Package(", target + "let package = Package(", 1)
open(p, "w").write(s)
PY
fi
echo "== building RouteBench at $SHA ($SRC)" >&2
(cd "$SRC" && swift build -c release --product RouteBench --scratch-path ../build >&2)
echo "== building RouteBench at this checkout" >&2
swift build -c release --product RouteBench --scratch-path "$AFTER_SCRATCH" >&2
BEFORE_BIN=$ROOT/build/release/RouteBench
AFTER_BIN=$AFTER_SCRATCH/release/RouteBench
OUT=$(mktemp)
trap 'rm -f "$OUT"' EXIT
for round in $(seq 1 "$ROUNDS"); do
    if [ $((round % 2)) -eq 1 ]; then order="before after"; else order="after before"; fi
    for side in $order; do
        if [ "$side" = before ]; then
            "$BEFORE_BIN" --policies "$SRC/policies" --runs "$RUNS"
        else
            "$AFTER_BIN" --policies policies --runs "$RUNS"
        fi | awk -v side="$side" -v round="$round" -F'\t' '{ print side "\t" round "\t" $1 "\t" $2 "\t" $3 }' |
            tee -a "$OUT" >&2
    done
done
echo
echo "routing CPU per request (µs, in process), $SHA → this checkout; median of $ROUNDS rounds, each the median of $RUNS runs:"
python3 - "$OUT" <<'PY'
import statistics, sys
data, order = {}, []
for line in open(sys.argv[1]):
    side, rnd, shape, us, model = line.rstrip("\n").split("\t")
    if shape not in data:
        data[shape] = {}
        order.append(shape)
    data[shape].setdefault(side, {})[int(rnd)] = (float(us), model)
print("| request | before | after | after − before | per-round difference, min … max | model before → after |")
print("|---|---|---|---|---|---|")
for shape in order:
    b, a = data[shape].get("before", {}), data[shape].get("after", {})
    mb = statistics.median(v[0] for v in b.values())
    ma = statistics.median(v[0] for v in a.values())
    diffs = [a[r][0] - b[r][0] for r in a if r in b]
    models = f"{next(iter(b.values()))[1]} → {next(iter(a.values()))[1]}"
    print(f"| {shape} | {mb:.1f} | {ma:.1f} | {ma - mb:+.1f} | {min(diffs):+.1f} … {max(diffs):+.1f} | {models} |")
PY
