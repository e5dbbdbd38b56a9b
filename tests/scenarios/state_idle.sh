#!/usr/bin/env bash
# Acceptance: 10 idle TCP connections held open to a node's port 3490 do not delay its
# syncs. (Upstream serves one connection at a time with no timeouts: one idle client
# stalls every sync and CLI call.) The connection deadline is raised to 60 s, so the
# syncs cannot be waiting for the idle ones to time out.
source "$(dirname "$0")/state_lib.sh"
trap ss_cleanup EXIT
[ -x "$SS_BIN" ] || { echo "no $SS_BIN"; exit 1; }

ss_make_line 2
ss_start 0 --timeout-ms 60000
ss_start 1 --timeout-ms 60000
ss_wait 15 ss_has_neighbours 0 1 || ss_fail "n0 has no neighbour"
ss_wait 15 ss_has_neighbours 1 1 || ss_fail "n1 has no neighbour"
peer=$(ss_cli 0 discover | head -n1)
addr=${peer%\%*}
echo "n1 is $peer"

# 10 idle clients in n0's namespace: connect, send nothing, hold for 60 s.
ip netns exec "$(ss_ns 0)" python3 - "$addr" <<'PY' &
import socket, sys, time
conns = []
for i in range(10):
    s = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
    s.connect((sys.argv[1], 3490, 0, socket.if_nametoindex("rgt")))
    conns.append(s)
time.sleep(60)
PY
SS_PIDS[9]=$!
established() {
    [ "$(ip netns exec "$(ss_ns 1)" ss -Htn state established '( sport = :3490 )' | wc -l)" -ge 10 ]
}
ss_wait 10 established || ss_fail "idle connections not established"
echo "10 idle connections open to n1:3490"

# an insert at n0 reaches n1 through the change-triggered sync
t0=$(now_ms)
echo '{"while-idle":1}' | ss_cli 0 insert node_info
ss_wait 5 ss_has_key 1 node_info while-idle || ss_fail "sync to n1 stalled by idle connections"
t1=$(now_ms)
echo "insert at n0 readable at n1 after $((t1 - t0)) ms"
# an explicit sync in both directions completes
echo '{"back":1}' | ss_cli 1 insert node_info
t0=$(now_ms)
timeout 5 env SS_SOCKET="$SS_TMP/n0.sock" "$SS_BIN" sync node_info "$peer" || ss_fail "explicit sync failed"
t1=$(now_ms)
ss_has_key 0 node_info back || ss_fail "explicit sync did not bring n1's entry"
echo "explicit sync n0 <-> n1 took $((t1 - t0)) ms"
established || ss_fail "idle connections were dropped early (test would prove nothing)"
ss_cli 1 counters | grep -q '"conns_accepted": [1-9]' || ss_fail "counters"

# n1 restarts with its state lost, before n0 notices it was gone: n0 still believes n1
# holds its entries, so only n1's request for a full table ("ssFull") brings them back
ss_stop 1
rm -rf "$SS_TMP/state1"
ss_start 1 --timeout-ms 60000
ss_wait 5 ss_has_key 1 node_info while-idle || ss_fail "restarted n1 did not get n0's table"
echo "n1 restarted empty and got n0's whole table back"
echo PASS
