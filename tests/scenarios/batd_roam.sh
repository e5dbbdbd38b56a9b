#!/usr/bin/env bash
# batd scenario: roaming. Chain A(n1) — P(n2) — B(n3). A and B bridge their bat0 into a
# Linux bridge br0; a client namespace (MAC 02:b7:00:00:cc:01, 10.29.0.100) hangs off A's
# bridge. P (10.29.0.2 on bat0) pings the client. Then the client's cable moves to B's
# bridge (same MAC, same IP; it pings P as a client does after associating) and P must
# reach it via B within 2 OGM intervals + 1 s slack (first frame into B's bat0, the TT
# change riding B's next OGM, ARP and the 0.3 s ping poll).
# Also asserts that P's global translation table then lists the client at B.
set -u
BT_OI=${BT_OI:-1000}
source "$(dirname "$0")/batd_lib.sh"
bt_init rm
nsl_require ping python3

CMAC=02:b7:00:00:cc:01
CIP=10.29.0.100
nsl_ns 1 2 3 c
nsl_veth 1 m-r 2 m-l 1532 "$(bt_mac 1 1)" "$(bt_mac 2 1)"
nsl_veth 2 m-r 3 m-l 1532 "$(bt_mac 2 2)" "$(bt_mac 3 1)"
bt_start 1 -- m-r
bt_start 2 -- m-l m-r
bt_start 3 -- m-l
bt_up 1 ""
bt_up 2 10.29.0.2
bt_up 3 ""
for n in 1 3; do
    nx $n ip link add br0 type bridge stp_state 0 forward_delay 0
    nx $n ip link set bat0 master br0 || nsl_fail "n$n: cannot bridge bat0"
    nx $n ip link set br0 up
done

plug_client() {   # plug_client NODE: the client's eth0 becomes a port of NODE's br0
    nsl_veth c eth0 "$1" c-port 1500 "$CMAC"
    nx "$1" ip link set c-port master br0 || nsl_fail "n$1: cannot bridge the client port"
    nx c ip addr add "$CIP/24" dev eth0
}
plug_client 1

nsl_wait_until 30 bt_has_originators 2 bat0 "$(bt_mac 1 1)" "$(bt_mac 3 1)" \
    || nsl_fail "P originators after 30 s: $(bt_originators 2 | tr '\n' ' ')"
nsl_wait_until 30 bt_ping 2 "$CIP" || nsl_fail "P cannot reach the client behind A within 30 s"

client_at() {  # client_at ORIG: P's global TT lists the client with originator ORIG
    bt_ctl 2 -- transglobal --json 2>/dev/null | python3 -c '
import json, re, sys
mac, orig = sys.argv[1].lower(), sys.argv[2].lower()
text = sys.stdin.read()
try:
    data = json.loads(text)
except ValueError:   # batctl text: "* MAC VID (TTVN) via ORIG ..."
    sys.exit(0 if any(mac in l.lower() and orig in l.lower() for l in text.splitlines()) else 1)
found = []
def walk(x):
    if isinstance(x, dict):
        if str(x.get("client_address", x.get("client", ""))).lower() == mac:
            found.append(str(x.get("orig_address", x.get("originator", ""))).lower())
        for y in x.values():
            if isinstance(y, (list, dict)): walk(y)
    elif isinstance(x, list):
        for y in x: walk(y)
walk(data)
sys.exit(0 if orig in found else 1)
' "$CMAC" "$1"
}
nsl_wait_until 30 client_at "$(bt_mac 1 1)" || nsl_fail "P's transglobal does not list the client at A"

limit_ms=$(( 2 * BT_OI + 1000 ))
nsl_log "moving the client from A's bridge to B's; P must reach it within $limit_ms ms"
nx c ip link del eth0
plug_client 3
t0=$(nsl_now_ms)
nsl_bg c "$NSL_TMP/client-ping.log" ping -n -i 0.2 10.29.0.2
NSL_POLL=0 nsl_wait_until $(( limit_ms / 1000 + 20 )) bt_ping 2 "$CIP" 0.3 \
    || nsl_fail "P never reached the client after it moved to B"
dt=$(( $(nsl_now_ms) - t0 ))
nsl_log "client reachable via B ${dt} ms after the move = $(( dt / BT_OI )).$(( dt * 10 / BT_OI % 10 )) OGM intervals"
((dt <= limit_ms)) || nsl_fail "roaming took $dt ms > $limit_ms ms (2 x $BT_OI + 1000)"
nsl_wait_until 30 client_at "$(bt_mac 3 1)" || nsl_fail "P's transglobal does not list the client at B"
nx 2 ping -n -q -c5 -i 0.2 -W1 "$CIP" | grep -q ' 5 received' || nsl_fail "P -> client lossy after roaming"

nsl_log "PASS: roaming A -> B in $dt ms (limit $limit_ms)"
