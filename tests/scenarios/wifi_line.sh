#!/usr/bin/env bash
# Wi-Fi scenario "line": w1 - w2 - w3 on mac80211_hwsim radios (w1 does not hear w3).
# Asserts, from the kernels of more than one node: 802.11s peer links ESTAB only between
# neighbours (w2: w1 and w3; w1: w2 only); batman over the mesh's VLAN 29 (w1's and w3's
# originators hold each other's wlan0-mesh_29); babeld over VLAN 17 (w2's way to the
# internet is babel's default via w1 on wlan0-mesh_17, w3's via w2); ping end to end both
# ways (inside one cloud that is batman's layer 2: w1 and w3 are on one LAN); limed's
# iwinfo object (what lime-app shows) on w2 lists what iw's station dump lists.
source "$(dirname "$0")/wifi_lib.sh"
wifi_up
peers() { [[ "$(estab_peers "$1")" == "$2" ]]; }
sim_wait 60 peers w2 "w1 w3" || sim_fail "w2's ESTAB mesh peers: '$(estab_peers w2)', expected 'w1 w3'"
peers w1 "w2" || sim_fail "w1's ESTAB mesh peers: '$(estab_peers w1)', expected 'w2' (it must not hear w3)"
peers w3 "w2 w4" || sim_fail "w3's ESTAB mesh peers: '$(estab_peers w3)', expected 'w2 w4'"
# what lime-sim status shows says the same
[[ "$(estab_peers_status w2)" == "w1 w3" ]] || sim_fail "status: w2's ESTAB mesh peers '$(estab_peers_status w2)', expected 'w1 w3'"
# the same from iw itself, on w2
n=$(sx w2 iw dev wlan0-mesh station dump | grep -c 'mesh plink:.*ESTAB')
[[ $n -eq 2 ]] || sim_fail "iw on w2: $n ESTAB peers, expected 2"
sx w2 iw dev wlan0-mesh info | grep -q 'type mesh point' || sim_fail "w2: wlan0-mesh is not a mesh point"
fwd=$(sx w2 iw dev wlan0-mesh get mesh_param mesh_fwding)
[[ "$fwd" == 0 ]] || sim_fail "w2: mesh_fwding is '$fwd', expected 0"
sim_log "802.11s: w2 peers with w1 and w3, w1 only with w2, mesh_fwding 0"

# what the phone's app reads (limed's iwinfo object, as lime-app calls it) is the kernel's
iwinfo_w2() { sx w2 python3 -c '
import json, urllib.request as u
def call(p):
    q = u.Request("http://127.0.0.1/ubus", headers={"Content-Type": "application/json"},
                  data=json.dumps({"jsonrpc": "2.0", "id": 1, "method": "call", "params": p}).encode())
    return json.load(u.urlopen(q, timeout=5))["result"]
sid = call(["0" * 32, "session", "login", {"username": "lime-app", "password": "generic"}])[1]["ubus_rpc_session"]
a = call([sid, "iwinfo", "assoclist", {"device": "wlan0-mesh"}])[1]["results"]
i = call([sid, "iwinfo", "info", {"device": "wlan0-mesh"}])[1]
e = call([sid, "iwinfo", "info", {"device": "eth0"}])
print(" ".join(sorted(s["mac"].lower() for s in a)), i["mode"].replace(" ", "_"), i["stations"], e[0])'; }
iw_w2() { echo "$(sx w2 iw dev wlan0-mesh station dump | awk '/^Station/ {print tolower($2)}' | sort | xargs) Mesh_Point 2 4"; }
iwinfo_ok() { [[ "$(iwinfo_w2)" == "$(iw_w2)" ]]; }
sim_wait 30 iwinfo_ok || sim_fail "w2's iwinfo (assoclist MACs, mode, stations, eth0's status): '$(iwinfo_w2)', the kernel's: '$(iw_w2)'"
sim_log "iwinfo on w2: assoclist and info = iw's station dump; eth0 is not wireless (status 4)"

# batman-adv over VLAN 29 of the mesh interface
sx w1 ip -d link show wlan0-mesh_29 | grep -q 'vlan protocol 802.1ad id 29' \
    || sim_fail "w1: no 802.1ad VLAN 29 on wlan0-mesh"
m1=$(if_mac w1 wlan0-mesh_29) m3=$(if_mac w3 wlan0-mesh_29)
has_orig() { bat_origs "$1" | grep -qix "$2"; }
sim_wait 60 has_orig w1 "$m3" || sim_fail "w1's batman does not know w3 ($m3): $(bat_origs w1 | tr '\n' ' ')"
sim_wait 30 has_orig w3 "$m1" || sim_fail "w3's batman does not know w1 ($m1)"
sim_log "batman over wlan0-mesh_29: w1 and w3 are each other's originators"

# babeld over VLAN 17: the gateway's default route, hop by hop
ip1=$(node_ip w1) ip2=$(node_ip w2) ip3=$(node_ip w3)
dflt() { sx "$1" ip -4 route show default | grep -q "via $2 dev wlan0-mesh_17 proto babel"; }
sim_wait 60 dflt w2 "$ip1" || sim_fail "w2's default route is not babel's via w1 on wlan0-mesh_17: $(sx w2 ip -4 route show default)"
sim_wait 30 dflt w3 "$ip2" || sim_fail "w3's default route is not babel's via w2 on wlan0-mesh_17: $(sx w3 ip -4 route show default)"
sim_log "babel over wlan0-mesh_17: w3 -> w2 -> w1 (gateway)"

sx w1 ping -c3 -W2 "$ip3" >/dev/null || sim_fail "w1 -> w3 ($ip3): no answer"
sx w3 ping -c3 -W2 "$ip1" >/dev/null || sim_fail "w3 -> w1 ($ip1): no answer"
sim_log "PASS (peers only between neighbours; batman on VLAN 29, babel on VLAN 17; w1 <-> w3)"
