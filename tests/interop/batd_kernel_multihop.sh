#!/usr/bin/env bash
# Interop, harder: kernel batman-adv — batd U1 — batd U2 (+ a client behind U2's bridge),
# all on 802.1ad VLAN 29, and the kernel's link with a batman MTU of only 1400, so 1500-byte
# packets must be fragmented in both directions.
#
#   [qemu btkpeer: eth0.29 MTU 1400, bat0 10.29.0.2]
#      TAP btktap0 — bridge btkbr0 (ns btk<pid>-k) — v-k <-> v-u (ns btk<pid>-u1, MTU 1404)
#   batd U1 (no address)  m-r <-> m-l  batd U2 (ns btk<pid>-u2, bat0 in br0, 10.29.0.3)
#                                         └ br0 port — client (ns btk<pid>-c, 10.29.0.100)
# Asserts:
#   1. the kernel routes to U2 (2 hops) via U1, and U2 to the kernel via U1 (OGMs that batd
#      forwards are accepted by the kernel and the other way round);
#   2. the kernel pings U2 and the client behind U2 (TT entry learnt through batd), 5/5, and
#      its global table holds all 150 further clients behind U2 (learnt before the kernel
#      booted, so fetched with a TT request; the response is fragmented);
#   2b. batctl ping from the kernel to U2 (3/3) and batctl traceroute: hop 1 U1, hop 2 U2;
#   3. 1500-byte packets both ways, 5/5: the kernel fragments towards U1, U1 fragments
#      towards the kernel (spec §5.3), and each side reassembles the other's fragments;
#   4. the capture on the kernel's link holds fragments from both senders, nothing malformed
#      or oversized, no bad TT CRC, and the kernel sent at most 4 TT requests in all (it
#      would keep asking if batd's tables and CRCs disagreed).
set -u
here=$(cd "$(dirname "$0")" && pwd)
BT_OI=${BT_OI:-1000}
source "$here/../scenarios/batd_lib.sh"
bt_init k
nsl_require qemu-system-x86_64 ping python3 tshark

KP=${KERNEL_PEER:-/work/shared/tools/kernel-peer/kernel-peer.sh}
[[ -f "$KP" ]] || { nsl_log "SKIP: kernel-peer.sh not found ($KP)"; exit 77; }
KP_CACHE=${KP_CACHE:-/var/cache/kernel-peer}
if [[ ! -f "$KP_CACHE/initramfs.cpio.gz" ]]; then
    bash "$KP" prepare >"$NSL_TMP/prepare.log" 2>&1 \
        || { nsl_log "SKIP: kernel-peer.sh prepare failed: $(tail -3 "$NSL_TMP/prepare.log")"; exit 77; }
fi

GUEST=btkpeer$$      # unique per run: a CI run may run beside a manual one
KMAC=02:b7:00:00:99:01
KBAT=02:b7:00:00:99:02
U1K=$(bt_mac 1 1)    # U1 towards the kernel (U1's originator address)
U1R=$(bt_mac 1 2)    # U1 towards U2
U2=$(bt_mac 2 1)     # U2's originator address
CMAC=02:b7:00:00:cc:03
kexec() { bash "$KP" exec "$GUEST" -t "${KT:-15}" "$1" 2>&1; }
kp_stop() { bash "$KP" stop "$GUEST" --purge >/dev/null 2>&1 || true; }
trap 'rc=$?; kp_stop; bt_finish $rc; rc=$?; ((rc != 0 && rc != 77)) && tail -n 30 "${KP_STATE:-/run/kernel-peer}/$GUEST/console.log" >&2 2>/dev/null; nsl_cleanup; exit $rc' EXIT
kp_stop

nsl_ns k u1 u2 c
nx k ip link add btkbr0 type bridge stp_state 0 forward_delay 0
nx k ip link set btkbr0 up
nsl_veth k v-k u1 v-u 1404 "" "$U1K"
nx k ip link set v-k master btkbr0
nsl_veth u1 m-r u2 m-l 1536 "$U1R" "$U2"
PCAP=$NSL_TMP/klink.pcapng
nsl_bg k "$NSL_TMP/capture.log" tshark -q -i btkbr0 -w "$PCAP"
cap=$NSL_LASTPID

bt_start u1 --vlan 8021ad:29 -- v-u m-r
bt_start u2 --vlan 8021ad:29 -- m-l
bt_up u1 ""
bt_up u2 ""
nx u2 ip link add br0 type bridge stp_state 0 forward_delay 0
nx u2 ip link set bat0 master br0
nx u2 ip addr add 10.29.0.3/24 dev br0
nx u2 ip link set br0 up
nsl_veth c eth0 u2 c-port 1500 "$CMAC"
nx u2 ip link set c-port master br0
nx c ip addr add 10.29.0.100/24 dev eth0
# 150 more client MACs behind U2 (one broadcast frame each), learnt before the kernel boots:
# the kernel must then fetch U2's table with a TT request, and the ~1.8 KB full-table
# response crosses U1 and the 1400-byte link as fragments.
NCL=150
nx c python3 -c '
import socket, sys, time
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW); s.bind(("eth0", 0))
for i in range(1, int(sys.argv[1]) + 1):
    s.send(b"\xff" * 6 + bytes([2, 0xb7, 0xcc, 0, i >> 8, i & 255]) + b"\x88\xb5" + bytes(46))
    time.sleep(0.002)' $NCL || nsl_fail "client frame generator failed"

bash "$KP" start "$GUEST" btktap0 --netns "${NSL_PREFIX}k" --bridge btkbr0 --lime --bla 0 --mtu 1400 \
    --mac "$KMAC" --bat-mac "$KBAT" --ip 10.29.0.2/24 --period 2 --wait 120 \
    >"$NSL_TMP/kp-start.log" 2>&1 || nsl_fail "kernel peer did not boot: $(tail -3 "$NSL_TMP/kp-start.log")"
nsl_log "$(grep -o 'ready after.*' "$NSL_TMP/kp-start.log" | head -1)"

# 1. routes across batd
k_route_to_u2() { kexec "batctl meshif bat0 o" | grep -i "^ *\* *$U2 .* $U1K " >/dev/null; }
nsl_wait_until 90 k_route_to_u2 || nsl_fail "kernel has no route to U2 via U1 after 90 s: $(kexec 'batctl meshif bat0 o')"
u2_route() { [[ "$(bt_nexthop u2 bat0 "$KMAC")" == "$U1R" ]]; }
nsl_wait_until 30 u2_route || nsl_fail "U2 has no route to the kernel via U1: '$(bt_nexthop u2 bat0 "$KMAC")'"
nsl_log "kernel <-> U2 routed via U1:"
kexec "batctl meshif bat0 o" | sed 's/^/    kernel: /' >&2

# 2. pings across batd, to batd and to the client behind it
nsl_wait_until 60 bt_ping u2 10.29.0.2 || nsl_fail "U2 -> kernel ping failed for 60 s"
out=$(KT=30 kexec "ping -c5 -W2 10.29.0.3")
grep -q ' 5 packets received' <<<"$out" || nsl_fail "kernel -> U2 (2 hops): $out"
ktg_client() { kexec "batctl meshif bat0 tg" | grep -i "$CMAC" >/dev/null; }
nx c ping -n -q -c1 -W1 10.29.0.3 >/dev/null    # the client speaks, U2 learns it
nsl_wait_until 30 ktg_client || nsl_fail "kernel's tg lacks the client $CMAC behind U2: $(kexec 'batctl meshif bat0 tg')"
out=$(KT=30 kexec "ping -c5 -W2 10.29.0.100")
grep -q ' 5 packets received' <<<"$out" || nsl_fail "kernel -> client behind U2: $out"
nsl_log "kernel pings U2 and the client behind it"

ktg_many() { (( $(kexec "batctl meshif bat0 tg" | grep -ic "02:b7:cc:00:.* $U2 ") >= NCL )); }
nsl_wait_until 30 ktg_many || nsl_fail "kernel's tg has $(kexec "batctl meshif bat0 tg" | grep -ic "02:b7:cc:00:.* $U2 ") of $NCL clients at U2"
nsl_log "kernel learnt all $NCL extra clients behind U2 (fragmented full-table response)"

# batman-level ICMP (batctl ping / traceroute): batd answers echo requests and reports
# TTL exceeded when forwarding.
out=$(KT=30 kexec "batctl meshif bat0 ping -c3 $U2")
echo "$out" | sed 's/^/    kernel: /' >&2
grep -q ' 3 received' <<<"$out" || nsl_fail "batctl ping U2 from the kernel: $out"
out=$(KT=40 kexec "batctl meshif bat0 traceroute $U2")
echo "$out" | sed 's/^/    kernel: /' >&2
grep -qi "^ *1: *$U1K" <<<"$out" && grep -qi "^ *2: *$U2" <<<"$out" \
    || nsl_fail "batctl traceroute U2 from the kernel should show U1 then U2: $out"

# 3. fragmentation both ways
out=$(KT=30 kexec "ping -c5 -W2 -s 1472 10.29.0.3")
grep -q ' 5 packets received' <<<"$out" || nsl_fail "kernel -> U2, 1500-byte packets over the 1400 link: $out"
nx u2 ping -n -q -c5 -i 0.3 -W2 -M 'do' -s 1472 10.29.0.2 | grep -q ' 5 received' \
    || nsl_fail "U2 -> kernel, 1500-byte packets over the 1400 link: not 5/5"
nsl_log "1500-byte packets cross the 1400-MTU kernel link both ways"

# 4. the wire
sleep 1
nsl_stop "$cap"
count() { tshark -r "$PCAP" -Y "$1" 2>/dev/null | wc -l; }
kfr=$(count "batadv.unicast_frag.seq && eth.src == $KMAC")
ufr=$(count "batadv.unicast_frag.seq && eth.src == $U1K")
malformed=$(count '_ws.malformed')
toobig=$(count 'batadv && frame.len > 1418')
kreq=$(count "batadv.unicast_tvlv.src == $KMAC && batadv.tvlv.tt.flags & 0x02")
badcrc=$(count 'batadv.tvlv_tt_crc_bad || batadv.tvlv.tt.vlan.crc.status == 0')
nsl_log "kernel link: $kfr fragments from the kernel, $ufr from U1, $toobig too big, $malformed malformed; kernel sent $kreq TT requests, $badcrc bad TT CRCs"
((kreq <= 4)) || nsl_fail "the kernel keeps requesting TT data from batd ($kreq requests): CRCs disagree"
((badcrc == 0)) || nsl_fail "tshark found bad TT CRCs"
((kfr > 0 && ufr > 0)) || nsl_fail "expected fragments from both sides on the 1400-MTU link"
((malformed == 0 && toobig == 0)) || nsl_fail "malformed or oversized frames on the kernel link"

nsl_log "PASS: kernel — batd — batd: multi-hop routing, TT, fragmentation interoperate"
