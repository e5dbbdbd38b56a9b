#!/usr/bin/env bash
# batd scenario: DHCP stays local with --gw-mode client (LibreMesh anycast gateway: every
# node runs its own DHCP server, so clients' DHCP requests must not flood the cloud — the
# kernel drops them in gw client mode while no gateway is selected).
# n1 (batd --gw-mode client) bridges bat0 with a client namespace; n2 (plain batd) listens
# on bat0. The client sends, all as broadcasts:
#   id 0: DHCPv4 request-like UDP 68 -> 255.255.255.255:67     must NOT reach n2
#   id 1: DHCPv6 Solicit-like UDP 546 -> [ff02::1:2]:547        must NOT reach n2
#   id 2: ordinary UDP broadcast to port 9                      must reach n2 exactly once
#   id 3: UDP broadcast to port 67 from a port other than 68 (the kernel matches the
#         destination port only)                                must NOT reach n2
# Also: n1's drop_dhcp_no_gateway counter grows by at least 3; n2 (no --gw-mode) floods
# the same DHCPv4 frame from its own side (control: n1 receives it).
set -u
source "$(dirname "$0")/batd_lib.sh"
bt_init gw
nsl_require python3

nsl_ns 1 2
NSL_IPV6=1 nsl_ns c d
nsl_veth 1 m-r 2 m-l 1532 "$(bt_mac 1 1)" "$(bt_mac 2 1)"
bt_start 1 --gw-mode client -- m-r
bt_start 2 -- m-l
bt_up 1 10.29.0.1
bt_up 2 10.29.0.2
for n in 1 2; do
    nx $n ip link add br0 type bridge stp_state 0 forward_delay 0
    nx $n ip link set bat0 master br0
    nx $n ip link set br0 up
done
nsl_veth c eth0 1 c-port 1500 02:b7:00:00:cc:04
nsl_veth d eth0 2 c-port 1500 02:b7:00:00:cc:05
for n in 1 2; do nx $n ip link set c-port master br0; done
for n in c d; do
    nx $n sysctl -qw net.ipv6.conf.eth0.accept_dad=0
    nx $n ip addr add "10.29.0.$([[ $n == c ]] && echo 100 || echo 101)/24" dev eth0
done
nsl_wait_until 30 bt_has_originators 2 bat0 "$(bt_mac 1 1)" || nsl_fail "n2 does not see n1"
nsl_wait_until 30 eval 'nx c ip -6 addr show dev eth0 scope link -tentative | grep -q inet6' || nsl_fail "client has no IPv6 link-local address"

cat >"$NSL_TMP/dhcp.py" <<'EOF'
# Sends the frames described in batd_anygw.sh; which ids is argv[2] (comma list).
import socket, sys, time
mark, ids = sys.argv[1], [int(x) for x in sys.argv[2].split(",")]
def v4(sport, dport, k):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, b"eth0")
    s.bind(("0.0.0.0", sport))
    s.sendto(("%s%d|" % (mark, k)).encode() + bytes(240), ("255.255.255.255", dport))
def v6(k):
    s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    s.bind(("::", 546))
    s.sendto(("%s%d|" % (mark, k)).encode() + bytes(40), ("ff02::1:2", 547, 0, socket.if_nametoindex("eth0")))
for _ in range(3):
    for k in ids:
        if k == 0: v4(68, 67, 0)
        elif k == 1: v6(1)
        elif k == 2: v4(40000, 9, 2)
        elif k == 3: v4(40001, 67, 3)
    time.sleep(0.1)
EOF
stat() { bt_ctl "$1" -- statistics --json 2>/dev/null | python3 -c 'import json,sys; print(json.load(sys.stdin).get(sys.argv[1], 0))' "$2"; }
d0=$(stat 1 drop_dhcp_no_gateway)

bt_bcast_listen 2 bat0 "$NSL_TMP/at2" "btgw-$$-"
l2=$NSL_LASTPID
bt_bcast_listen 1 bat0 "$NSL_TMP/at1" "btgw-$$-"
l1=$NSL_LASTPID
nx c python3 "$NSL_TMP/dhcp.py" "btgw-$$-" 0,1,2,3 || nsl_fail "client sender failed"
nx d python3 "$NSL_TMP/dhcp.py" "btgw-$$-" 0 >/dev/null 2>&1   # control, from n2's side (id 0 again)
sleep 2
nsl_stop "$l2"; nsl_stop "$l1"
d1=$(stat 1 drop_dhcp_no_gateway)
at2=$(tr '\n' ',' <"$NSL_TMP/at2"); at1=$(tr '\n' ',' <"$NSL_TMP/at1")
nsl_log "n2 received (id count): ${at2:-nothing}; n1 bat0 received: ${at1:-nothing}; n1 drop_dhcp_no_gateway $d0 -> $d1"
[[ "$at2" == "2 3," ]] || nsl_fail "n2 should get exactly the 3 ordinary broadcasts (id 2) and no DHCP (ids 0, 1, 3): got '$at2'"
((d1 - d0 >= 9)) || nsl_fail "n1 counted $((d1 - d0)) dropped DHCP requests, sent 9"
[[ "$at1" == *"0 3"* ]] || nsl_fail "control: DHCP from behind n2 (no --gw-mode) should reach n1's bat0 3 times: got '$at1'"

nsl_log "PASS: --gw-mode keeps clients' DHCP requests out of the mesh, other broadcasts pass"
