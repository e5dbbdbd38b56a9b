#!/usr/bin/env bash
# batd scenario: a 5-node chain  n1 — n2 — n3 — n4 — n5  (veth links, MTU 1532).
# Asserts:
#   1. each end's `batd ctl originators` lists the other four originators (and not itself),
#      and n1's next hop toward n5 is n2;
#   2. ping between the ends' bat0 addresses across 4 hops (both directions, 5/5 replies);
#   3. a broadcast is delivered exactly once on every node: 20 distinct UDP broadcasts from
#      n1 arrive exactly once each on bat0 of n2..n5, and never come back to n1;
#   4. SIGTERM: batd exits with status 0 within 5 s and its TAP bat0 is gone.
# Deadlines (generous, protocol-bound): originators/ping within 30 s of start.
set -u
source "$(dirname "$0")/batd_lib.sh"
bt_init ch
nsl_require ping python3

N=5
nsl_ns $(seq 1 $N)
# Node i: hard interfaces "m-l" (towards i-1) and "m-r" (towards i+1). The first one listed on
# the command line is the primary; its MAC bt_mac(i,1) is the node's originator address.
for ((i = 1; i < N; i++)); do
    ridx=2; ((i == 1)) && ridx=1
    nsl_veth "$i" m-r $((i + 1)) m-l 1532 "$(bt_mac $i $ridx)" "$(bt_mac $((i + 1)) 1)"
done
orig() { bt_mac "$1" 1; }

for ((i = 1; i <= N; i++)); do
    if ((i == 1)); then ifs=(m-r); elif ((i == N)); then ifs=(m-l); else ifs=(m-l m-r); fi
    bt_start "$i" -- "${ifs[@]}"
done
for ((i = 1; i <= N; i++)); do bt_up "$i" "10.29.0.$i"; done

nsl_log "waiting for the ends to learn all originators"
nsl_wait_until 30 bt_has_originators 1 bat0 $(orig 2) $(orig 3) $(orig 4) $(orig 5) \
    || nsl_fail "n1 originators after 30 s: $(bt_originators 1 | tr '\n' ' ')"
nsl_wait_until 30 bt_has_originators 5 bat0 $(orig 1) $(orig 2) $(orig 3) $(orig 4) \
    || nsl_fail "n5 originators after 30 s: $(bt_originators 5 | tr '\n' ' ')"
for e in 1 5; do
    bt_originators $e | grep -x "$(orig $e)" >/dev/null && nsl_fail "n$e lists itself as originator"
done
nsl_log "originators: n1 sees $(bt_originators 1 | wc -l), n5 sees $(bt_originators 5 | wc -l)"

hop=$(bt_nexthop 1 bat0 "$(orig 5)")
[[ "$hop" == "$(bt_mac 2 1)" ]] || nsl_fail "n1 next hop to n5 is '$hop', want n2 $(bt_mac 2 1)"

nsl_log "ping n1 -> n5 (4 hops)"
nsl_wait_until 30 bt_ping 1 10.29.0.5 || nsl_fail "n1 cannot ping n5 within 30 s"
nx 1 ping -n -q -c5 -i 0.2 -W1 10.29.0.5 | grep -q ' 5 received' || nsl_fail "n1 -> n5: not 5/5"
nx 5 ping -n -q -c5 -i 0.2 -W1 10.29.0.1 | grep -q ' 5 received' || nsl_fail "n5 -> n1: not 5/5"

nsl_log "broadcast: 20 frames from n1, each must arrive exactly once on every other node"
BC=20
declare -A lpid=()
for ((i = 1; i <= N; i++)); do
    bt_bcast_listen "$i" bat0 "$NSL_TMP/bc$i" "btch-$$-"
    lpid[$i]=$NSL_LASTPID
done
bt_bcast_send 1 10.29.0.255 $BC "btch-$$-"
sleep $(( (BT_OI * 4) / 1000 + 1 ))   # let late duplicates (if any) arrive
for ((i = 1; i <= N; i++)); do nsl_stop "${lpid[$i]}"; done
want=$(for ((k = 0; k < BC; k++)); do echo "$k 1"; done)
for ((i = 2; i <= N; i++)); do
    got=$(cat "$NSL_TMP/bc$i")
    [[ "$got" == "$want" ]] || nsl_fail "n$i broadcast arrivals (id count) differ from exactly-once: $(echo "$got" | tr '\n' ',')"
done
[[ -s "$NSL_TMP/bc1" ]] && nsl_fail "n1 received its own broadcasts back: $(tr '\n' ',' <"$NSL_TMP/bc1")"

nsl_log "SIGTERM: n3's batd must exit 0 and remove its TAP"
pid=${BT_PID[3/bat0]}
kill -TERM "$pid"
for _ in $(seq 25); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
kill -0 "$pid" 2>/dev/null && nsl_fail "n3's batd still running 5 s after SIGTERM"
wait "$pid"; rc=$?
((rc == 0)) || nsl_fail "n3's batd exited with status $rc after SIGTERM"
nx 3 ip link show dev bat0 >/dev/null 2>&1 && nsl_fail "n3's bat0 still exists after batd exited"

nsl_log "PASS: chain of $N: originators, 4-hop ping, broadcast exactly once, clean SIGTERM"
