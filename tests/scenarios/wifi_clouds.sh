#!/usr/bin/env bash
# Wi-Fi scenario "two clouds on one mesh radio": w3 (LibreMesh.org) and w4 (LiMe) are
# 802.11s peers on the same channel, but their batman VLANs differ, so layer 2 stays apart
# (neither knows the other's originators; w4 knows none of cloud A's), while Babel (VLAN
# 17, the same for all) joins them: w1 reaches w4, and a phone at w4 (its AP is WPA2)
# leases from cloud B's anycast gateway and reaches w1 across the clouds.
source "$(dirname "$0")/wifi_lib.sh"
wifi_up
va=$(node_field w3 batman_vlan) vb=$(node_field w4 batman_vlan)
[[ "$va" != "$vb" ]] || sim_fail "w3 and w4 have the same batman VLAN $va"
peered() { estab_peers w4 | grep -qw w3; }
sim_wait 60 peered || sim_fail "w3 and w4 are not 802.11s peers: w4 has '$(estab_peers w4)'"
sx w4 ip -d link show "wlan0-mesh_$vb" | grep -q "802.1ad id $vb" || sim_fail "w4: no batman VLAN $vb on wlan0-mesh"
m3=$(if_mac w3 wlan0-mesh_$va) m4=$(if_mac w4 "wlan0-mesh_$vb") m1=$(if_mac w1 wlan0-mesh_$va)
ip4=$(node_ip w4)
reach() { sx w1 ping -c1 -W1 "$ip4"; }
sim_wait 90 reach || sim_fail "w1 does not reach w4 ($ip4) over Babel"
# (w4 is reached through its cloud's prefix, which Babel carries: no /32 of its own)
sx w1 ip -4 route get "$ip4" | grep -q 'dev wlan0-mesh_17' && [[ -n "$(sx w1 ip -4 route show match "$ip4" proto babel)" ]] \
    || sim_fail "w1's route to w4 is not Babel's over wlan0-mesh_17: $(sx w1 ip -4 route show match "$ip4")"
# layer 2 apart: after Babel has met, batman still does not
bat_origs w4 | grep -qix -e "$m3" -e "$m1" && sim_fail "w4 (cloud LiMe) knows cloud LibreMesh.org's originators"
bat_origs w3 | grep -qix "$m4" && sim_fail "w3 (cloud LibreMesh.org) knows w4's originator"
sim_log "w3 and w4: 802.11s peers, batman VLANs $va / $vb apart, Babel joins them"

sim client del phb >/dev/null 2>&1
sim client add phb --at w4 --key cloudb-pass --wait 90 || sim_fail "phb: no association (WPA2) / lease at w4"
st_refresh
ipb=$(client_ip phb)
in_prefix16 "$ipb" "$(node_field w4 cloud_prefix)" || sim_fail "phb's address $ipb is not in cloud LiMe ($(node_field w4 cloud_prefix))"
[[ "$(client_router phb)" == "$(node_field w4 anygw)" ]] || sim_fail "phb's router is not cloud LiMe's anycast gateway"
ip1=$(node_ip w1)
breach() { sx phb ping -c1 -W2 "$ip1"; }
sim_wait 60 breach || sim_fail "phb (cloud LiMe) does not reach w1 ($ip1, cloud LibreMesh.org)"
sim client del phb
sim_log "PASS (one radio, two clouds: L2 apart by VLAN $va/$vb, joined by Babel; phone at w4 reaches w1)"
