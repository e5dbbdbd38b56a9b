#!/usr/bin/env bash
# Benchmark: batd against the kernel's batman-adv on the same 7x7 grid (49 namespaces,
# BATMAN IV), the same shared medium and the same probes, in one run, both inside one qemu
# lab guest (lime-sim up --kernel) so emulation treats them alike; batd once more on the
# host, to show what emulation does to it.
#
# orig_interval is 6000 ms (BT_OI), for all three: at 1000 ms 49 nodes' OGM processing
# needs more than the guest's one emulated CPU (TCG) and neither implementation converges
# within 120 s; at 3000 ms the kernel converges with the CPU ~93 % busy but batd, paying
# every syscall and context switch at emulated cost, takes 3.4x longer. Protocol timers
# are real time in the guest, so at an interval where the CPU keeps up the time in
# intervals is the protocol's, comparable across intervals.
#
#   medium  one hard interface per node into a "radio": one bridge with a port per node,
#           nftables letting a node's frames reach exactly its 2-4 grid neighbours. It
#           starts closed; every daemon is up before it opens, and the clock starts then.
#   1. time until a round of 49 probe pings (node i -> node i+24 mod 49, 6.8 hops on
#      average, 8 at most) gets >= 95 % replies (bench/grid_probe.py: one process, a raw
#      ICMP socket per namespace, rounds every ~0.5 s, 1 s to answer);
#   2. control bytes per node and second once converged (no data, IPv6 off): what the
#      nodes sent into the medium over BENCH_SECONDS (default 3 intervals), / 49 / s;
#   3. the CPU the (guest) machine was busy during 1 and 2; frames per node and second;
#   4. how much slower the guest runs a CPU-bound loop than the host (python3, same code).
# The kernel runs with its defaults except bridge_loop_avoidance 0: batd has no BLA, and
# BLA's periodic claim broadcasts would count as control traffic.
# Prints the figures and the batd/kernel ratios. GRID_SIZE=5 a smaller grid; GRID_INNER=
# batd|kernel runs one measurement here (what the orchestrator runs in the guest).
set -u
BT_OI=${BT_OI:-6000}
HERE=$(cd "$(dirname "$0")" && pwd)
SRC=$(cd "$HERE/.." && pwd)
export LIME_BINARY_DIR=${LIME_BINARY_DIR:-$SRC/build}
S=${GRID_SIZE:-7}

if [[ -z "${GRID_INNER:-}" ]]; then
    SIM=$LIME_BINARY_DIR/src/sim/lime-sim
    [[ -x $SIM && -x $LIME_BINARY_DIR/src/batd/batd ]] || { echo "batd_grid: build first (lime-sim, batd), skipped"; exit 0; }
    out=$(mktemp -d /tmp/batd_grid.XXXXXX)
    export LIME_SIM_INSTANCE=${LIME_SIM_INSTANCE:-bgrid}
    trap '"$SIM" down >/dev/null 2>&1; rm -rf "$out"' EXIT
    GRID_INNER=batd GRID_WHERE=host bash "$0" | tee "$out/host" | grep -v '^GRID ' >&2
    "$SIM" down >/dev/null 2>&1
    "$SIM" up --kernel line:1 >"$out/up" 2>&1 ||
        { echo "batd_grid: lime-sim up --kernel failed: $(tail -3 "$out/up")"; exit 1; }
    "$SIM" node stop n1 >/dev/null 2>&1   # an empty guest: nothing else runs in it
    loop='import time; t = time.perf_counter(); sum(range(3000000)); print("%.3f" % (time.perf_counter() - t))'
    host_loop=$(python3 -c "$loop"); guest_loop=$("$SIM" exec guest -- python3 -c "$loop")
    for impl in kernel batd; do
        "$SIM" exec guest -- env GRID_INNER=$impl GRID_WHERE=guest GRID_SIZE="$S" BT_OI="$BT_OI" \
            BENCH_SECONDS="${BENCH_SECONDS:-$(( 3 * BT_OI / 1000 ))}" LIME_BINARY_DIR="$LIME_BINARY_DIR" \
            bash "$0" | tee "$out/$impl" | grep -v '^GRID ' >&2
    done
    "$SIM" down >/dev/null 2>&1
    echo "GRID_CPU $host_loop $guest_loop" >"$out/cpu"
    cat "$out/host" "$out/kernel" "$out/batd" "$out/cpu" | grep '^GRID' | python3 -c '
import sys
r = {}
emu = None
for line in sys.stdin:
    f = line.split()
    if f[0] == "GRID_CPU":
        emu = float(f[2]) / float(f[1])
        continue
    r[(f[1], f[2])] = dict(conv=float(f[3]) / 1000, bps=float(f[5]), cpu_conv=float(f[6]), cpu_idle=float(f[7]), hops=f[8], fps=float(f[9]))
s, oi = sys.argv[1], sys.argv[2]
print("batd_grid: %sx%s grid, shared medium, BATMAN IV @%s ms, probes i -> i+%d (%s hops mean/max)"
      % (s, s, oi, int(s) * int(s) // 2, next(iter(r.values()))["hops"]))
print("  %-6s %-7s %17s %10s %17s %15s %27s" % ("where", "impl", "95% pings after", "intervals", "control B/s/node", "frames/s/node", "machine CPU busy conv/idle"))
for key in (("guest", "kernel"), ("guest", "batd"), ("host", "batd")):
    if key in r:
        x = r[key]
        conv = "%.1f s" % x["conv"] if x["conv"] >= 0 else "none"
        ivl = "%.1f" % (x["conv"] * 1000 / int(oi)) if x["conv"] >= 0 else "-"
        print("  %-6s %-7s %17s %10s %17.0f %15.2f %20.0f %% / %2.0f %%" % (key[0], key[1], conv, ivl, x["bps"], x["fps"], x["cpu_conv"], x["cpu_idle"]))
if emu:
    print("the guest runs a CPU-bound python3 loop %.1fx slower than the host" % emu)
k, b, h = r.get(("guest", "kernel")), r.get(("guest", "batd")), r.get(("host", "batd"))
def ratio(a, b, key):
    return "%.2f" % (a[key] / b[key]) if a[key] > 0 and b[key] > 0 else "n/a"
if k and b:
    print("batd/kernel, same guest, same run: convergence %s, control bytes %s, frames %s" % (ratio(b, k, "conv"), ratio(b, k, "bps"), ratio(b, k, "fps")))
if b and h:
    print("batd host/guest (what emulation does to batd): convergence %s, control bytes %s" % (ratio(h, b, "conv"), ratio(h, b, "bps")))
' "$S" "$BT_OI"
    exit 0
fi

# ---- one measurement, here (GRID_INNER=batd|kernel)
IMPL=$GRID_INNER
source "$SRC/tests/scenarios/batd_lib.sh"
SECS=${BENCH_SECONDS:-$(( 3 * BT_OI / 1000 ))}
if [[ $IMPL == batd ]]; then
    bt_init gr
else
    nsl_init --unique grk
    command -v batctl >/dev/null || nsl_fail "batctl not installed"
    modprobe batman-adv 2>/dev/null
fi
N=$((S * S))
id() { echo $(( $1 * S + $2 + 1 )); }
# shellcheck disable=SC2046
nsl_ns $(seq 1 $N) med
nx med ip link add air type bridge stp_state 0 forward_delay 0 ageing_time 30000
nx med sysctl -qw net.ipv6.conf.air.disable_ipv6=1
nx med ip link set air up
pairs=""
for ((r = 0; r < S; r++)); do
    for ((c = 0; c < S; c++)); do
        i=$(id $r $c)
        nsl_veth "$i" m-0 med "p$i" 1532 "$(bt_mac "$i" 1)"
        nx med ip link set "p$i" master air
        for d in "0 1" "0 -1" "1 0" "-1 0"; do
            set -- $d
            rr=$((r + $1)); cc=$((c + $2))
            ((rr >= 0 && rr < S && cc >= 0 && cc < S)) && pairs+="\"p$i\" . \"p$(id $rr $cc)\", "
        done
    done
done
# Closed: nothing passes until the neighbour pairs are added (the clock's start).
nx med nft -f - <<EOF || nsl_fail "nft: cannot build the medium"
table bridge air {
  set neighbours { type ifname . ifname; }
  chain relay {
    type filter hook forward priority 0; policy drop;
    iifname . oifname @neighbours accept
  }
}
EOF
echo "add element bridge air neighbours { ${pairs%, } }" >"$NSL_TMP/open.nft"
hops() { local a=$(( $1 - 1 )) b=$(( $2 - 1 )) dr dc; dr=$(( a / S - b / S )); dc=$(( a % S - b % S )); echo $(( ${dr#-} + ${dc#-} )); }
hsum=0; hmax=0
for ((i = 1; i <= N; i++)); do
    h=$(hops "$i" $(( (i + N / 2 - 1) % N + 1 ))); hsum=$((hsum + h)); ((h > hmax)) && hmax=$h
done

if [[ $IMPL == batd ]]; then
    for ((i = 1; i <= N; i++)); do bt_start "$i" -- m-0; done
    for ((i = 1; i <= N; i++)); do bt_up "$i" "10.29.0.$i"; done
else
    for ((i = 1; i <= N; i++)); do
        nx "$i" sh -c "ip link add bat0 type batadv && ip link set m-0 master bat0 &&
            batctl meshif bat0 orig_interval $BT_OI && batctl meshif bat0 bridge_loop_avoidance 0 &&
            ip link set bat0 up && ip addr add 10.29.0.$i/24 brd + dev bat0" || nsl_fail "node $i: bat0"
    done
fi
sleep 2
# busy and total jiffies of the machine (user nice system irq softirq steal; + idle iowait)
cpu() { awk '/^cpu / { b = $2 + $3 + $4 + $7 + $8 + $9; print b, b + $5 + $6 }' /proc/stat; }
busy() { awk -v a="$1" -v b="$2" -v c="$3" -v d="$4" 'BEGIN { printf "%.0f", (c - a) * 100 / (d - b) }'; }
set -- $(cpu); c0=$1 t0=$2
# 120 s at 1000 ms, scaled with the interval
export GRID_PROBE_LIMIT=${GRID_PROBE_LIMIT:-$(( 120 * BT_OI / 1000 ))}
res=$(python3 "$HERE/grid_probe.py" "$NSL_PREFIX" "$N" $(( (N * 95 + 99) / 100 )) -- \
      ip netns exec "${NSL_PREFIX}med" nft -f "$NSL_TMP/open.nft")
set -- $(cpu); c1=$1 t1=$2
set -- $res; conv=$1 rounds=$2 replies=$3
((conv >= 0)) || nsl_log "$IMPL: no 95 % ping success within ${GRID_PROBE_LIMIT:-120} s (best round $replies/$N)"
# the medium gives a corner 2 neighbours, the centre 4
center=$(id $((S / 2)) $((S / 2)))
if [[ $IMPL == batd ]]; then
    nneigh() { bt_ctl "$1" -- neighbors --json 2>/dev/null | bt__macs_of neigh_address | wc -l; }
else
    nneigh() { nx "$1" batctl meshif bat0 n -H 2>/dev/null | wc -l; }
fi
[[ $(nneigh 1) == 2 && $(nneigh "$center") == 4 ]] \
    || nsl_log "$IMPL: WARNING: corner has $(nneigh 1) neighbours, centre $(nneigh "$center") (want 2, 4)"
sleep 2
# what the nodes sent into the medium: bytes and frames the medium's ports received
rxsum() { nx med sh -c 'for p in /sys/class/net/p*/statistics; do cat $p/rx_bytes $p/rx_packets; done' |
          awk 'NR % 2 { b += $1; next } { f += $1 } END { print b, f }'; }
set -- $(cpu); c2=$1 t2=$2; set -- $(rxsum); b0=$1 f0=$2; m0=$(nsl_now_ms)
sleep "$SECS"
set -- $(rxsum); b1=$1 f1=$2; m1=$(nsl_now_ms); set -- $(cpu); c3=$1 t3=$2
bps=$(awk -v a="$b0" -v b="$b1" -v s="$(( m1 - m0 ))" -v n="$N" 'BEGIN { printf "%.0f", (b - a) / (s / 1000) / n }')
fps=$(awk -v a="$f0" -v b="$f1" -v s="$(( m1 - m0 ))" -v n="$N" 'BEGIN { printf "%.3f", (b - a) / (s / 1000) / n }')
nsl_log "$IMPL ($GRID_WHERE): 95 % of pings after $conv ms ($rounds rounds), $bps B/s/node sent into the medium"
echo "GRID ${GRID_WHERE:-host} $IMPL $conv $rounds $bps $(busy "$c0" "$t0" "$c1" "$t1") $(busy "$c2" "$t2" "$c3" "$t3") $((hsum * 10 / N / 10)).$((hsum * 10 / N % 10))/$hmax $fps"
