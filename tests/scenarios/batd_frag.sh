#!/usr/bin/env bash
# batd scenario: fragmentation. Chain n1 —L1 (MTU 1532)— n2 —L2 (MTU 1400)— n3; links are
# wire bridges, L2 is captured. A full 1500-byte packet over bat0 does not fit L2 once the
# batman header is added, so n2 (forwarding n1's packets) and n3 (sending its replies) must
# fragment (spec §5.3) and the receivers reassemble.
# Asserts:
#   1. ping -M 'do' -s 1472 (1500-byte IP packets) n1 -> n3: 5/5; ping -s 3000 (IP fragments
#      of 1500 bytes) n1 -> n3: 5/5;
#   2. on L2: UNICAST_FRAG frames were sent, no batman frame is larger than the link MTU,
#      nothing malformed, and tshark reassembles ICMP out of the fragments;
#   3. packets that fit the link are not fragmented (no fragment with total_size <= 1400,
#      though small pings are sent as well).
set -u
source "$(dirname "$0")/batd_lib.sh"
bt_init fr
nsl_require ping python3 tshark

nsl_ns 1 2 3
nsl_wire w L1
nsl_wire w L2
ip -n "${NSL_PREFIX}w" link set L2 mtu 1400
nsl_wire_port w L1 1 m-r 1532 "$(bt_mac 1 1)"
nsl_wire_port w L1 2 m-l 1532 "$(bt_mac 2 1)"
nsl_wire_port w L2 2 m-r 1400 "$(bt_mac 2 2)"
nsl_wire_port w L2 3 m-l 1400 "$(bt_mac 3 1)"
PCAP=$NSL_TMP/l2.pcapng
nsl_bg w "$NSL_TMP/capture.log" tshark -q -i L2 -w "$PCAP"
cap=$NSL_LASTPID
nsl_wait_until 30 grep -q "Capturing on" "$NSL_TMP/capture.log" || nsl_fail "tshark did not start"

bt_start 1 -- m-r
bt_start 2 -- m-l m-r
bt_start 3 -- m-l
for i in 1 2 3; do bt_up $i "10.29.0.$i"; done
nx 3 ip link show dev bat0 | grep -q 'mtu 1500' || nsl_fail "n3's bat0 MTU is not 1500: $(nx 3 ip link show dev bat0)"

nsl_wait_until 30 bt_ping 1 10.29.0.3 || nsl_fail "n1 cannot ping n3 within 30 s"
nx 1 ping -n -q -c5 -i 0.2 -W1 -M 'do' -s 1472 10.29.0.3 | grep -q ' 5 received' \
    || nsl_fail "1500-byte packets n1 -> n3 across the 1400-MTU link: not 5/5"
nx 1 ping -n -q -c5 -i 0.2 -W1 -s 3000 10.29.0.3 | grep -q ' 5 received' \
    || nsl_fail "3028-byte pings (IP-fragmented) n1 -> n3: not 5/5"
sleep 1
nsl_log "large pings pass the 1400-MTU link"
nx 1 ping -n -q -c5 -i 0.2 -W1 -s 56 10.29.0.3 | grep -q ' 5 received' || nsl_fail "small pings: not 5/5"
sleep 1
nsl_stop "$cap"

count() { tshark -r "$PCAP" -Y "$1" 2>/dev/null | wc -l; }
frags=$(count 'batadv.unicast_frag.seq')
toobig=$(count 'batadv && frame.len > 1414')
malformed=$(count '_ws.malformed')
reasm=$(count 'batadv.unicast_frag.seq && icmp')
needless=$(count 'batadv.unicast_frag.total_size <= 1400')
nsl_log "L2 capture: $frags fragments, $reasm reassembled to ICMP, $toobig too big, $needless needless, $malformed malformed"
((frags > 0)) || nsl_fail "no UNICAST_FRAG frames on the 1400-MTU link"
((toobig == 0)) || nsl_fail "$toobig batman frames larger than the 1400-byte link MTU"
((malformed == 0)) || nsl_fail "malformed frames: $(tshark -r "$PCAP" -Y _ws.malformed 2>/dev/null | head -3)"
((reasm > 0)) || nsl_fail "tshark reassembled no ICMP from the fragments"
((needless == 0)) || nsl_fail "$needless fragments of packets that fit the link unfragmented"

nsl_log "PASS: fragmentation across a 1400-MTU link"
