#!/usr/bin/env bash
# Benchmark: TCP throughput (iperf3, one stream) across a 3-hop chain
#   n1 — n2 — n3 — n4   (veths, MTU 1532)
# once forwarded by batd (bat0 addresses, every hop through batd's TAP and AF_PACKET
# sockets) and once by Linux bridges (n2 and n3 bridge their two veths; the baseline),
# measured in the same run. Prints both figures and the ratio batd / bridge (target >= 0.5).
# A second baseline runs the bridges with segmentation offloads off on every veth (tso, gso,
# gro), i.e. one 1500-byte frame per packet as batd handles them, to separate batd's own
# per-packet cost from the 64 KB super-frames the plain bridge path moves.
# Env: BENCH_SECONDS (default 5) per iperf3 run. Needs root, iperf3; skips (exit 0) when
# batd is not built.
set -u
BT_OI=${BT_OI:-1000}
source "$(dirname "$0")/../tests/scenarios/batd_lib.sh"
SECS=${BENCH_SECONDS:-5}
if ! bt_find_batd >/dev/null; then echo "batd_throughput: batd not built, skipped"; exit 0; fi
command -v iperf3 >/dev/null || { echo "batd_throughput: iperf3 missing, skipped"; exit 0; }
bt_init tp

chain() {  # chain TAG: namespaces TAG1..TAG4 linked in a row
    local t=$1 i
    nsl_ns "${t}1" "${t}2" "${t}3" "${t}4"
    for i in 1 2 3; do
        nsl_veth "$t$i" m-r "$t$((i + 1))" m-l 1532 "$(bt_mac $i 2)" "$(bt_mac $((i + 1)) 1)"
    done
}

iperf() {  # iperf SERVER_NS CLIENT_NS SERVER_IP -> bits per second
    local s=$1 c=$2 ip=$3 pid
    nsl_bg "$s" "$NSL_TMP/iperf-$s.log" iperf3 -s -1 -B "$ip"
    pid=$NSL_LASTPID
    sleep 0.5
    nx "$c" iperf3 -c "$ip" -t "$SECS" -J >"$NSL_TMP/iperf-$c.json" 2>&1 || true
    nsl_stop "$pid"
    python3 -c 'import json,sys; print(int(json.load(open(sys.argv[1]))["end"]["sum_received"]["bits_per_second"]))' \
        "$NSL_TMP/iperf-$c.json" 2>/dev/null || echo 0
}

# Baseline: Linux bridges.
chain r
nx r1 ip addr add 10.30.0.1/24 dev m-r
nx r4 ip addr add 10.30.0.4/24 dev m-l
for n in r2 r3; do
    nx $n ip link add br0 type bridge stp_state 0 forward_delay 0
    nx $n ip link set m-l master br0
    nx $n ip link set m-r master br0
    nx $n ip link set br0 up
done
nsl_wait_until 30 nx r1 ping -c1 -W1 10.30.0.4 >/dev/null 2>&1 || nsl_fail "bridge chain does not ping"
bridge_bps=$(iperf r4 r1 10.30.0.4)
nooff_bps=0
if command -v ethtool >/dev/null; then
    for n in r1 r2 r3 r4; do
        for dev in m-l m-r; do
            nx $n ethtool -K $dev tso off gso off gro off >/dev/null 2>&1
        done
    done
    nooff_bps=$(iperf r4 r1 10.30.0.4)
fi
nsl_log "bridge baselines done"

# batd.
chain a
bt_start a1 -- m-r
bt_start a2 -- m-l m-r
bt_start a3 -- m-l m-r
bt_start a4 -- m-l
for i in 1 2 3 4; do bt_up "a$i" "10.29.0.$i"; done
nsl_wait_until 60 bt_ping a1 10.29.0.4 || nsl_fail "batd chain does not ping within 60 s"
sleep 1
batd_bps=$(iperf a4 a1 10.29.0.4)

python3 - "$batd_bps" "$bridge_bps" "$nooff_bps" <<'EOF'
import sys
b, r, o = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
print("batd_throughput: 3-hop TCP  batd %.1f Mbit/s  bridge %.1f Mbit/s  ratio %.3f (target >= 0.5)"
      % (b / 1e6, r / 1e6, b / r if r else 0.0))
if o:
    print("batd_throughput: bridge without tso/gso/gro %.1f Mbit/s  ratio batd/that %.3f"
          % (o / 1e6, b / o))
EOF
