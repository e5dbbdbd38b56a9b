#!/usr/bin/env bash
# lime-sim scenario "leases": line n1 - n2 - n3, one cloud, a small anygw DHCP pool of 12
# addresses (lime-community network.anygw_dhcp_limit) and 9 phones, 3 per node, each node
# answering DHCP on its own. Asserts: every phone gets a lease in the pool and no two phones
# share an address, also after every phone renews. Lease sharing (spec shared-state §4): a
# lease taken at n1 is published by dnsmasq's dhcp-script (shared-state-async) and shows up
# within 30 s in n3's `shared-state-async get dnsmasq-leases` and as a `mac,ip` reservation
# in n3's ROOT/tmp/dhcp.hosts_remote.
source "$(dirname "$0")/sim_lib.sh"
sim_init
sim_need_stack
sim up line:3 --dhcp-limit 12 || sim_fail "lime-sim up failed"
prefix=$(node_field n1 cloud_prefix)
base=${prefix%.0.0/16}
ready() { sx n1 ping -c1 -W1 "$(node_field n3 ipv4)"; }
sim_wait 60 ready || sim_fail "n1 does not reach n3"
k=0
for n in n1 n2 n3; do
    for j in 1 2 3; do
        k=$((k + 1))
        sim client add p$k --at $n --wait 60 || sim_fail "p$k at $n: no lease"
    done
done
check() {
    local ips
    ips=$(sim_q "'\n'.join(c['ipv4'] for c in s['clients'])")
    for ip in $ips; do
        last=${ip##*.}
        [[ "$ip" == "$base.0.$last" && $last -ge 2 && $last -le 13 ]] || sim_fail "lease $ip outside the pool $base.0.2-13"
    done
    dup=$(echo "$ips" | sort | uniq -d)
    [[ -z "$dup" ]] || sim_fail "address(es) handed out twice: $dup ($(echo $ips))"
    [[ $(echo "$ips" | wc -l) -eq 9 ]] || sim_fail "expected 9 leases, got: $(echo $ips)"
    sim_log "leases: $(echo $ips)"
}
check
# --- lease sharing: p1 took its lease at n1; n3 must learn it ---
SS_CLI=${LIME_BINARY_DIR:-$(dirname "$(dirname "$(dirname "$SIM_BIN")")")}/src/state/shared-state-async
[[ -x "$SS_CLI" ]] || sim_fail "shared-state-async not built ($SS_CLI)"
r1=$(node_field n1 root)
r3=$(node_field n3 root)
grep -q "^dhcp-script=.*shared-state-async$" "$r1/var/run/lime/dnsmasq.conf" ||
    sim_fail "n1's dnsmasq.conf has no dhcp-script=shared-state-async"
# the supervisor gave dnsmasq SS_SOCKET (the script inherits it): n1's own service, at the
# router's path inside n1's world (R/var/run/... on the host)
tr '\0' '\n' <"/proc/$(cat "$r1/var/run/dnsmasq.pid")/environ" |
    grep -qx "SS_SOCKET=/var/run/shared-state-async.sock" || sim_fail "n1's dnsmasq has no SS_SOCKET=/var/run/shared-state-async.sock"
[[ "$(readlink /proc/$(cat "$r1/var/run/dnsmasq.pid")/ns/mnt)" == "$(sx n1 readlink /proc/self/ns/mnt)" ]] ||
    sim_fail "n1's dnsmasq is not in n1's world"
ip1=$(client_ip p1)
mac1=$(awk -v ip="$ip1" '$3 == ip {print $2}' "$r1/var/lib/dnsmasq.leases")
[[ -n "$mac1" ]] || sim_fail "p1's lease $ip1 is not in n1's lease file"
shared() {
    "$SS_CLI" --socket "$r3/var/run/shared-state-async.sock" get dnsmasq-leases |
        python3 -c "import json,sys; d=json.load(sys.stdin); sys.exit(0 if d.get('$ip1',{}).get('mac','').lower()=='$mac1'.lower() else 1)" &&
        grep -qix "$mac1,$ip1" "$r3/tmp/dhcp.hosts_remote"
}
t0=$(date +%s)
sim_wait 30 shared || sim_fail "n1's lease $mac1 $ip1 did not reach n3 within 30 s (table: $("$SS_CLI" --socket "$r3/var/run/shared-state-async.sock" get dnsmasq-leases | tr -d '\n'); hosts_remote: $(tr '\n' ' ' <"$r3/tmp/dhcp.hosts_remote"))"
sim_log "n1's lease $mac1,$ip1 in n3's dnsmasq-leases and dhcp.hosts_remote after <= $(( $(date +%s) - t0 )) s"
for k in $(seq 1 9); do sim client move p$k --to "$(sim_q "[c['at'] for c in s['clients'] if c['name']=='p$k'][0]")" --wait 20 >/dev/null || sim_fail "p$k: renew failed"; done
check
sim_log PASS
