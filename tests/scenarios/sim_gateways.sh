#!/usr/bin/env bash
# lime-sim scenario "gateways": line n1 - n2 - n3 - n4 - n5, gateways n1 and n5 (limed's
# gateway watcher announces a default route only while its internet check passes). Asserts: a phone at n2 leaves through the nearest gateway n1; when n1's uplink is
# cut its traffic moves to n5; when it is restored it comes back to n1; with n2's user-
# preferred gateway set to n5, n5 wins while it is up, and n1 takes over when n5's uplink
# is cut. Deadline: 90 s for each change (internet check interval + Babel convergence).
source "$(dirname "$0")/sim_lib.sh"
sim_init
sim_need_stack
sim up line:5 --gateway n1 --gateway n5 || sim_fail "lime-sim up failed"
sim client add ph --at n2 --wait 60 || sim_fail "ph: no lease"
g1=$(wan_ip n1)
g5=$(wan_ip n5)
via() { [[ "$(whoami_of ph)" == "$1" ]]; }
expect() {
    sim_wait 90 via "$1" || sim_fail "$2: ph leaves as '$(whoami_of ph)', want $1"
    sim_log "$2: ph leaves through $1"
}
expect "$g1" "nearest gateway n1"
sim uplink down n1
expect "$g5" "n1 uplink cut -> n5"
sim uplink up n1
expect "$g1" "n1 uplink back -> n1"
sim prefer n2 n5 || sim_fail "prefer failed"
expect "$g5" "n2 prefers n5"
sim uplink down n5
expect "$g1" "preferred n5 down -> n1"
sim_log PASS
