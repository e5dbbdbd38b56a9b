#!/usr/bin/env bash
# lime-sim scenario "segmentation": line n1 - n2 - n3 - n4; n1, n2 have SSID LibreMesh.org,
# n3, n4 have SSID LiMe: two clouds on one radio medium. Asserts: phones get leases in their
# own cloud's prefix (10.13/16 vs 10.138/16); a layer-2 broadcast from a phone at n1 reaches
# a phone at n2 (same cloud, over batman) but never a phone at n4 (other cloud); phones of
# the two clouds reach each other over Babel (both directions). Deadline 60 s for routes.
source "$(dirname "$0")/sim_lib.sh"
sim_init
sim_need_stack
sim up line:4 --ssid n3=LiMe --ssid n4=LiMe || sim_fail "lime-sim up failed"
pa=$(node_field n1 cloud_prefix)
pb=$(node_field n4 cloud_prefix)
[[ "$pa" != "$pb" ]] || sim_fail "both SSIDs gave the same cloud $pa"
sim client add a1 --at n1 --wait 60 || sim_fail "a1: no lease"
sim client add a2 --at n2 --wait 60 || sim_fail "a2: no lease"
sim client add b1 --at n4 --wait 60 || sim_fail "b1: no lease"
for c in a1 a2; do in_prefix16 "$(client_ip $c)" "$pa" || sim_fail "$c: $(client_ip $c) not in $pa"; done
in_prefix16 "$(client_ip b1)" "$pb" || sim_fail "b1: $(client_ip b1) not in $pb"
sim_log "cloud A $pa: a1 $(client_ip a1), a2 $(client_ip a2); cloud B $pb: b1 $(client_ip b1)"

same_cloud() { sx a1 ping -c1 -W1 "$(client_ip a2)"; }
sim_wait 60 same_cloud || sim_fail "a1 cannot reach a2 inside cloud A"

B=$SIM_SRC/tests/scenarios/sim_bcast.py
for c in a2 b1; do
    sx $c python3 "$B" listen 9999 "$SIM_TMP/$c.rx" &
    SIM_PIDS+=($!)
done
sleep 1
sx a1 python3 "$B" send 9999 "seg$$" 10
sleep 2
rx_a2=$(grep -c "^seg$$ " "$SIM_TMP/a2.rx" 2>/dev/null)
rx_b1=$(grep -c "^seg$$ " "$SIM_TMP/b1.rx" 2>/dev/null)
sim_log "broadcasts from a1: a2 got ${rx_a2:-0}/10, b1 got ${rx_b1:-0}/10"
[[ ${rx_a2:-0} -ge 8 ]] || sim_fail "broadcast does not reach a2 in the same cloud (${rx_a2:-0}/10)"
[[ ${rx_b1:-0} -eq 0 ]] || sim_fail "broadcast crossed into the other cloud (${rx_b1}/10 at b1)"

a_to_b() { sx a1 ping -c1 -W1 "$(client_ip b1)"; }
b_to_a() { sx b1 ping -c1 -W1 "$(client_ip a1)"; }
sim_wait 60 a_to_b || sim_fail "a1 cannot reach b1 in the other cloud over Babel"
sim_wait 60 b_to_a || sim_fail "b1 cannot reach a1 in the other cloud over Babel"
ttl=$(sx a1 ping -c1 -W1 "$(client_ip b1)" | sed -n 's/.*ttl=\([0-9]*\).*/\1/p')
[[ -n "$ttl" && $ttl -lt 64 ]] || sim_fail "a1 -> b1 was not routed (ttl '$ttl')"
sim_log "PASS (a1 -> b1 routed, ttl $ttl)"
