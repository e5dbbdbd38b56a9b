#!/usr/bin/env bash
# Setup time and memory per node on lime-sim with the full stack. Baseline: a 10-node line;
# then a WxH grid (default 10x10 = 100 nodes; SIM_GRID=5x5 for a smaller one). Prints the
# seconds per node of `lime-sim up` for both and their ratio, the time until the grid's far
# corner has the Babel default route of gateway n1, and the resident memory per node (all
# processes of a node namespace) with its breakdown per program; for limed and batd their
# own memory (what they add to a router: see the comment in the python part) against the
# budget of issue 13 (limed 3 MiB with 50 nodes in shared-state, batd 2 MiB), beside their
# VmRSS, PSS and private dirty memory. Memory is read SIM_SETTLE s (default 70) after the far
# corner has its route. The budget's figure: SIM_GRID=10x5 (50 nodes).
#   LIME_SIM_INSTANCE=NAME SIM_GRID=10x5 bench/sim_scale.sh
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
sleep "${SIM_SETTLE:-70}" # steady state: every daemon past its start, limed past a malloc_trim
python3 - "$n" "ls-${LIME_SIM_INSTANCE}-n-" "/run/lime-sim/${LIME_SIM_INSTANCE}/nodes" <<'PY'
import json, os, re, sys
n = int(sys.argv[1])
want = {}
for f in os.listdir("/run/netns"):
    if f.startswith(sys.argv[2]):
        want[os.stat("/run/netns/" + f).st_ino] = f
# Memory of a daemon, two ways (docs/performance.md, "Memory on a router"):
#   VmRSS: every resident page mapped, shared library pages included (what ps/top show);
#   own:   what the daemon adds to a router: all of its resident pages (heap, stacks, its
#          binary, packet rings, libraries only it needs) except the shared pages of the
#          system's C library and loader (one copy for every process on the router) and of
#          Debian's TLS chain, which Debian's libmicrohttpd12 loads and OpenWrt's default
#          libmicrohttpd-no-ssl does not; of those only the pages it wrote (relocations,
#          .data) count.
SYSTEM = re.compile(r"/(libc|libm|libdl|libpthread|librt|libresolv|ld-linux[^/]*)\.so")
DEBIAN_ONLY = re.compile(r"/lib(gnutls|p11-kit|tasn1|nettle|hogweed|gmp|idn2|unistring|ffi)\.so")
# Also PSS (shared pages divided among the processes mapping them) and private dirty (pages
# only this process wrote: heap, stacks, rings, relocated data) from smaps_rollup.
def measure(pid):
    rss = own = 0
    name = ""
    for line in open(f"/proc/{pid}/smaps"):
        f = line.split()
        if re.match(r"^[0-9a-f]+-[0-9a-f]+$", f[0]):
            name = f[5] if len(f) > 5 else ""
            shared_lib = bool(SYSTEM.search(name) or DEBIAN_ONLY.search(name))
        elif f[0] == "Rss:":
            rss += int(f[1])
            if not shared_lib:
                own += int(f[1])
        elif f[0] == "Private_Dirty:" and shared_lib:
            own += int(f[1])
    roll = {l.split()[0]: int(l.split()[1]) for l in open(f"/proc/{pid}/smaps_rollup") if l.split()[-1] == "kB"}
    return rss, own, roll.get("Pss:", 0), roll.get("Private_Dirty:", 0)
per_prog, per_node = {}, {}
for pid in filter(str.isdigit, os.listdir("/proc")):
    try:
        ino = os.stat(f"/proc/{pid}/ns/net").st_ino
        if ino not in want:
            continue
        comm = open(f"/proc/{pid}/comm").read().strip()
        m = measure(pid)
    except Exception:
        continue
    rss = m[0]
    per_prog.setdefault(comm, []).append(m)
    per_node[want[ino]] = per_node.get(want[ino], 0) + rss
tot = sum(per_node.values())
mib = lambda kib: kib / 1024
print(f"sim_scale: RSS per node {mib(tot / max(len(per_node), 1)):.1f} MiB over {len(per_node)} nodes; " +
      ", ".join(f"{k} {mib(sum(m[0] for m in v) / len(v)):.1f}" for k, v in sorted(per_prog.items())) + " MiB each")
try:
    with open(os.path.join(sys.argv[3], f"n{n // 2}", "var/lib/shared-state/node_info.json")) as f:
        known = len(json.load(f).get("stateSlice", []))
except Exception:
    known = "?"
BUDGET = {"limed": 3.0, "batd": 2.0}
for k in ("limed", "batd"):
    v = per_prog.get(k)
    if not v:
        continue
    avg = lambda i: mib(sum(m[i] for m in v) / len(v))
    rss, own, pss, dirty = avg(0), avg(1), avg(2), avg(3)
    worst = mib(max(m[1] for m in v))
    print(f"sim_scale: {k}: VmRSS {rss:.2f} MiB (ratio {rss / BUDGET[k]:.2f}), PSS {pss:.2f}, "
          f"private dirty {dirty:.2f}, own {own:.2f} MiB (worst node {worst:.2f}), "
          f"budget {BUDGET[k]:.1f} MiB: own/budget {own / BUDGET[k]:.2f}"
          + (f" ({known} nodes in n{n // 2}'s shared-state node_info)" if k == "limed" else ""))
PY
load=$(cut -d' ' -f1 /proc/loadavg)
echo "sim_scale: $last (far corner) has the Babel default route of gateway n1 ${conv_s} s after up returned (includes limed's first internet check)"
echo "sim_scale: setup ${base} s/node for line:10 (baseline), ${per} s/node for grid:$grid ($n nodes); ratio $(awk -v a="$base" -v b="$per" 'BEGIN { printf "%.2f", b / a }')x; load average after: $load"
