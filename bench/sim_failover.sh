#!/usr/bin/env bash
# Gateway failover time on lime-sim (full stack): ring n1..n6, gateways n1 and n4, a phone at
# n2 fetching from the internet target every 50 ms (bench/sim_probe.py). Outage = first
# success after the event minus the last one before it.
#  (a) failover: n1's uplink is cut; limed's internet check must fail, withdraw the default
#      route, and Babel must move n2's traffic to n4;
#  (b) baseline: n1's uplink is back, then the radio link n1-n2 is cut; Babel alone reroutes.
# Prints both in ms and the ratio a/b.
source "$(dirname "$0")/sim_lib.sh"
sim up ring:6 --gateway n1 --gateway n4 >/dev/null
sim client add ph --at n2 >/dev/null
g1=$(wan_ip n1)
via1() { [[ "$(sx ph curl -s -m 2 http://198.51.100.1/whoami)" == "$g1" ]]; }
# Babel may prefer n4 for a while after n1 (re-)announces: the events below start only once
# n2 routes via n1 on three checks in a row.
n2_via_n1() { for k in 1 2 3; do sx n2 ip -4 route show default proto babel | grep -q 'via 10.13.1.1 ' || return 1; sleep 1; done; via1; }
probe() { sx ph python3 bench/sim_probe.py 198.51.100.1 "$2" > "$1" 2>&1; }
wait_for 90 via1 || { echo "sim_failover: ph never used n1"; exit 1; }
wait_for 120 n2_via_n1 || { echo "sim_failover: n2 does not settle on n1"; exit 1; }

probe "$BTMP/fail" 60 & p=$!
sleep 4; t=$(now); sim uplink down n1; wait $p
a=$(outage "$BTMP/fail" "$t")
[[ "$a" == none ]] && { echo "sim_failover: no failover within 56 s"; exit 1; }

sim uplink up n1
wait_for 120 via1 || { echo "sim_failover: ph did not come back to n1 within 120 s"; exit 1; }
wait_for 120 n2_via_n1 || { echo "sim_failover: n2 does not settle on n1"; exit 1; }
probe "$BTMP/base" 30 & p=$!
sleep 4; t=$(now); sim link down n1 n2; wait $p
b=$(outage "$BTMP/base" "$t")
[[ "$b" == none ]] && { echo "sim_failover: no reroute within 26 s"; exit 1; }
echo "sim_failover: gateway uplink failover ${a} ms; Babel link reroute (baseline) ${b} ms; ratio $(awk -v a="$a" -v b="$b" 'BEGIN { printf "%.1f", a / b }')x"
