#!/usr/bin/env bash
# batd scenario: the soft interface is a persistent TAP made beforehand, as lime-apply's
# linux backend does (it creates bat0, enslaves it to br-lan, then its supervisor starts
# batd). n1: persistent TAP bat0 in bridge br-lan (10.29.0.1 on br-lan); n2: plain batd.
# Asserts: n2 pings n1's br-lan address through the attached TAP; SIGTERM makes n1's batd
# exit 0 and leaves bat0 in place, still a port of br-lan; a new batd attaches to the same
# TAP without changing its MAC (br-lan's MAC follows bat0's, and peers' ARP caches hold
# it) and n2 pings n1 again within 10 s.
set -u
source "$(dirname "$0")/batd_lib.sh"
bt_init pe
nsl_require ping

nsl_ns 1 2
nsl_veth 1 m-r 2 m-l 1532 "$(bt_mac 1 1)" "$(bt_mac 2 1)"
nx 1 ip tuntap add dev bat0 mode tap || nsl_fail "cannot create a persistent TAP"
nx 1 ip link add br-lan type bridge stp_state 0 forward_delay 0
nx 1 ip link set bat0 master br-lan
nx 1 ip link set br-lan up
nx 1 ip addr add 10.29.0.1/24 dev br-lan
bt_start 1 -- m-r
bt_start 2 -- m-l
bt_up 2 10.29.0.2
nx 1 ip link set bat0 up

nsl_wait_until 30 bt_ping 2 10.29.0.1 || nsl_fail "n2 cannot ping n1's br-lan through the persistent TAP"
nsl_log "n2 pings n1 through the pre-made TAP"

mac0=$(nx 1 cat /sys/class/net/bat0/address)
pid=${BT_PID[1/bat0]}
kill -TERM "$pid"
for _ in $(seq 25); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
kill -0 "$pid" 2>/dev/null && nsl_fail "n1's batd still runs 5 s after SIGTERM"
wait "$pid"; rc=$?
((rc == 0)) || nsl_fail "n1's batd exited with status $rc"
nx 1 ip -o link show dev bat0 2>/dev/null | grep -q 'master br-lan' \
    || nsl_fail "the persistent bat0 is gone or left br-lan after batd exited: $(nx 1 ip -o link show dev bat0 2>&1)"
nsl_log "SIGTERM: batd exited 0, bat0 still in br-lan"

rm -f "$NSL_TMP/1.bat0.sock"
bt_start 1 -- m-r
nx 1 ip link set bat0 up
sleep 1
mac1=$(nx 1 cat /sys/class/net/bat0/address)
[[ "$mac1" == "$mac0" ]] || nsl_log "bat0's MAC changed on re-attach ($mac0 -> $mac1); br-lan's with it: $(nx 1 cat /sys/class/net/br-lan/address)"
# A supervisor restart must not cut the node off: peers' ARP caches still hold br-lan's MAC,
# so bat0 (whose MAC br-lan follows) must keep its MAC when batd attaches again.
[[ "$mac1" == "$mac0" ]] || nsl_fail "bat0's MAC changed when batd re-attached ($mac0 -> $mac1): peers' ARP entries for br-lan go stale"
nsl_wait_until 10 bt_ping 2 10.29.0.1 || nsl_fail "n2 cannot ping n1 within 10 s after batd re-attached to the TAP"
nsl_log "PASS: batd attaches to a persistent TAP, leaves it in place, re-attaches"
