#!/usr/bin/env bash
# Benchmark: lime-config on the worked example (tests/fixtures/worked-example, spec §8)
# against a baseline that only reads and writes the same UCI files through the same UCI
# library (`lime-config --rw-only`: parse + serialise + atomic write, no LibreMesh logic).
# Each of N runs (default 30; BENCH_RUNS) starts from a fresh copy of the fixture (the copy
# is not timed). Prints the medians and their ratio. Skips (exit 0) when not built.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${LIME_CONFIG:-}
for b in "${LIME_BINARY_DIR:-build}/src/config/lime-config" build/src/config/lime-config; do
    [[ -z "$BIN" && -x "$b" ]] && BIN=$b
done
if [[ -z "$BIN" ]]; then echo "config_lime-config: lime-config not built, skipped"; exit 0; fi
N=${BENCH_RUNS:-30}
work=$(mktemp -d /tmp/lime-config-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : int((a[NR/2]+a[NR/2+1])/2)}'; }

run() {  # run <extra args...>: prints N durations in microseconds
    for ((i = 0; i < N; i++)); do
        rm -rf "$work/root" && cp -a tests/fixtures/worked-example "$work/root"
        t0=$(date +%s%N)
        "$BIN" --root "$work/root" -q "$@" >/dev/null
        t1=$(date +%s%N)
        echo $(( (t1 - t0) / 1000 ))
    done
}

full=$(run | median)
base=$(run --rw-only | median)
echo "config_lime-config: worked example, $N runs each (median)"
echo "  lime-config (plan + uci backend, 11 files):  ${full} us"
echo "  baseline read+write of the same UCI files:   ${base} us"
awk -v a="$full" -v b="$base" 'BEGIN { printf "  ratio lime-config / baseline: %.2f\n", (b > 0 ? a / b : 0) }'
