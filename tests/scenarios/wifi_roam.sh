#!/usr/bin/env bash
# Wi-Fi scenario "roaming": a phone (a hwsim station with wpa_supplicant) associates to
# w1's access point, leases from the anycast gateway, and keeps a TCP stream to the
# internet namespace (through gateway w1) while it roams to w3's access point (a
# reassociation, same SSID) and back to w1. Asserts: associated to the AP of the node it is
# at (status, and w1's/w3's own station list), same address, the one connection carries
# every line in order; prints the outage of each roam.
source "$(dirname "$0")/wifi_lib.sh"
wifi_up
sim client del phone >/dev/null 2>&1
sim client add phone --at w1 --wait 90 || sim_fail "phone: no association / lease at w1"
assoc() { st_refresh; sim_q "[c['associated'] for c in s['clients'] if c['name']=='phone'][0]"; }
[[ "$(assoc)" == w1 ]] || sim_fail "phone is associated to '$(assoc)', expected w1"
pmac=$(sx phone cat /sys/class/net/wlan0/address)
sx w1 iw dev wlan0-ap station dump | grep -qi "Station $pmac" || sim_fail "w1's wlan0-ap does not list the phone ($pmac)"
ip0=$(client_ip phone) gw=$(client_router phone)
anygw=$(node_field w1 anygw)
[[ "$gw" == "$anygw" ]] || sim_fail "phone's router is $gw, expected the anycast gateway $anygw"
in_prefix16 "$ip0" "$(node_field w1 cloud_prefix)" || sim_fail "phone's address $ip0 is not in w1's cloud"
sx phone curl -s -m 5 http://198.51.100.1/success.txt | grep -q success || sim_fail "phone does not reach the internet"

sx inet python3 "$SIM_SRC/tests/scenarios/sim_tcp.py" server 5001 &
SIM_PIDS+=($!)
listening() { sx inet ss -ltn | grep -q ':5001 '; }
sim_wait 30 listening || sim_fail "the stream server in the internet namespace did not start"
sx phone python3 "$SIM_SRC/tests/scenarios/sim_tcp.py" client 198.51.100.1 5001 22 > "$SIM_TMP/stream" 2>&1 &
stream=$!
SIM_PIDS+=($stream) # a failure before the wait below must not leave it holding the output
sleep 5
sim client move phone --to w3 --wait 30 || sim_fail "phone did not roam to w3"
[[ "$(assoc)" == w3 ]] || sim_fail "after the roam the phone is associated to '$(assoc)', expected w3"
sx w3 iw dev wlan0-ap station dump | grep -qi "Station $pmac" || sim_fail "w3's wlan0-ap does not list the phone"
ip1=$(client_ip phone)
sleep 5
sim client move phone --to w1 --wait 30 || sim_fail "phone did not roam back to w1"
st_refresh
ip2=$(client_ip phone)
wait $stream
rc=$?
for p in "${SIM_PIDS[@]}"; do kill "$p" 2>/dev/null; done
sx inet pkill -f 'sim_tcp.py server' 2>/dev/null
sim_log "stream: $(cat "$SIM_TMP/stream")"
[[ $rc -eq 0 ]] && grep -q '^ok ' "$SIM_TMP/stream" || sim_fail "the TCP stream broke while roaming: $(cat "$SIM_TMP/stream")"
[[ "$ip0" == "$ip1" && "$ip1" == "$ip2" ]] || sim_fail "address changed while roaming: $ip0 -> $ip1 -> $ip2"
sx phone curl -s -m 5 http://198.51.100.1/success.txt | grep -q success || sim_fail "after roaming the phone does not reach the internet"
sim_log "PASS (roamed w1 -> w3 -> w1 on one TCP connection, address $ip0; longest stall $(cut -d' ' -f3 "$SIM_TMP/stream") ms)"
