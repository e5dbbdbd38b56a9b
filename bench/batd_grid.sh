#!/usr/bin/env bash
# Benchmark: a 7x7 grid of batd nodes (49 namespaces, 84 veth links, MTU 1532) at
# orig_interval 1000 ms. Measures
#   1. time from start (the last daemon launched) until a round of 49 probe pings
#      (node i -> node i+24 mod 49, 1 to 12 hops) succeeds >= 95 % — kernel batman-adv
#      takes about 6 s on this grid;
#   2. control bytes per node per second once converged (no data traffic, IPv6 off): the
#      sum of tx bytes of every hard interface over BENCH_SECONDS (default 10) / 49 / s —
#      kernel batman-adv sends about 2.6 KB/s/node on this grid.
# Prints both with the ratio to the kernel figure. Skips (exit 0) when batd is not built.
set -u
BT_OI=${BT_OI:-1000}
source "$(dirname "$0")/../tests/scenarios/batd_lib.sh"
SECS=${BENCH_SECONDS:-10}
if ! bt_find_batd >/dev/null; then echo "batd_grid: batd not built, skipped"; exit 0; fi
bt_init gr
S=${GRID_SIZE:-7}   # the kernel figures are for 7
N=$((S * S))
id() { echo $(( $1 * S + $2 + 1 )); }
nodes=$(seq 1 $N)
# shellcheck disable=SC2086
nsl_ns $nodes
declare -A ifs=()
nidx=()
for ((i = 1; i <= N; i++)); do nidx[$i]=0; done
link() {  # link A IFA B IFB
    nidx[$1]=$(( nidx[$1] + 1 )); nidx[$3]=$(( nidx[$3] + 1 ))
    nsl_veth "$1" "$2" "$3" "$4" 1532 "$(bt_mac "$1" "${nidx[$1]}")" "$(bt_mac "$3" "${nidx[$3]}")"
    ifs[$1]="${ifs[$1]:-} $2"; ifs[$3]="${ifs[$3]:-} $4"
}
for ((r = 0; r < S; r++)); do
    for ((c = 0; c < S; c++)); do
        ((c + 1 < S)) && link "$(id $r $c)" m-e "$(id $r $((c + 1)))" m-w
        ((r + 1 < S)) && link "$(id $r $c)" m-s "$(id $((r + 1)) $c)" m-n
    done
done
nsl_log "grid built: $N nodes"

for ((i = 1; i <= N; i++)); do
    # shellcheck disable=SC2086
    bt_start "$i" -- ${ifs[$i]}
done
t0=$(nsl_now_ms)
for ((i = 1; i <= N; i++)); do bt_up "$i" "10.29.0.$i"; done

probe_round() {  # prints how many of the N probes got a reply
    local i pids=() ok=0
    for ((i = 1; i <= N; i++)); do
        nx "$i" ping -n -q -c1 -W1 "10.29.0.$(( (i + 23) % N + 1 ))" >/dev/null 2>&1 &
        pids+=($!)
    done
    for i in "${pids[@]}"; do wait "$i" && ok=$((ok + 1)); done
    echo $ok
}
need=$(( (N * 95 + 99) / 100 ))
conv=""
while (( $(nsl_now_ms) - t0 < 120000 )); do
    ok=$(probe_round)
    if ((ok >= need)); then conv=$(( $(nsl_now_ms) - t0 )); break; fi
    sleep 0.5
done
[[ -n "$conv" ]] || nsl_fail "grid did not reach 95 % ping success within 120 s (last round $ok/$N)"

sleep 2
txsum() {
    local i sum=0 v
    for ((i = 1; i <= N; i++)); do
        for v in $(nx "$i" sh -c 'cat /sys/class/net/m-*/statistics/tx_bytes'); do sum=$((sum + v)); done
    done
    echo $sum
}
center=$(id $((S / 2)) $((S / 2)))
if [[ "${BENCH_PCAP:-0}" == 1 ]]; then   # diagnostic: what the centre node receives
    nsl_bg "$center" "$NSL_TMP/cap.log" tshark -q -i m-n -i m-s -i m-e -i m-w \
        -w "$NSL_TMP/center.pcapng" -a duration:"$SECS"
fi
b0=$(txsum); m0=$(nsl_now_ms)
sleep "$SECS"
b1=$(txsum); m1=$(nsl_now_ms)
if [[ "${BENCH_PCAP:-0}" == 1 ]]; then
    sleep 2
    # batd sends with PACKET_QDISC_BYPASS, so this capture holds only what the 4
    # neighbours send to the centre (one hard interface each).
    tshark -r "$NSL_TMP/center.pcapng" -Y "batadv" \
        -T fields -e frame.len -e batadv.iv_ogm.orig -e batadv.iv_ogm.ttl -e batadv.iv_ogm.tvlv_len \
        2>/dev/null | python3 -c '
import sys, collections
secs = float(sys.argv[1]); frames = 0; nbytes = 0; ogms = 0; per_orig = collections.Counter(); tvlv = 0
for line in sys.stdin:
    f = line.rstrip("\n").split("\t")
    frames += 1; nbytes += int(f[0])
    origs = [o for o in f[1].split(",") if o]
    ogms += len(origs); per_orig.update(origs)
    tvlv += sum(int(x) for x in f[3].split(",") if x)
secs *= 4   # per neighbour interface
print("batd_grid: per neighbour interface towards the centre: %.1f frames/s, %.0f B/s, %.1f OGMs/s (%.2f per originator and s, %d originators), mean TVLV %.1f B/OGM"
      % (frames / secs, nbytes / secs, ogms / secs, ogms / secs / max(1, len(per_orig)), len(per_orig), tvlv / max(1, ogms)))
' "$SECS"
fi
nif=$(( 4 * S * (S - 1) ))   # hard interfaces in the grid (2 per link)
python3 - "$conv" "$b0" "$b1" "$m0" "$m1" "$N" "$S" "$BT_OI" "$nif" <<'EOF'
import sys
conv, b0, b1, m0, m1, n, s, oi, nif = map(int, sys.argv[1:])
bps = (b1 - b0) / ((m1 - m0) / 1000.0) / n
print("batd_grid: %dx%d @%d ms  95%% ping success after %.1f s (kernel ~6 s, ratio %.2f)"
      % (s, s, oi, conv / 1000.0, conv / 6000.0))
print("batd_grid: control traffic %.2f KB/s/node (kernel ~2.6, ratio %.2f); %.2f KB/s per hard interface (%.2f interfaces/node)"
      % (bps / 1000.0, bps / 2600.0, bps * n / nif / 1000.0, nif / float(n)))
EOF
