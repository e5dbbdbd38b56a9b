#!/usr/bin/env bash
# lime-sim scenario "leases": line n1 - n2 - n3, one cloud, a small anygw DHCP pool of 12
# addresses (lime-community network.anygw_dhcp_limit) and 9 phones, 3 per node, each node
# answering DHCP on its own. Asserts: every phone gets a lease in the pool and no two phones
# share an address, also after every phone renews.
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
for k in $(seq 1 9); do sim client move p$k --to "$(sim_q "[c['at'] for c in s['clients'] if c['name']=='p$k'][0]")" --wait 20 >/dev/null || sim_fail "p$k: renew failed"; done
check
sim_log PASS
