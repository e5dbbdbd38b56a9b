#!/usr/bin/env bash
# Wi-Fi scenarios, set-up (CTest fixture "wifi"): boots the lab with radios and the mesh of
# wifi_topology.json (see wifi_lib.sh), and waits until the open mesh routes end to end.
source "$(dirname "$0")/wifi_lib.sh"
wifi_up
w3=$(node_ip w3)
reach() { sx w1 ping -c1 -W1 "$w3"; }
sim_wait 180 reach || sim_fail "w1 does not reach w3 ($w3) over the Wi-Fi mesh"
sim_log "PASS (w1 reaches w3 over two Wi-Fi hops)"
