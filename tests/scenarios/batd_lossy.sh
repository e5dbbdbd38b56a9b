#!/usr/bin/env bash
# batd scenario: link quality decides the route. A diamond of equal hop counts,
#
#        ┌─La─ n2 ─Lb─┐
#   n1 ──┤            ├── n4        (each link a wire bridge; loss by nftables, both ways)
#        └─Lc─ n3 ─Ld─┘
#
# Phase 1: La and Lb lose 30 % of frames from the start → n1 must route to n4 via n3 and
#          n4 to n1 via n3 (TQ from echo/receive counts and the asymmetry penalty, §3.5),
#          steadily (6 checks over 3 s).
# Phase 2: the loss moves to Lc and Ld → both routes switch to n2 within 45 s (the 64-OGM
#          windows have to slide; at 500 ms that is up to 32 s for full effect).
# Also: pings n1 -> n4 work in both phases.
set -u
source "$(dirname "$0")/batd_lib.sh"
bt_init ls
nsl_require ping python3 nft

nsl_ns 1 2 3 4
for l in La Lb Lc Ld; do nsl_wire w $l; done
nsl_wire_port w La 1 m-a 1532 "$(bt_mac 1 1)"
nsl_wire_port w Lc 1 m-c 1532 "$(bt_mac 1 2)"
nsl_wire_port w La 2 m-a 1532 "$(bt_mac 2 1)"
nsl_wire_port w Lb 2 m-b 1532 "$(bt_mac 2 2)"
nsl_wire_port w Lc 3 m-c 1532 "$(bt_mac 3 1)"
nsl_wire_port w Ld 3 m-d 1532 "$(bt_mac 3 2)"
nsl_wire_port w Lb 4 m-b 1532 "$(bt_mac 4 1)"
nsl_wire_port w Ld 4 m-d 1532 "$(bt_mac 4 2)"
nsl_wire_loss w La 30
nsl_wire_loss w Lb 30

bt_start 1 -- m-a m-c
bt_start 2 -- m-a m-b
bt_start 3 -- m-c m-d
bt_start 4 -- m-b m-d
for i in 1 2 3 4; do bt_up $i "10.29.0.$i"; done

O1=$(bt_mac 1 1); O4=$(bt_mac 4 1)
routes_via() {  # routes_via N1_NEXTHOP N4_NEXTHOP
    [[ "$(bt_nexthop 1 bat0 "$O4")" == "$1" && "$(bt_nexthop 4 bat0 "$O1")" == "$2" ]]
}
steady() {      # steady N1_NEXTHOP N4_NEXTHOP: routes_via holds 6 times over 3 s
    local _
    for _ in 1 2 3 4 5 6; do routes_via "$1" "$2" || return 1; sleep 0.5; done
}
show() { echo "n1->n4 via $(bt_nexthop 1 bat0 "$O4"), n4->n1 via $(bt_nexthop 4 bat0 "$O1")"; }

nsl_wait_until 40 steady "$(bt_mac 3 1)" "$(bt_mac 3 2)" \
    || nsl_fail "phase 1: routes do not settle on the clean path via n3 in 40 s: $(show)"
nsl_log "phase 1: $(show) (clean path via n3)"
nsl_wait_until 30 bt_ping 1 10.29.0.4 || nsl_fail "phase 1: n1 cannot ping n4"

nsl_wire_loss w La 0
nsl_wire_loss w Lb 0
nsl_wire_loss w Lc 30
nsl_wire_loss w Ld 30
t0=$(nsl_now_ms)
nsl_wait_until 45 steady "$(bt_mac 2 1)" "$(bt_mac 2 2)" \
    || nsl_fail "phase 2: routes do not move to the now clean path via n2 in 45 s: $(show)"
nsl_log "phase 2: $(show) after $(( $(nsl_now_ms) - t0 )) ms (incl. 3 s steadiness check)"
nsl_wait_until 30 bt_ping 1 10.29.0.4 || nsl_fail "phase 2: n1 cannot ping n4"

nsl_log "PASS: routes follow link quality"
