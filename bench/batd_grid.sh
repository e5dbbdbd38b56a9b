#!/usr/bin/env bash
# Benchmark: a 7x7 grid of batd nodes (49 namespaces) at orig_interval 1000 ms, on two media:
#   shared  one hard interface per node into a "radio" medium: one bridge with a port per
#           node and nftables letting a node's frames reach exactly its grid neighbours
#           (what a radio grid — and the kernel's 2.6 KB/s/node figure — looks like);
#   veth    a veth per grid link (84 links, 2-4 hard interfaces per node), so each OGM is
#           rebroadcast once per interface.
# For each medium it measures
#   1. time from start (the last daemon launched) until a round of 49 probe pings
#      (node i -> node i+24 mod 49; the script prints their mean/max hop count) succeeds
#      >= 95 % — kernel batman-adv: about 6 s (issue figure);
#   2. control bytes per node per second once converged (no data traffic, IPv6 off): tx
#      bytes of every hard interface over BENCH_SECONDS (default 10) / 49 / s, and per hard
#      interface — kernel batman-adv: about 2.6 KB/s/node.
# GRID_MEDIUM=shared|veth runs one; GRID_SIZE=5 a smaller grid; BENCH_PCAP=1 adds a
# capture-based breakdown of what reaches the centre node. Skips when batd is not built.
set -u
BT_OI=${BT_OI:-1000}
source "$(dirname "$0")/../tests/scenarios/batd_lib.sh"
SECS=${BENCH_SECONDS:-10}
if ! bt_find_batd >/dev/null; then echo "batd_grid: batd not built, skipped"; exit 0; fi
if [[ -z "${GRID_MEDIUM:-}" ]]; then
    GRID_MEDIUM=shared bash "$0"
    GRID_MEDIUM=veth bash "$0"
    exit 0
fi
bt_init gr
S=${GRID_SIZE:-7}   # the kernel figures are for 7
MEDIUM=$GRID_MEDIUM
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
if [[ $MEDIUM == veth ]]; then
    for ((r = 0; r < S; r++)); do
        for ((c = 0; c < S; c++)); do
            ((c + 1 < S)) && link "$(id $r $c)" m-e "$(id $r $((c + 1)))" m-w
            ((r + 1 < S)) && link "$(id $r $c)" m-s "$(id $((r + 1)) $c)" m-n
        done
    done
else
    # The medium: bridge "air" in namespace "med", port p<i> per node; a frame from p<i>
    # may leave only through the ports of i's grid neighbours.
    nsl_ns med
    nx med ip link add air type bridge stp_state 0 forward_delay 0 ageing_time 30000
    nx med sysctl -qw net.ipv6.conf.air.disable_ipv6=1
    nx med ip link set air up
    pairs=""
    for ((r = 0; r < S; r++)); do
        for ((c = 0; c < S; c++)); do
            i=$(id $r $c)
            nsl_veth "$i" m-0 med "p$i" 1532 "$(bt_mac "$i" 1)"
            nx med ip link set "p$i" master air
            ifs[$i]=m-0
            for d in "0 1" "0 -1" "1 0" "-1 0"; do
                set -- $d
                rr=$((r + $1)); cc=$((c + $2))
                ((rr >= 0 && rr < S && cc >= 0 && cc < S)) && pairs+="\"p$i\" . \"p$(id $rr $cc)\", "
            done
        done
    done
    nx med nft -f - <<EOF || nsl_fail "nft: cannot build the medium"
table bridge air {
  set neighbours { type ifname . ifname; elements = { ${pairs%, } } }
  chain relay {
    type filter hook forward priority 0; policy drop;
    iifname . oifname @neighbours accept
  }
}
EOF
fi
hops() { local a=$(( $1 - 1 )) b=$(( $2 - 1 )) dr dc; dr=$(( a / S - b / S )); dc=$(( a % S - b % S )); echo $(( ${dr#-} + ${dc#-} )); }
hsum=0; hmax=0
for ((i = 1; i <= N; i++)); do
    h=$(hops "$i" $(( (i + 23) % N + 1 ))); hsum=$((hsum + h)); ((h > hmax)) && hmax=$h
done
nsl_log "grid built: $N nodes, medium $MEDIUM; probes i -> i+24 mod $N: mean $((hsum * 10 / N / 10)).$((hsum * 10 / N % 10)) hops, max $hmax"

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

# sanity: the medium gives a corner node exactly 2 neighbours and the centre 4
nneigh() { bt_ctl "$1" -- neighbors --json 2>/dev/null | bt__macs_of neigh_address | wc -l; }
center=$(id $((S / 2)) $((S / 2)))
if [[ $MEDIUM == shared ]]; then
    [[ $(nneigh 1) == 2 && $(nneigh "$center") == 4 ]] \
        || nsl_fail "shared medium leaks: corner has $(nneigh 1) neighbours, centre $(nneigh "$center")"
fi
sleep 2
txsum() {
    local i sum=0 v
    for ((i = 1; i <= N; i++)); do
        for v in $(nx "$i" sh -c 'cat /sys/class/net/m-*/statistics/tx_bytes'); do sum=$((sum + v)); done
    done
    echo $sum
}
if [[ "${BENCH_PCAP:-0}" == 1 ]]; then   # diagnostic: what the centre node receives
    capargs=()
    for f in ${ifs[$center]}; do capargs+=(-i "$f"); done
    nsl_bg "$center" "$NSL_TMP/cap.log" tshark -q "${capargs[@]}" \
        -w "$NSL_TMP/center.pcapng" -a duration:"$SECS"
fi
b0=$(txsum); m0=$(nsl_now_ms)
sleep "$SECS"
b1=$(txsum); m1=$(nsl_now_ms)
if [[ "${BENCH_PCAP:-0}" == 1 ]]; then
    sleep 2
    # only what the 4 neighbours send to the centre (not the centre's own frames)
    cpre=$(bt_mac "$center" 1 | cut -c1-14)
    tshark -r "$NSL_TMP/center.pcapng" -Y "batadv && !(eth.src[0:5] == $cpre)" \
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
nif=$N                       # hard interfaces: one per node on the shared medium
[[ $MEDIUM == veth ]] && nif=$(( 4 * S * (S - 1) ))   # 2 per grid link
python3 - "$conv" "$b0" "$b1" "$m0" "$m1" "$N" "$S" "$BT_OI" "$nif" "$MEDIUM" "$hmax" <<'EOF'
import sys
conv, b0, b1, m0, m1, n, s, oi, nif = map(int, sys.argv[1:10])
medium, hmax = sys.argv[10], int(sys.argv[11])
bps = (b1 - b0) / ((m1 - m0) / 1000.0) / n
print("batd_grid[%s]: %dx%d @%d ms  95%% ping success after %.1f s (probes up to %d hops; kernel ~6 s, ratio %.2f)"
      % (medium, s, s, oi, conv / 1000.0, hmax, conv / 6000.0))
print("batd_grid[%s]: control traffic %.2f KB/s/node (kernel ~2.6, ratio %.2f); %.2f KB/s per hard interface (%.2f interfaces/node)"
      % (medium, bps / 1000.0, bps / 2600.0, bps * n / nif / 1000.0, nif / float(n)))
EOF
