#!/usr/bin/env bash
# lime-sim scenario "roaming": line n1 - n2 - n3, one cloud. A phone at n1 keeps a TCP
# stream (a numbered line every 20 ms, each echoed) to a server phone at n3 while it moves
# n1 -> n2 -> n1. Asserts: the one connection carries every line in order (no reset, no
# reconnect) and the phone keeps its address through both moves (it renews its lease at
# each new node). Deadline: the stream must not stall for more than 20 s in total.
source "$(dirname "$0")/sim_lib.sh"
sim_init
sim_need_stack
sim up line:3 || sim_fail "lime-sim up failed"
sim client add srv --at n3 --wait 60 || sim_fail "srv: no lease"
sim client add ph --at n1 --wait 60 || sim_fail "ph: no lease"
srv_ip=$(client_ip srv)
ip0=$(client_ip ph)
sx srv python3 "$SIM_SRC/tests/scenarios/sim_tcp.py" server 5001 &
SIM_PIDS+=($!)
listening() { sx srv ss -ltn | grep -q ':5001 '; }
sim_wait 30 listening || sim_fail "the stream server in srv did not start"
reach() { sx ph ping -c1 -W1 "$srv_ip"; }
sim_wait 60 reach || sim_fail "ph ($ip0) cannot reach srv ($srv_ip) across the cloud"

sx ph python3 "$SIM_SRC/tests/scenarios/sim_tcp.py" client "$srv_ip" 5001 24 > "$SIM_TMP/stream" 2>&1 &
stream=$!
sleep 6
sim client move ph --to n2 --wait 20 || sim_fail "move to n2: no lease"
ip1=$(client_ip ph)
sleep 8
sim client move ph --to n1 --wait 20 || sim_fail "move back to n1: no lease"
ip2=$(client_ip ph)
wait $stream
rc=$?
sim_log "stream: $(cat "$SIM_TMP/stream")"
[[ $rc -eq 0 ]] && grep -q '^ok ' "$SIM_TMP/stream" \
    || sim_fail "the TCP stream broke while roaming (rc $rc): $(cat "$SIM_TMP/stream")"
[[ "$ip0" == "$ip1" && "$ip1" == "$ip2" ]] || sim_fail "address changed while roaming: $ip0 -> $ip1 -> $ip2"
addrs=$(sx ph ip -4 -o addr show dev wlan0 | wc -l)
[[ $addrs -eq 1 ]] || sim_fail "ph has $addrs IPv4 addresses after roaming"
sim_log "PASS (same address $ip0, $(cut -d' ' -f2 "$SIM_TMP/stream") lines, max gap $(cut -d' ' -f3 "$SIM_TMP/stream") ms)"
