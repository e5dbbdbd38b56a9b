#!/usr/bin/env bash
# lime-sim scenario "kernel_clouds": the kernel's batman-adv in the qemu lab, one guest for
# every check (a boot costs ~30 s). Topology kernel_clouds.json: cloud A (LibreMesh.org)
# a1 - a2 - a3 with the gateway a1, then a3 - b1, cloud B (LiMe) b1 - b2.
# Asserts, against the kernel and lime-sim status --json, from several nodes:
#  kernel  every node's bat0 is kind batadv with its cloud's `vlan protocol 802.1ad id N`
#          devices enslaved and no batd; a1 and a3 see each other and a2 as originators
#          (batctl, i.e. batman-adv's generic netlink); upstream's settings read back;
#  anygw   a phone at a3 leases from the anycast gateway (router = the cloud's anygw) in
#          A's prefix and reaches the internet namespace through a1;
#  segmentation  a3 and b1 share a link but not a batman VLAN: neither lists the other
#          as originator; a layer-2 broadcast from a phone in A reaches A's other phone,
#          never B's; A and B phones reach each other routed by Babel (ttl < 64);
#  roaming a TCP stream from a phone at a3 to a server phone at a1 survives a3 -> a2 -> a3
#          with the same address;
#  readers limed's /metrics on a1 counts its batman neighbour and originators, a3's
#          bat_links_info (shared-state, from the batman seam) shows its link to a2, at a3
#          and at a1, a2's respondd neighbours = batctl n: what reads batman reads the
#          kernel where no batd runs;
#  mixed   a2 switched to batd at run time (lime-node `batadv_backend batd`, lime-apply
#          --reload): its bat0 is a TAP with batd running, the kernel nodes a1 and a3 still
#          list a2 as originator and batd lists them, a2's limed now reads batd (2
#          neighbours on /metrics), and a1's phone reaches a3's phone across batd at layer 2
#          (ttl 64).
# Deadlines generous (TCG on a shared 2-core box): routes 90 s, leases 60 s.
source "$(dirname "$0")/sim_lib.sh"
sim_init
sim_need_stack
B=${LIME_BINARY_DIR:-$SIM_SRC/build}
t0=$SECONDS
"$SIM_BIN" up --kernel --share "$SIM_TMP" "$SIM_SRC/tests/scenarios/kernel_clouds.json" \
    || sim_fail "lime-sim up --kernel kernel_clouds.json failed"
sim_log "up --kernel (5 nodes) in $((SECONDS - t0)) s"
va=$(node_field a1 batman_vlan); vb=$(node_field b1 batman_vlan)
pa=$(node_field a1 cloud_prefix); pb=$(node_field b1 cloud_prefix)
[[ $va != "$vb" && $pa != "$pb" ]] || sim_fail "the two SSIDs gave one cloud (vlan $va/$vb, $pa/$pb)"

# --- kernel: bat0, its VLAN hard interfaces, settings; one exec per node (TCG).
for n in a1 a2 a3 b1 b2; do
    v=$va; [[ $n == b* ]] && v=$vb
    out=$(sx $n sh -c 'ip -d link show bat0; echo ==; ip -d link show master bat0;
        echo ==; for s in orig_interval bridge_loop_avoidance multicast_forceflood distributed_arp_table gw_mode;
        do echo "$s $(batctl meshif bat0 $s)"; done; pgrep -x batd >/dev/null && echo BATD; true') \
        || sim_fail "$n: reading bat0 failed"
    grep -q '^    batadv' <<<"$out" || sim_fail "$n: bat0 is not of kind batadv: $out"
    grep -q "vlan protocol 802.1ad id $v " <<<"$out" || sim_fail "$n: no 802.1ad VLAN $v device in bat0"
    grep -q "master bat0" <<<"$out" || sim_fail "$n: no hard interface enslaved to bat0"
    grep -q "vlan protocol 802.1ad id $([[ $n == b* ]] && echo $va || echo $vb) " <<<"$out" \
        && sim_fail "$n: the other cloud's VLAN is in its bat0"
    for s in "orig_interval 2000" "bridge_loop_avoidance enabled" "multicast_forceflood enabled" \
             "distributed_arp_table disabled" "gw_mode client"; do
        grep -q "^$s" <<<"$out" || sim_fail "$n: batman setting '$s' not read back: $(grep -E '^(orig|bridge|multi|distr|gw)' <<<"$out")"
    done
    grep -q '^BATD' <<<"$out" && sim_fail "$n: batd runs next to the kernel's batman-adv"
done
[[ $(sim_q '" ".join(n["name"] for n in s["nodes"] if "batd" in n["running"])') == "" ]] \
    || sim_fail "status --json lists batd running"
sim_log "5 nodes: bat0 batadv, 802.1ad VLAN $va (A) / $vb (B) enslaved, upstream's settings, no batd"

# The MACs batman uses: every node's VLAN hard interfaces.
hardmacs() { sx "$1" sh -c 'for d in $(ip -o link show master bat0 | sed -E "s/^[0-9]+: ([^@:]+).*/\1/"); do cat /sys/class/net/$d/address; done'; }
ma2=$(hardmacs a2); ma3=$(hardmacs a3); ma1=$(hardmacs a1); mb1=$(hardmacs b1)
origs() { sx "$1" batctl meshif bat0 o -H 2>/dev/null; }
sees() { local o; o=$(origs "$1"); for m in $2; do grep -q "$m" <<<"$o" && return 0; done; return 1; }
sim_wait 90 sees a1 "$ma3" || sim_fail "a1 does not list a3 as originator: $(origs a1)"
sim_wait 30 sees a3 "$ma1" || sim_fail "a3 does not list a1 as originator: $(origs a3)"
sees a1 "$ma2" || sim_fail "a1 does not list a2: $(origs a1)"
sees a3 "$mb1" && sim_fail "a3 lists b1 (other cloud) as originator: $(origs a3)"
sees b1 "$ma3" && sim_fail "b1 lists a3 (other cloud) as originator: $(origs b1)"
sim_log "originators: a1 <-> a3 over a2; a3 / b1 share a link, not a cloud"

# Everything that reads batman reads the kernel (the batman seam, no batd socket here):
# limed's /metrics on a1, shared-state's bat_links_info published by a3 and seen at a1.
metric() { sx "$1" curl -s -m 5 http://127.0.0.1/metrics | sed -n "s/^$2 //p"; }
m_ok() { [[ $(metric a1 'lime_neighbours{protocol="batman-adv"}') == 1 && $(metric a1 lime_batman_originators) == 2 ]]; }
sim_wait 60 m_ok || sim_fail "a1 /metrics: batman neighbours '$(metric a1 'lime_neighbours{protocol="batman-adv"}')' (want 1), originators '$(metric a1 lime_batman_originators)' (want 2)"
SS=$B/src/state/shared-state-async
links_of_a3() { sx "$1" "$SS" get bat_links_info; }   # the node's own /var/run socket
a3_link() { links_of_a3 "$1" | python3 -c "import json,sys; d=json.load(sys.stdin); macs=set(sys.argv[1].split())
sys.exit(0 if any(l.get('dst_mac') in macs for l in d.get('a3', {}).get('links', {}).values()) else 1)" "$ma2"; }
sim_wait 60 a3_link a3 || sim_fail "a3's bat_links_info has no link to a2 ($ma2): $(links_of_a3 a3)"
sim_wait 60 a3_link a1 || sim_fail "a3's bat_links_info (link to a2) does not reach a1: $(links_of_a3 a1)"
sim_log "readers: a1 /metrics 1 batman neighbour, 2 originators; a3's bat_links_info (-> a2) at a3 and a1"
# respondd (what community maps collect): a2's batadv neighbours are the kernel's (batctl n)
rd_nb() { sx a2 python3 "$SIM_SRC/tests/scenarios/respondd_query.py" --addr 127.0.0.1 \
    --request "GET neighbours" --check --timeout 3 | python3 -c "import json,sys
b = json.loads(sys.stdin.readline())['data']['neighbours']['batadv']
print(' '.join(sorted(m for h in b.values() for m in h['neighbours'])))"; }
kn_nb() { sx a2 batctl meshif bat0 n -H | awk '{print $2}' | sort | xargs; }
rd_match() { local r; r=$(rd_nb); [[ $(wc -w <<<"$r") == 2 && $r == "$(kn_nb)" ]]; }
sim_wait 60 rd_match || sim_fail "a2's respondd batadv neighbours '$(rd_nb)', the kernel's '$(kn_nb)' (want the same 2)"
sim_log "respondd: a2's batadv neighbours = batctl n ($(rd_nb))"

# --- anygw: a phone at a3 gets its lease from the anycast gateway, reaches the internet via a1.
anygw=$(node_field a3 anygw)
sim client add pa3 --at a3 --wait 60 || sim_fail "pa3: no lease at a3"
in_prefix16 "$(client_ip pa3)" "$pa" || sim_fail "pa3: lease $(client_ip pa3) is not in $pa"
[[ $(client_router pa3) == "$anygw" ]] || sim_fail "pa3: router $(client_router pa3), want the anycast $anygw"
wan1=$(wan_ip a1)
via_a1() { [[ "$(whoami_of pa3)" == "$wan1" ]]; }
sim_wait 90 via_a1 || sim_fail "pa3 does not reach the internet through a1 ($wan1): '$(whoami_of pa3)'"
sim_log "anygw: pa3 $(client_ip pa3) router $anygw, internet via a1 ($wan1)"

# --- segmentation: A's broadcast stays in A; A and B meet over Babel.
sim client add pa1 --at a1 --wait 60 || sim_fail "pa1: no lease at a1"
sim client add pb2 --at b2 --wait 60 || sim_fail "pb2: no lease at b2"
in_prefix16 "$(client_ip pb2)" "$pb" || sim_fail "pb2: lease $(client_ip pb2) is not in $pb"
ipa1=$(client_ip pa1); ipa3=$(client_ip pa3); ipb2=$(client_ip pb2)
l2() { sx pa3 ping -c1 -W2 "$ipa1"; }
sim_wait 90 l2 || sim_fail "pa3 cannot reach pa1 inside cloud A"
BC=$SIM_SRC/tests/scenarios/sim_bcast.py
for c in pa1 pb2; do sx $c python3 "$BC" listen 9999 "$SIM_TMP/$c.rx" & SIM_PIDS+=($!); done
sleep 2
sx pa3 python3 "$BC" send 9999 "seg$$" 10
sleep 2
rxa=$(grep -c "^seg$$ " "$SIM_TMP/pa1.rx" 2>/dev/null); rxb=$(grep -c "^seg$$ " "$SIM_TMP/pb2.rx" 2>/dev/null)
[[ ${rxa:-0} -ge 8 ]] || sim_fail "broadcast from pa3 does not cross cloud A to pa1 (${rxa:-0}/10)"
[[ ${rxb:-0} -eq 0 ]] || sim_fail "broadcast from pa3 reached cloud B (${rxb}/10 at pb2)"
ab() { sx pa3 ping -c1 -W2 "$ipb2"; }
ba() { sx pb2 ping -c1 -W2 "$ipa3"; }
sim_wait 90 ab || sim_fail "pa3 cannot reach pb2 (cloud B) over Babel"
sim_wait 30 ba || sim_fail "pb2 cannot reach pa3 (cloud A) over Babel"
ttl=$(sx pa3 ping -c1 -W2 "$ipb2" | sed -n 's/.*ttl=\([0-9]*\).*/\1/p')
[[ -n $ttl && $ttl -lt 64 ]] || sim_fail "pa3 -> pb2 was not routed (ttl '$ttl')"
sim_log "segmentation: broadcast $rxa/10 in A, 0 in B; A <-> B routed (ttl $ttl)"

# --- roaming: a TCP stream pa3 -> pa1 while pa3 moves a3 -> a2 -> a3.
sx pa1 python3 "$SIM_SRC/tests/scenarios/sim_tcp.py" server 5001 & SIM_PIDS+=($!)
listening() { sx pa1 ss -ltn | grep -q ':5001 '; }
sim_wait 30 listening || sim_fail "the stream server in pa1 did not start"
sx pa3 python3 "$SIM_SRC/tests/scenarios/sim_tcp.py" client "$ipa1" 5001 20 >"$SIM_TMP/stream" 2>&1 &
stream=$!
sleep 5
sim client move pa3 --to a2 --wait 20 || sim_fail "move to a2: no lease"
ip1=$(client_ip pa3)
sleep 6
sim client move pa3 --to a3 --wait 20 || sim_fail "move back to a3: no lease"
ip2=$(client_ip pa3)
wait $stream; rc=$?
[[ $rc -eq 0 ]] && grep -q '^ok ' "$SIM_TMP/stream" || sim_fail "the TCP stream broke while roaming (rc $rc): $(cat "$SIM_TMP/stream")"
[[ $ipa3 == "$ip1" && $ip1 == "$ip2" ]] || sim_fail "address changed while roaming: $ipa3 -> $ip1 -> $ip2"
sim_log "roaming: same address $ipa3, stream $(cat "$SIM_TMP/stream")"

# --- mixed cloud: a2 switches to batd at run time; the kernel nodes keep meshing through it.
# (inside a node its root is / : /etc/config, /var/run are the node's)
sx a2 sh -c "printf '\nconfig lime network\n\toption batadv_backend batd\n' >> /etc/config/lime-node &&
    $B/src/apply/lime-apply --reload" >"$SIM_TMP/switch" 2>&1 \
    || sim_fail "a2: lime-apply with batadv_backend batd failed: $(cat "$SIM_TMP/switch")"
grep -q 'batman-adv: batd (network.batadv_backend batd)' "$SIM_TMP/switch" || sim_fail "a2: the choice is not logged: $(cat "$SIM_TMP/switch")"
batd_up() { [[ $(sim_q '" ".join(n["name"] for n in s["nodes"] if "batd" in n["running"])') == a2 ]]; }
sim_wait 30 batd_up || sim_fail "batd does not run on a2 after the switch"
sx a2 ip -d link show bat0 | grep -q 'tun type tap' || sim_fail "a2: bat0 is not batd's TAP after the switch"
batd_origs() { sx a2 "$B/src/batd/batd" ctl --ctl /var/run/batd.sock originators; }
sim_wait 90 sees a1 "$ma2" || sim_fail "a1 (kernel) lost a2 (batd): $(origs a1)"
batd_sees() { local o; o=$(batd_origs); grep -q "${ma1%% *}" <<<"$o" && grep -q "${ma3%% *}" <<<"$o"; }
sim_wait 90 batd_sees || sim_fail "batd on a2 does not list a1 and a3: $(batd_origs)"
a2_metrics() { [[ $(metric a2 'lime_neighbours{protocol="batman-adv"}') == 2 ]]; }
sim_wait 60 a2_metrics || sim_fail "a2's limed does not follow the switch to batd: /metrics batman neighbours '$(metric a2 'lime_neighbours{protocol="batman-adv"}')' (want 2)"
sim_wait 60 sees a3 "$ma1" || sim_fail "a3 lost a1 behind batd: $(origs a3)"
across() { sx pa1 ping -c1 -W2 "$ipa3"; }
sim_wait 90 across || sim_fail "pa1 (at a1, kernel) cannot reach pa3 (at a3, kernel) across batd on a2"
ttl=$(sx pa1 ping -c1 -W2 "$ipa3" | sed -n 's/.*ttl=\([0-9]*\).*/\1/p')
[[ $ttl == 64 ]] || sim_fail "pa1 -> pa3 left layer 2 (ttl '$ttl')"
sim_log "mixed: a2 runs batd, a1/a3 kernel: originators both ways, pa1 -> pa3 at layer 2 (ttl 64)"
sim_log "PASS ($((SECONDS - t0)) s)"
