#!/usr/bin/env bash
# batd scenario: a big translation table. 200 client MACs appear behind n1's bridge (one
# broadcast frame from each into br0, so n1 learns them from frames entering bat0).
# A diff of 200 changes (2400 B) does not fit one OGM and a full table does not fit one
# 1532-byte frame, so n2, joining late, must get n1's table through a TT request and a
# fragmented full-table response.
# Asserts:
#   1. n2's transglobal lists all 200 clients at n1 within 30 s of n2's start;
#   2. once converged, n2 sends no further TT requests for 5 OGM intervals (the CRCs agree);
#   3. n2 reaches one of the clients (a real namespace, the last MAC) by ping.
set -u
source "$(dirname "$0")/batd_lib.sh"
bt_init tt
nsl_require ping python3

NCL=200
nsl_ns 1 2 c
nsl_veth 1 m-r 2 m-l 1532 "$(bt_mac 1 1)" "$(bt_mac 2 1)"
bt_start 1 -- m-r
bt_up 1 ""
nx 1 ip link add br0 type bridge stp_state 0 forward_delay 0
nx 1 ip link set bat0 master br0
nx 1 ip addr add 10.29.0.1/24 dev br0
nx 1 ip link set br0 up
CMAC=02:b7:cc:00:00:00
nsl_veth c eth0 1 c-port 1500 "$CMAC"
nx 1 ip link set c-port master br0
nx c ip addr add 10.29.0.100/24 dev eth0

cat >"$NSL_TMP/clients.py" <<'EOF'
# One broadcast frame (an ARP-ethertype dummy) from each of N source MACs 02:b7:cc:00:HH:LL.
import socket, sys, time
iface, n = sys.argv[1], int(sys.argv[2])
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind((iface, 0))
for i in range(1, n + 1):
    src = bytes([0x02, 0xb7, 0xcc, 0x00, i >> 8, i & 0xff])
    s.send(b"\xff" * 6 + src + b"\x88\xb5" + b"bt-bigtt-client" + bytes(31))
    time.sleep(0.002)
EOF
nx c python3 "$NSL_TMP/clients.py" eth0 $((NCL - 1)) || nsl_fail "client frame generator failed"
nx c ping -n -q -c1 -W1 10.29.0.1 >/dev/null        # the real client ($CMAC) speaks too
nlocal() { bt_ctl 1 -- translocal --json 2>/dev/null | grep -io '02:b7:cc:00:[0-9a-f:]*' | sort -u | wc -l; }
local_done() { (( $(nlocal) >= NCL )); }
nsl_wait_until 30 local_done || nsl_fail "n1 learnt only $(nlocal) of $NCL clients"
# Let n1 commit the changes and stop repeating the diff.
sleep $(( (BT_OI * 8) / 1000 + 1 ))

t0=$(nsl_now_ms)
bt_start 2 -- m-l
bt_up 2 10.29.0.2
nglobal() { bt_ctl 2 -- transglobal --json 2>/dev/null | python3 -c '
import json, sys
d = json.load(sys.stdin)
print(len({e["client_address"] for e in d if e["client_address"].startswith("02:b7:cc:00") and e["orig_address"] == sys.argv[1]}))' "$(bt_mac 1 1)"; }
global_done() { (( $(nglobal) >= NCL )); }
nsl_wait_until 30 global_done || nsl_fail "n2's transglobal lists $(nglobal) of $NCL clients at n1 after 30 s"
nsl_log "n2 learnt all $NCL clients in $(( $(nsl_now_ms) - t0 )) ms after its start"

treq() { bt_ctl 2 -- statistics --json | python3 -c 'import json,sys; print(json.load(sys.stdin).get("tt_request_tx", 0))'; }
fr=$(bt_ctl 2 -- statistics --json | python3 -c 'import json,sys; print(json.load(sys.stdin).get("frag_rx", "?"))')
r0=$(treq)
sleep $(( (BT_OI * 5) / 1000 + 1 ))
r1=$(treq)
nsl_log "n2: $r0 TT requests sent until converged, $r1 after 5 more intervals; $fr fragments received"
((r1 == r0)) || nsl_fail "n2 keeps sending TT requests ($r0 -> $r1): tables do not converge"

nsl_wait_until 30 bt_ping 2 10.29.0.100 || nsl_fail "n2 cannot reach the client behind n1"
nsl_log "PASS: $NCL-client table transferred to a late joiner and stable"
