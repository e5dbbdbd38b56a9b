#!/usr/bin/env bash
# batd scenario: wire check with tshark. Chain n1 — n2 — n3; n1 bridges bat0 with a client
# namespace (so the translation table holds more than bat0's own MAC); n3 joins late, so it
# has to request full translation tables. Everything on both links is captured from before
# the daemons start, while they converge, ping and flood broadcasts. Asserts on the capture (tshark's batadv dissector, spec §7.1):
#   1. IV OGMs, BCAST, UNICAST and UNICAST_TVLV (TT request/response) frames were sent;
#   1b. OGMs carry only the TT container (no GW/DAT/MCAST/NC: batd announces only what it
#      implements, and none of those options is given);
#   2. no frame is malformed and no expert info of severity warning or error appears;
#   3. TT CRCs: tshark verified at least one VLAN CRC (full-table response) and found it
#      good (batadv.tvlv.tt.vlan.crc.status == 1), none bad (batadv.tvlv_tt_crc_bad);
#   4. every full-table response's VLAN CRCs equal the CRCs the same originator announced
#      in its OGMs for the same ttvn (so the OGM CRCs are right too);
#   5. inner payload decodes (ICMP echo inside batman unicast).
set -u
source "$(dirname "$0")/batd_lib.sh"
bt_init wi
nsl_require ping python3 tshark

nsl_ns 1 2 3 c
# Links are bridges in a wire namespace, captured there: batd sends with
# PACKET_QDISC_BYPASS, so a capture on a node's own interface misses its own frames.
nsl_wire w L1
nsl_wire w L2
nsl_wire_port w L1 1 m-r 1532 "$(bt_mac 1 1)"
nsl_wire_port w L1 2 m-l 1532 "$(bt_mac 2 1)"
nsl_wire_port w L2 2 m-r 1532 "$(bt_mac 2 2)"
nsl_wire_port w L2 3 m-l 1532 "$(bt_mac 3 1)"
PCAP=$NSL_TMP/wire.pcapng
nsl_bg w "$NSL_TMP/capture.log" tshark -q -i L1 -i L2 -w "$PCAP"
cap=$NSL_LASTPID
nsl_wait_until 30 grep -q "Capturing on" "$NSL_TMP/capture.log" || nsl_fail "tshark did not start"
sleep 0.5

# n1 and n2 first; n1 learns a client; n3 joins only after n1's TT version moved on and
# its diffs stopped repeating, so n3 must fetch full tables (TT request/response).
bt_start 1 -- m-r
bt_start 2 -- m-l m-r
bt_up 1 ""
bt_up 2 10.29.0.2
nx 1 ip link add br0 type bridge stp_state 0 forward_delay 0
nx 1 ip link set bat0 master br0
nx 1 ip addr add 10.29.0.1/24 dev br0
nx 1 ip link set br0 up
nsl_veth c eth0 1 c-port 1500 02:b7:00:00:cc:02
nx 1 ip link set c-port master br0
nx c ip addr add 10.29.0.100/24 dev eth0
nsl_wait_until 30 bt_ping 2 10.29.0.100 || nsl_fail "n2 cannot ping the client behind n1"
sleep $(( (BT_OI * 8) / 1000 + 1 ))
bt_start 3 -- m-l
bt_up 3 10.29.0.3

nsl_wait_until 30 bt_has_originators 3 bat0 "$(bt_mac 1 1)" "$(bt_mac 2 1)" \
    || nsl_fail "n3 originators after 30 s: $(bt_originators 3 | tr '\n' ' ')"
nsl_wait_until 30 bt_ping 3 10.29.0.100 || nsl_fail "n3 cannot ping the client behind n1"
nx 3 ping -n -q -c5 -i 0.2 -W1 10.29.0.1 >/dev/null
bt_bcast_send 3 10.29.0.255 5 "btwi-$$-"
sleep $(( (BT_OI * 6) / 1000 + 1 ))    # a few more OGMs carrying the new TT state
nsl_stop "$cap"

total=$(tshark -r "$PCAP" -Y batadv 2>/dev/null | wc -l)
((total > 0)) || nsl_fail "no batman-adv frames captured"
count() { tshark -r "$PCAP" -Y "$1" 2>/dev/null | wc -l; }
ogm=$(count 'batadv.iv_ogm.orig')
bcast=$(count 'batadv.bcast.orig')
ucast=$(count 'batadv.unicast.dst')
utvlv=$(count 'batadv.unicast_tvlv.dst')
icmp=$(count 'batadv && icmp.type == 8')
nsl_log "captured $total batman frames: $ogm OGM, $bcast BCAST, $ucast UNICAST, $utvlv UNICAST_TVLV, $icmp inner ICMP echo"
((ogm > 0)) || nsl_fail "no IV OGM decoded"
((bcast > 0)) || nsl_fail "no BCAST decoded"
((ucast > 0)) || nsl_fail "no UNICAST decoded"
((utvlv > 0)) || nsl_fail "no UNICAST_TVLV (TT request/response) decoded"
((icmp > 0)) || nsl_fail "no ICMP echo decoded inside batman unicast"

# 1b. TVLVs announced only for what batd implements: no gw/dat/mcast/nc options given, so
# every OGM container must be TT (0x04). (tshark's field batadv.tvlv.length holds the
# container TYPE — a dissector naming slip.)
types=$(tshark -r "$PCAP" -Y 'batadv.iv_ogm.orig' -T fields -e batadv.tvlv.length 2>/dev/null | tr ',' '\n' | grep -v '^$' | sort -u | tr '\n' ' ')
nsl_log "TVLV container types in OGMs: $types"
[[ "$types" == "0x04 " ]] || nsl_fail "OGMs carry TVLV types other than TT: $types"

malformed=$(count '_ws.malformed')
((malformed == 0)) || nsl_fail "$malformed malformed frames: $(tshark -r "$PCAP" -Y _ws.malformed 2>/dev/null | head -3)"
# Expert severities: chat 0x200000, note 0x400000, warn 0x600000, error 0x800000.
experts=$(tshark -r "$PCAP" -Y '_ws.expert.severity >= 0x600000' -T fields -e frame.number -e _ws.expert.message 2>/dev/null)
[[ -z "$experts" ]] || nsl_fail "expert warnings/errors: $(head -5 <<<"$experts")"

good=$(count 'batadv.tvlv.tt.vlan.crc.status == 1')
bad=$(count 'batadv.tvlv_tt_crc_bad || batadv.tvlv.tt.vlan.crc.status == 0')
nsl_log "TT CRC check by tshark: $good frames good, $bad bad"
((bad == 0)) || nsl_fail "tshark reports bad TT CRCs: $(tshark -r "$PCAP" -Y batadv.tvlv_tt_crc_bad -T fields -e frame.number -e _ws.expert.message 2>/dev/null | head -3)"
((good > 0)) || nsl_fail "no full-table TT response was captured, tshark verified no CRC"

# 4. OGM CRCs == full-table response CRCs for the same (originator, ttvn).
tshark -r "$PCAP" -Y 'batadv.tvlv.tt.ttvn' -T fields -E separator='|' \
    -e batadv.iv_ogm.orig -e batadv.unicast_tvlv.src -e batadv.tvlv.tt.flags \
    -e batadv.tvlv.tt.ttvn -e batadv.tvlv.tt.vlan.crc 2>/dev/null >"$NSL_TMP/tt.txt"
python3 - "$NSL_TMP/tt.txt" <<'EOF' || nsl_fail "OGM TT CRCs disagree with full-table responses (see above)"
import sys
ogm, resp = {}, []
for line in open(sys.argv[1]):
    f = line.rstrip("\n").split("|")
    if len(f) < 5:
        continue
    ogm_orig, src, flags, ttvn, crcs = f[:5]
    # Aggregated OGMs list several origins/ttvns; take them pairwise.
    origs, ttvns, flagl = ogm_orig.split(","), ttvn.split(","), flags.split(",")
    if ogm_orig:
        # crcs of all TT containers of the aggregate, in order; only unambiguous when one
        # TT container is in the frame.
        if len(ttvns) == 1 and len(origs) == 1:
            ogm.setdefault((origs[0], ttvns[0]), set()).add(tuple(sorted(crcs.split(","))))
    elif src:
        for fl, tv in zip(flagl, ttvns):
            if int(fl, 0) & 0x1f == 0x14:
                resp.append((src, tv, tuple(sorted(crcs.split(",")))))
bad = 0
checked = 0
for src, tv, crcs in resp:
    seen = ogm.get((src, tv))
    if not seen:
        continue
    checked += 1
    if crcs not in seen:
        print("full table of %s ttvn %s has CRCs %s, its OGMs announced %s" % (src, tv, crcs, seen))
        bad += 1
print("compared %d full-table responses with OGM CRCs" % checked)
sys.exit(1 if bad or not checked else 0)
EOF

nsl_log "PASS: batd frames decode cleanly, TT CRCs good"
