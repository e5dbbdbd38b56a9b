#!/usr/bin/env bash
# Wi-Fi scenario "bad input": each from the kernels and logs of the nodes concerned.
#   - a wrong mesh key: w5 and w6 (same key) peer over SAE, w7 (another key) peers with
#     no one, and w6's limed says why in one line naming w7's radio;
#   - a phone with the wrong AP password does not associate to w4 (WPA2), and lime-sim
#     says so; w4 does not list it;
#   - a radio that cannot do mesh (w8: managed, AP only): lime-apply names the radio, the
#     mesh mode is left out, and the rest of the node is up (access points, limed, daemons).
source "$(dirname "$0")/wifi_lib.sh"
wifi_up
# SAE
sae_ok() { [[ "$(estab_peers w5)" == w6 ]] && estab_peers w6 | grep -qx w5; }
sim_wait 90 sae_ok || sim_fail "w5/w6 (same mesh key) are not SAE peers: w5 '$(estab_peers w5)', w6 '$(estab_peers w6)'"
m7=$(sim_q "[i['mac'] for n in s['nodes'] if n['name']=='w7' for i in n['wifi'] if i['type']=='mesh point'][0]")
said() { sx w6 grep -q "mesh neighbour $m7 failed SAE authentication: its mesh key differs" /var/log/limed.log; }
sim_wait 90 said || sim_fail "w6's limed did not log the SAE failure of w7 ($m7)"
[[ -z "$(estab_peers w7)" ]] || sim_fail "w7 (wrong mesh key) has ESTAB peers: $(estab_peers w7)"
estab_peers w6 | grep -qw w7 && sim_fail "w6 peers with w7 despite the different keys"
sx w6 grep "failed SAE authentication" /var/log/limed.log | head -1
sim_log "wrong mesh key: no peering, and one clear log line"

# wrong AP password
sim client del phx >/dev/null 2>&1
if sim client add phx --at w4 --key wrong-pass-1 --wait 40 2> "$SIM_TMP/phx"; then
    sim_fail "a phone with the wrong password associated to w4"
fi
cat "$SIM_TMP/phx"
grep -q "refused its password" "$SIM_TMP/phx" || sim_fail "lime-sim did not say the password was refused: $(cat "$SIM_TMP/phx")"
xmac=$(sx phx cat /sys/class/net/wlan0/address)
sx w4 iw dev wlan0-ap station dump | grep -qi "Station $xmac" && sim_fail "w4 lists the phone with the wrong password"
sim client del phx
sim_log "wrong AP password: no association, and lime-sim says why"

# a radio without mesh
line=$(sx w8 grep "radio0 (lsr-w8): cannot do 802.11s mesh" /var/log/lime-apply.log) \
    || sim_fail "w8's lime-apply did not name its radio: $(sx w8 cat /var/log/lime-apply.log)"
echo "$line"
types=$(sim_q "' '.join(sorted(i['type'] for n in s['nodes'] if n['name']=='w8' for i in n['wifi']))")
[[ "$types" == "AP AP" ]] || sim_fail "w8's Wi-Fi interfaces are '$types', expected two APs and no mesh point"
running=$(sim_q "' '.join([n['running'] for n in s['nodes'] if n['name']=='w8'][0])")
for d in limed hostapd dnsmasq; do
    [[ " $running " == *" $d "* ]] || sim_fail "w8 does not run $d (running: $running)"
done
sx w8 ip -4 addr show anygw | grep -q "$(node_field w8 anygw)/" || sim_fail "w8 has no anycast gateway"
sim_log "PASS (wrong mesh key, wrong AP password, radio without mesh: each refused and said; the rest up)"
