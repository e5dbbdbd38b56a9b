#!/usr/bin/env bash
# Lease sharing without lime-sim: 5 nodes (ssg0..4, a line of plain veths for the mesh),
# each with its own dnsmasq serving the SAME pool (10.13.0.100-159) and anycast gateway
# 10.13.0.1 on its own client segment ("ap" veth to ssg<pid>-c<k>, where the clients live as
# macvlans). Leases reach shared-state through dnsmasq's --dhcp-script (this CLI), and
# the built-in hook turns other nodes' leases into dnsmasq reservations
# (--dhcp-hostsfile) + SIGHUP. Without sharing, 5 independent dnsmasqs handing out 50
# addresses from a 60-address pool collide almost surely.
# Asserts: 50 clients joining across the 5 nodes get 50 distinct addresses; 5 clients
# roaming to the next node keep their address; a node's leases survive the restart of
# its shared-state service; a 51st client still gets a fresh address.
export SS_NS_PREFIX=ssg
source "$(dirname "$0")/state_lib.sh"
trap ss_cleanup EXIT
[ -x "$SS_BIN" ] || { echo "no $SS_BIN"; exit 1; }
command -v dnsmasq >/dev/null || { echo "no dnsmasq"; exit 1; }
UDHCPC=$(command -v udhcpc || true)
[ -n "$UDHCPC" ] || { echo "no udhcpc"; exit 1; }

N=5
PER=10
ss_make_line $N
for ((k = 0; k < N; k++)); do
    c=${SS_NS_PREFIX}c$k
    SS_EXTRA_NS+=("$c")
    ip netns add $c
    ip -n "$(ss_ns $k)" link add ap type veth peer name cl netns $c
    ip -n "$(ss_ns $k)" addr add 10.13.0.1/24 dev ap
    ip -n "$(ss_ns $k)" link set ap up
    ip -n $c link set lo up
    ip -n $c link set cl up
done

start_node() { # k: shared-state + (first time) dnsmasq
    local k=$1
    ss_start $k --dhcp-hostsfile "$SS_TMP/hosts$k" --dnsmasq-pidfile "$SS_TMP/dnsmasq$k.pid"
}
for ((k = 0; k < N; k++)); do
    : >"$SS_TMP/hosts$k"
    start_node $k
done
for ((k = 0; k < N; k++)); do
    ss_wait 15 test -S "$SS_TMP/n$k.sock" || ss_fail "n$k did not start"
    ip netns exec "$(ss_ns $k)" env SS_SOCKET="$SS_TMP/n$k.sock" dnsmasq --keep-in-foreground \
        --conf-file=/dev/null --port=0 --user=root --interface=ap --bind-interfaces \
        --dhcp-range=10.13.0.100,10.13.0.159,255.255.255.0,1h --dhcp-authoritative --no-ping \
        --dhcp-leasefile="$SS_TMP/leases$k" --dhcp-hostsfile="$SS_TMP/hosts$k" \
        --dhcp-script="$SS_BIN" --pid-file="$SS_TMP/dnsmasq$k.pid" --log-facility=- \
        >"$SS_TMP/dnsmasq$k.log" 2>&1 &
    SS_PIDS[$((20 + k))]=$!
done
for ((k = 0; k < N; k++)); do
    want=2; ((k == 0 || k == N - 1)) && want=1
    ss_wait 15 ss_has_neighbours $k $want || ss_fail "n$k has no neighbours"
done

mac_of() { printf '02:00:00:00:%02x:%02x' "$1" "$2"; } # client j, first home node k
declare -A IP
join() { # join j k [node]: client j (MAC from j) on node's segment; prints its address
    local j=$1 home=$2 at=${3:-$2} c=${SS_NS_PREFIX}c${3:-$2} out
    ip -n $c link del "m$j" 2>/dev/null || true
    ip -n $c link add "m$j" link cl address "$(mac_of "$home" "$j")" type macvlan mode bridge
    ip -n $c link set "m$j" up
    out=$(ip netns exec $c timeout 20 "$UDHCPC" -i "m$j" -f -q -n -t 6 -T 1 -s /bin/true 2>&1) ||
        ss_fail "client $j at n$at: no lease: $out"
    echo "$out" | sed -n 's/.*[Ll]ease of \([0-9.]*\) obtained.*/\1/p' | tail -n1
}
published() { # published IP: every node has the lease in its table
    local k
    for ((k = 0; k < N; k++)); do ss_has_key $k dnsmasq-leases "$1" || return 1; done
}
hup_done() { # every other node's hostsfile holds IP
    local k
    for ((k = 0; k < N; k++)); do
        [ "$k" = "$2" ] && continue
        grep -q ",$1\$" "$SS_TMP/hosts$k" || return 1
    done
}

# 50 clients, round robin over the nodes; each join waits until the lease is shared
for ((j = 0; j < N * PER; j++)); do
    k=$((j % N))
    ip=$(join $j $k)
    [ -n "$ip" ] || ss_fail "client $j: no address parsed"
    IP[$j]=$ip
    ss_wait 10 published "$ip" || ss_fail "lease $ip of client $j not shared"
    ss_wait 10 hup_done "$ip" $k || ss_fail "lease $ip not in the other nodes' reservations"
done
dups=$(printf '%s\n' "${IP[@]}" | sort | uniq -d)
[ -z "$dups" ] || ss_fail "duplicate addresses: $dups"
echo "50 clients, 50 distinct addresses: $(printf '%s\n' "${IP[@]}" | sort -t. -k4 -n | tr '\n' ' ')"

# 5 clients roam to the next node and keep their address
for j in 0 1 2 3 4; do
    k=$((j % N)); next=$(((k + 1) % N))
    ip -n "${SS_NS_PREFIX}c$k" link del "m$j"
    got=$(join $j $k $next)
    [ "$got" = "${IP[$j]}" ] || ss_fail "client $j roamed n$k -> n$next: ${IP[$j]} became $got"
done
echo "5 roaming clients kept their addresses"

# restart node 2's shared-state service: its leases survive
before=$(ss_cli 2 get dnsmasq-leases)
ss_stop 2
sleep 1
ip netns exec "$(ss_ns 2)" true
start_node 2
ss_wait 10 test -S "$SS_TMP/n2.sock" || ss_fail "n2 did not restart"
ss_wait 5 ss_cli 2 get dnsmasq-leases || ss_fail "n2 not answering"
after=$(ss_cli 2 get dnsmasq-leases)
[ "$(echo "$after" | grep -c '"mac"')" -ge 50 ] || ss_fail "n2 lost leases over its restart: $after"
grep -q "reloaded" "$SS_TMP/n2.log" || ss_fail "n2 did not reload its tables"
[ "$(echo "$before" | grep -c '"mac"')" = "$(echo "$after" | grep -c '"mac"')" ] ||
    ss_fail "lease count changed over the restart"
echo "n2 kept $(echo "$after" | grep -c '"mac"') leases over its restart"
# a new client at n3 still gets a fresh address
ip=$(join 60 3)
printf '%s\n' "${IP[@]}" | grep -qx "$ip" && ss_fail "client 60 got $ip, already leased"
echo "51st client: $ip"
echo PASS
