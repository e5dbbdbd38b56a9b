#!/usr/bin/env bash
# Setup time and memory per node on lime-sim with the full stack. Baseline: a 10-node line;
# then a WxH grid (default 10x10 = 100 nodes; SIM_GRID=5x5 for a smaller one). Prints the
# seconds per node of `lime-sim up` for both and their ratio, the time until the grid's far
# corner has the Babel default route of gateway n1, and the resident memory per node (all
# processes of a node namespace) with its breakdown per program.
source "$(dirname "$0")/sim_lib.sh"
grid=${SIM_GRID:-10x10}
t0=$(date +%s.%N); sim up line:10 >/dev/null; t1=$(date +%s.%N)
base=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", (b - a) / 10 }')
"$SIM" down >/dev/null
t0=$(date +%s.%N); sim up "grid:$grid" --gateway n1 >/dev/null; t1=$(date +%s.%N)
n=$(( ${grid%x*} * ${grid#*x} ))
per=$(awk -v a="$t0" -v b="$t1" -v n="$n" 'BEGIN { printf "%.3f", (b - a) / n }')
last="n$n"
conv() { "$SIM" exec "$last" -- ip -4 route show default proto babel | grep -q via; }
t2=$(date +%s.%N)
wait_for 300 conv && conv_s=$(awk -v a="$t2" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }') || conv_s="not within 300"
sleep 10   # let every daemon reach its steady state
python3 - "$n" "ls-${LIME_SIM_INSTANCE}-n-" <<'PY'
import os, sys
n = int(sys.argv[1])
want = {}
for f in os.listdir("/run/netns"):
    if f.startswith(sys.argv[2]):
        want[os.stat("/run/netns/" + f).st_ino] = f
per_prog, per_node = {}, {}
for pid in filter(str.isdigit, os.listdir("/proc")):
    try:
        ino = os.stat(f"/proc/{pid}/ns/net").st_ino
        if ino not in want:
            continue
        comm = open(f"/proc/{pid}/comm").read().strip()
        rss = next(int(l.split()[1]) for l in open(f"/proc/{pid}/status") if l.startswith("VmRSS:"))
    except Exception:
        continue
    per_prog.setdefault(comm, []).append(rss)
    per_node[want[ino]] = per_node.get(want[ino], 0) + rss
tot = sum(per_node.values())
print(f"sim_scale: RSS per node {tot / max(len(per_node), 1) / 1024:.1f} MiB over {len(per_node)} nodes; " +
      ", ".join(f"{k} {sum(v) / len(v) / 1024:.1f}" for k, v in sorted(per_prog.items())) + " MiB each")
PY
load=$(cut -d' ' -f1 /proc/loadavg)
echo "sim_scale: $last (far corner) has the Babel default route of gateway n1 ${conv_s} s after up returned (includes limed's first internet check)"
echo "sim_scale: setup ${base} s/node for line:10 (baseline), ${per} s/node for grid:$grid ($n nodes); ratio $(awk -v a="$base" -v b="$per" 'BEGIN { printf "%.2f", b / a }')x; load average after: $load"
