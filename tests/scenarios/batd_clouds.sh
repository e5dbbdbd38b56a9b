#!/usr/bin/env bash
# batd scenario: two clouds on the same links. Two shared segments (bridges S1, S2 in a
# wire namespace, like two radio channels) carry both clouds:
#
#   S1: a1 a2 b1 b2        S2: a2 a3 b2 b3
#
# a* run `batd --vlan 8021ad:29`, b* run `batd --vlan 8021ad:30`, and c1, c2 on S1 run
# `--vlan 8021q:29` (same VID as a, other TPID: a third cloud); every bat0 is in the same
# IPv4 subnet (a: .1-.3, b: .11-.13, c: .21-.22), so any leak between clouds would show up.
# Asserts:
#   1. originator tables are disjoint: a1 lists a2, a3 and no b or c; b1 lists b2, b3 and no
#      a or c; c1 lists c2 and no a or b (re-checked after 3 more OGM intervals);
#   2. ping works inside each cloud (a1 -> a3, b1 -> b3, two hops) and never across;
#   3. 20 broadcasts from a1 arrive exactly once on a2, a3 and never on any b; 20 from b1
#      exactly once on b2, b3 and never on any a;
#   4. on the wire, every batman frame is tagged 802.1ad VID 29/30 or 802.1Q VID 29 (all
#      three seen), none untagged.
set -u
source "$(dirname "$0")/batd_lib.sh"
bt_init cl
nsl_require ping python3 tshark

# MTU 1536: batd adds the 4-byte tag itself on top of the 1532-byte batman MTU.
MTU=1536
nsl_ns a1 a2 a3 b1 b2 b3 c1 c2
nsl_wire w S1
nsl_wire w S2
num() { case $1 in a*) echo "${1#a}";; b*) echo $(( 10 + ${1#b} ));; c*) echo $(( 20 + ${1#c} ));; esac; }
orig() { bt_mac "$(num "$1")" 1; }
for n in a1 a2 b1 b2 c1 c2; do nsl_wire_port w S1 "$n" m-s1 $MTU "$(bt_mac "$(num $n)" 1)"; done
for n in a2 b2; do nsl_wire_port w S2 "$n" m-s2 $MTU "$(bt_mac "$(num $n)" 2)"; done
for n in a3 b3; do nsl_wire_port w S2 "$n" m-s2 $MTU "$(bt_mac "$(num $n)" 1)"; done

# Capture both segments from the start (for check 4).
nsl_bg w "$NSL_TMP/cap1.log" tshark -q -i S1 -w "$NSL_TMP/s1.pcapng" -a duration:12
cap1=$NSL_LASTPID
nsl_wait_until 30 test -s "$NSL_TMP/s1.pcapng" || nsl_fail "tshark capture on S1 did not start"

for n in a1 a2 a3 b1 b2 b3; do
    vid=29; [[ $n == b* ]] && vid=30
    ifs=(m-s1); [[ $n == ?2 ]] && ifs=(m-s1 m-s2); [[ $n == ?3 ]] && ifs=(m-s2)
    bt_start "$n" --vlan "8021ad:$vid" -- "${ifs[@]}"
done
for n in c1 c2; do bt_start "$n" --vlan 8021q:29 -- m-s1; done
for n in a1 a2 a3 b1 b2 b3 c1 c2; do bt_up "$n" "10.29.0.$(num $n)"; done

# --- 1. disjoint originator tables --------------------------------------------------------
nsl_wait_until 30 bt_has_originators a1 bat0 "$(orig a2)" "$(orig a3)" \
    || nsl_fail "a1 originators after 30 s: $(bt_originators a1 | tr '\n' ' ')"
nsl_wait_until 30 bt_has_originators b1 bat0 "$(orig b2)" "$(orig b3)" \
    || nsl_fail "b1 originators after 30 s: $(bt_originators b1 | tr '\n' ' ')"
nsl_wait_until 30 bt_has_originators c1 bat0 "$(orig c2)" \
    || nsl_fail "c1 (802.1Q VID 29) originators after 30 s: $(bt_originators c1 | tr '\n' ' ')"
sleep $(( (3 * BT_OI + 999) / 1000 ))
disjoint() {   # disjoint NODE OTHER-CLOUD-NODES...
    local node=$1 o have; shift
    have=$(bt_originators "$node")
    for o in "$@"; do
        grep -ix "$(orig "$o")" <<<"$have" >/dev/null && nsl_fail "$node (cloud of $node) lists $o's originator $(orig "$o")"
    done
    return 0
}
for n in a1 a2 a3; do disjoint $n b1 b2 b3 c1 c2; done
for n in b1 b2 b3; do disjoint $n a1 a2 a3 c1 c2; done
for n in c1 c2; do disjoint $n a1 a2 a3 b1 b2 b3; done
nsl_log "originator tables disjoint"

# --- 2. ping inside, never across -----------------------------------------------------------
nsl_wait_until 30 bt_ping a1 10.29.0.3 || nsl_fail "a1 cannot ping a3 (same cloud) within 30 s"
nsl_wait_until 30 bt_ping b1 10.29.0.13 || nsl_fail "b1 cannot ping b3 (same cloud) within 30 s"
nsl_wait_until 30 bt_ping c1 10.29.0.22 || nsl_fail "c1 cannot ping c2 (same cloud, 802.1Q) within 30 s"
for pair in "a1 10.29.0.13" "a1 10.29.0.11" "b1 10.29.0.3" "b1 10.29.0.1" "a1 10.29.0.21" "c1 10.29.0.2"; do
    set -- $pair
    nx "$1" ping -n -q -c3 -i 0.3 -W1 "$2" | grep -q ' 0 received' || nsl_fail "$1 reached $2 across clouds"
done
nsl_log "pings stay inside their cloud"

# --- 3. broadcasts stay inside their cloud -------------------------------------------------
BC=20
declare -A lpid=()
for n in a1 a2 a3 b1 b2 b3 c1 c2; do
    bt_bcast_listen "$n" bat0 "$NSL_TMP/bc-$n" "btcl-$$-"
    lpid[$n]=$NSL_LASTPID
done
bt_bcast_send a1 10.29.0.255 $BC "btcl-$$-" bat0 0
bt_bcast_send b1 10.29.0.255 $BC "btcl-$$-" bat0 100
sleep $(( (BT_OI * 4) / 1000 + 1 ))
for n in a1 a2 a3 b1 b2 b3 c1 c2; do nsl_stop "${lpid[$n]}"; done
want_a=$(for ((k = 0; k < BC; k++)); do echo "$k 1"; done)
want_b=$(for ((k = 100; k < 100 + BC; k++)); do echo "$k 1"; done)
for n in a2 a3; do
    [[ "$(cat "$NSL_TMP/bc-$n")" == "$want_a" ]] || nsl_fail "$n broadcast arrivals: $(tr '\n' ',' <"$NSL_TMP/bc-$n") (want ids 0-19 once, nothing of cloud 30)"
done
for n in b2 b3; do
    [[ "$(cat "$NSL_TMP/bc-$n")" == "$want_b" ]] || nsl_fail "$n broadcast arrivals: $(tr '\n' ',' <"$NSL_TMP/bc-$n") (want ids 100-119 once, nothing of cloud 29)"
done
for n in a1 b1 c1 c2; do
    [[ -s "$NSL_TMP/bc-$n" ]] && nsl_fail "$n received broadcasts: $(tr '\n' ',' <"$NSL_TMP/bc-$n")"
done
nsl_log "broadcasts stay inside their cloud, exactly once"

# --- 4. tagging on the wire ----------------------------------------------------------------
nsl_stop "$cap1"
count() { tshark -r "$NSL_TMP/s1.pcapng" -Y "$1" 2>/dev/null | wc -l; }
untagged=$(count 'eth.type == 0x4305')
t29=$(count 'eth.type == 0x88a8 && ieee8021ad.id == 29 && batadv')
t30=$(count 'eth.type == 0x88a8 && ieee8021ad.id == 30 && batadv')
q29=$(count 'eth.type == 0x8100 && vlan.id == 29 && batadv')
other=$(count 'batadv && !(eth.type == 0x88a8 && (ieee8021ad.id == 29 || ieee8021ad.id == 30)) && !(eth.type == 0x8100 && vlan.id == 29)')
malformed=$(count '_ws.malformed')
nsl_log "S1 capture: $t29 batman frames on 802.1ad VID 29, $t30 on VID 30, $q29 on 802.1Q VID 29, $untagged untagged, $other other, $malformed malformed"
((untagged == 0 && other == 0)) || nsl_fail "untagged or wrongly tagged batman frames on the wire"
((malformed == 0)) || nsl_fail "malformed frames on the wire"
((t29 > 0 && t30 > 0 && q29 > 0)) || nsl_fail "not all three clouds' tagged batman frames seen on S1"

nsl_log "PASS: clouds 29 and 30 share the links and stay apart"
