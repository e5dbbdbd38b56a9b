#!/usr/bin/env bash
# batd scenario: a ring of 5 nodes; link k joins node k and node k+1 (link 5: n5 — n1).
# Each link is a bridge in a "wire" namespace, so cutting it (bridge down) silently drops
# frames while both nodes keep carrier, like a radio link that fades.
#
#        n1 ─L1─ n2 ─L2─ n3 ─L3─ n4 ─L4─ n5 ─L5─ (n1)
#
# Asserts:
#   1. broadcast is delivered exactly once on every node even though the ring offers two
#      paths to each (20 UDP broadcasts from n1; duplicates must be suppressed);
#   2. n1 -> n3 goes via n2 (2 hops, shorter); cut L2 (n2 — n3) → pings n1 -> n3 succeed
#      again within 5 OGM intervals + slack (slack = 2 intervals + 1 s for the first OGM
#      after the cut, jitter, ARP and the 0.3 s ping poll), and n1 then routes via n5.
set -u
source "$(dirname "$0")/batd_lib.sh"
bt_init rg
nsl_require ping python3

N=5
nsl_ns $(seq 1 $N)
for ((k = 1; k <= N; k++)); do nsl_wire w "L$k"; done
# Node i: "m-next" on link i (primary, MAC bt_mac(i,1)), "m-prev" on link i-1 (bt_mac(i,2)).
for ((i = 1; i <= N; i++)); do
    prev=$(( (i + N - 2) % N + 1 ))
    nsl_wire_port w "L$i" "$i" m-next 1532 "$(bt_mac $i 1)"
    nsl_wire_port w "L$prev" "$i" m-prev 1532 "$(bt_mac $i 2)"
done
orig() { bt_mac "$1" 1; }

for ((i = 1; i <= N; i++)); do bt_start "$i" -- m-next m-prev; done
for ((i = 1; i <= N; i++)); do bt_up "$i" "10.29.0.$i"; done

all_others() { local i; for ((i = 1; i <= N; i++)); do ((i != $1)) && orig $i; done; }
for ((i = 1; i <= N; i++)); do
    nsl_wait_until 30 bt_has_originators $i bat0 $(all_others $i) \
        || nsl_fail "n$i originators after 30 s: $(bt_originators $i | tr '\n' ' ')"
done
nsl_wait_until 30 bt_ping 1 10.29.0.3 || nsl_fail "n1 cannot ping n3 within 30 s"

# --- 1. broadcast exactly once across a loop ------------------------------------------
BC=20
declare -A lpid=()
for ((i = 1; i <= N; i++)); do
    bt_bcast_listen "$i" bat0 "$NSL_TMP/bc$i" "btrg-$$-"
    lpid[$i]=$NSL_LASTPID
done
bt_bcast_send 1 10.29.0.255 $BC "btrg-$$-"
sleep $(( (BT_OI * 4) / 1000 + 1 ))
for ((i = 1; i <= N; i++)); do nsl_stop "${lpid[$i]}"; done
want=$(for ((k = 0; k < BC; k++)); do echo "$k 1"; done)
for ((i = 2; i <= N; i++)); do
    got=$(cat "$NSL_TMP/bc$i")
    [[ "$got" == "$want" ]] || nsl_fail "n$i broadcast arrivals (id count) are not exactly-once: $(echo "$got" | tr '\n' ',')"
done
[[ -s "$NSL_TMP/bc1" ]] && nsl_fail "n1 received its own broadcasts back: $(tr '\n' ',' <"$NSL_TMP/bc1")"
nsl_log "broadcast: $BC frames delivered exactly once on n2..n5"

# --- 2. failover -------------------------------------------------------------------------
via2=$(bt_mac 2 2)   # n2's interface on L1, n1's neighbour towards n2
via5=$(bt_mac 5 1)   # n5's interface on L5, n1's neighbour towards n5
route_is() { [[ "$(bt_nexthop 1 bat0 "$(orig 3)")" == "$1" ]]; }
nsl_wait_until 30 route_is "$via2" || nsl_fail "n1 -> n3 does not go via n2: '$(bt_nexthop 1 bat0 "$(orig 3)")'"
nx 1 ping -n -q -c3 -i 0.2 -W1 10.29.0.3 | grep -q ' 3 received' || nsl_fail "n1 -> n3 lossy before the cut"

limit_ms=$(( 5 * BT_OI + 2 * BT_OI + 1000 ))
nsl_log "cutting L2 (n2 — n3); pings must come back within $limit_ms ms"
t0=$(nsl_now_ms)
nsl_wire_cut w L2
NSL_POLL=0 nsl_wait_until $(( limit_ms / 1000 + 20 )) bt_ping 1 10.29.0.3 0.3 \
    || nsl_fail "n1 -> n3 never recovered after the cut"
dt=$(( $(nsl_now_ms) - t0 ))
nsl_log "n1 -> n3 recovered ${dt} ms after the cut = $(( dt / BT_OI )).$(( dt * 10 / BT_OI % 10 )) OGM intervals"
((dt <= limit_ms)) || nsl_fail "failover took $dt ms > $limit_ms ms (5 x $BT_OI + slack)"
hop=$(bt_nexthop 1 bat0 "$(orig 3)")
[[ "$hop" == "$via5" ]] || nsl_fail "after the cut n1 -> n3 goes via '$hop', want n5 ($via5)"
nx 1 ping -n -q -c5 -i 0.2 -W1 10.29.0.3 | grep -q ' 5 received' || nsl_fail "n1 -> n3 lossy after failover"

nsl_log "PASS: ring of $N: broadcast exactly once, failover in $dt ms (limit $limit_ms)"
