#!/usr/bin/env bash
# lime-sim scenario "anygw": line n1 - n2 - n3 - n4, one cloud, gateways n1 and n4.
# Asserts: a phone at n2 gets a lease inside the cloud's prefix whose router is the cloud's
# anycast address (10.13.0.1); its default route points there; it reaches the internet
# namespace through the nearest gateway (n1), and a phone at n3 through n4.
# Deadline: routes and internet within 60 s of `up` (Babel hello 1 s).
source "$(dirname "$0")/sim_lib.sh"
sim_init
sim_need_stack
sim up line:4 --gateway n1 --gateway n4 || sim_fail "lime-sim up failed"
prefix=$(node_field n2 cloud_prefix)
anygw=$(node_field n2 anygw)
sim_log "cloud $prefix, anycast gateway $anygw"

sim client add ph1 --at n2 --wait 60 || sim_fail "ph1: no DHCP lease within 30 s"
sim client add ph2 --at n3 --wait 60 || sim_fail "ph2: no DHCP lease within 30 s"
for c in ph1 ph2; do
    ip=$(client_ip $c)
    gw=$(client_router $c)
    in_prefix16 "$ip" "$prefix" || sim_fail "$c: lease $ip is not inside $prefix"
    [[ "$gw" == "$anygw" ]] || sim_fail "$c: router is '$gw', want the anycast $anygw"
    sx $c ip -4 route show default | grep -q "via $anygw dev wlan0" \
        || sim_fail "$c: default route is not via $anygw: $(sx $c ip -4 route show default)"
done

want1=$(wan_ip n1)
want4=$(wan_ip n4)
[[ -n "$want1" && -n "$want4" ]] || sim_fail "gateways have no WAN address (n1 '$want1', n4 '$want4')"
via_n1() { [[ "$(whoami_of ph1)" == "$want1" ]]; }
via_n4() { [[ "$(whoami_of ph2)" == "$want4" ]]; }
sim_wait 60 via_n1 || sim_fail "ph1 (at n2) does not reach the internet through n1 ($want1): seen as '$(whoami_of ph1)'"
sim_wait 60 via_n4 || sim_fail "ph2 (at n3) does not reach the internet through n4 ($want4): seen as '$(whoami_of ph2)'"
sim_log "ph1 $(client_ip ph1) leaves through n1 ($want1); ph2 $(client_ip ph2) through n4 ($want4)"
sim_log PASS
