#!/usr/bin/env bash
# lime-apply in a network namespace: the expected links/addresses/rules/routes/nft exist;
# a second apply makes 0 changes and leaves `ip -d link/addr/rule/route` and
# `nft list ruleset` identical; a changed plan changes only what differs; an injected
# failure mid-way rolls everything back. Then the same with the real lime-apply on the
# config engineer's worked-example fixture (plan_build).
set -eu  # no pipefail: `cmd | grep -q` would fail on SIGPIPE
. "$LIME_SOURCE_DIR/tests/scenarios/lib/netns.sh"
B=$LIME_BINARY_DIR
FIX=$B/tests/lr-apply-fixture
APPLY=$B/src/apply/lime-apply
nsl_require ip nft
NSL_IPV6=1
nsl_init lr-ab-
nsl_ns n
R=$NSL_TMP/root; mkdir -p "$R"
ip -n lr-ab-n link add eth0 type veth peer name eth0p
ip -n lr-ab-n link add eth1 type veth peer name eth1p

# Kernel state with volatile fields removed (bridge timers, counters' values).
snapshot() {
    { nx n ip -d link show | sed -E 's/(hello_timer|tcn_timer|topology_change_timer|gc_timer) +[0-9.]+//g'
      nx n ip addr show; nx n ip rule show; nx n ip route show table all
      nx n ip -6 route show table all; nx n nft list ruleset | sed -E 's/counter packets [0-9]+ bytes [0-9]+/counter/'; }
}
changes() { sed -nE 's/^([0-9]+) changes?.*/\1/p' <<<"$1"; }

out=$(nx n "$FIX" --root "$R" 2>"$NSL_TMP/log1") || { cat "$NSL_TMP/log1" >&2; nsl_fail "first apply failed"; }
nsl_log "first apply: $out"
[ "$(changes "$out")" -gt 0 ] || nsl_fail "first apply made no changes"
grep -q "no 802.1Q/802.1ad VLANs" "$NSL_TMP/log1" || nsl_fail "no log line about missing kernel VLANs"

# --- the expected objects
nx n ip -d link show br-lan | grep -q "bridge " || nsl_fail "br-lan is not a bridge"
nx n ip -d link show anygw | grep -q "macvlan" || nsl_fail "anygw is not a macvlan"
nx n ip link show anygw | grep -q "link/ether aa:aa:aa:0d:fe:aa" || nsl_fail "anygw MAC"
nx n ip link show anygw | grep -q "@br-lan" || nsl_fail "anygw not on br-lan"
nx n ip link show bat0 | grep -q "master br-lan" || nsl_fail "bat0 not in br-lan"
nx n ip link show eth1 | grep -q "master br-lan" || nsl_fail "eth1 (lan port) not in br-lan"
nx n ip addr show br-lan | grep -q "inet 10.13.132.209/16" || nsl_fail "node v4 on br-lan"
nx n ip addr show br-lan | grep -q "inet6 fd0d:fe46:8ce8::1c:84d1/64" || nsl_fail "node v6 on br-lan"
nx n ip addr show anygw | grep -q "inet 10.13.0.1/16 metric 2147483647" || nsl_fail "anygw v4 + metric"
nx n ip addr show anygw | grep -q "inet6 fd0d:fe46:8ce8::1/64" || nsl_fail "anygw v6"
nx n ip addr show eth0 | grep -q "inet 10.13.132.209/32" || nsl_fail "babel /32 on the raw mesh link"
nx n ip rule show | grep -q "^170:.*from 10.13.0.1 lookup 170" || nsl_fail "rule v4"
nx n ip -6 rule show | grep -q "^170:.*from fd0d:fe46:8ce8::1 lookup 170" || nsl_fail "rule v6"
nx n ip route show table 170 | grep -q "10.13.0.0/16 dev anygw" || nsl_fail "route v4 table 170"
nx n ip -6 route show table 170 | grep -q "fd0d:fe46:8ce8::/64 dev anygw" || nsl_fail "route v6 table 170"
nx n nft list table bridge lime_anygw | grep -q 'oifname "bat0" ether saddr & ff:ff:ff:00:00:00 == aa:aa:aa:00:00:00' \
    || nsl_fail "nft anygw rule"
grep -q "^interface eth0 type wireless" "$R/var/run/lime/babeld.conf" || nsl_fail "babel on the untagged link"
grep -qP "^batd\t.*--vlan\t8021ad:29\t.*--gw-mode\tclient\t.*\teth0$" "$R/var/run/lime/daemons" || nsl_fail "batd --vlan 8021ad:29 --gw-mode client eth0"
dnsmasq --test --conf-file="$R/var/run/lime/dnsmasq.conf" 2>&1 | grep -q "syntax check OK" || nsl_fail "dnsmasq.conf"

# --- idempotency
s1=$(snapshot)
out=$(nx n "$FIX" --root "$R" 2>/dev/null)
[ "$(changes "$out")" = 0 ] || nsl_fail "second apply: '$out' (want 0 changes)"
s2=$(snapshot)
[ "$s1" = "$s2" ] || { diff <(echo "$s1") <(echo "$s2") >&2; nsl_fail "second apply changed the kernel state"; }
nsl_log "idempotent: second apply 0 changes, state identical"

# --- rollback: a changed plan whose 4th change fails leaves everything as it was
out=$(nx n "$FIX" --root "$R" --node4 10.13.1.2 --fail-after 3 2>"$NSL_TMP/log2") && nsl_fail "injected failure not reported"
grep -q "rolled back" <<<"$out" || nsl_fail "no rollback reported: $out"
s3=$(snapshot)
[ "$(sort <<<"$s1")" = "$(sort <<<"$s3")" ] || { diff <(sort <<<"$s1") <(sort <<<"$s3") >&2; nsl_fail "rollback left changes"; }
grep -q "10.13.132.209" "$R/var/run/lime/babeld.conf" 2>/dev/null || grep -q "0a:0d:84:d1" "$R/var/run/lime/babeld.conf" \
    || nsl_fail "generated files changed by a failed apply"
nsl_log "rollback: state identical after an injected failure"

# --- changed plan: only the node address moves
out=$(nx n "$FIX" --root "$R" --node4 10.13.1.2 -v 2>"$NSL_TMP/log3")
kern=$(grep -cE "debug: (add|delete|create|set)" "$NSL_TMP/log3" || true)
[ "$kern" = 4 ] || { cat "$NSL_TMP/log3" >&2; nsl_fail "changed plan: $kern kernel changes, want 4 (2 addresses moved)"; }
nx n ip addr show br-lan | grep -q "inet 10.13.1.2/16" || nsl_fail "new address on br-lan"
nx n ip addr show eth0 | grep -q "inet 10.13.1.2/32" || nsl_fail "new /32 on eth0"
! nx n ip addr show | grep -q "10.13.132.209" || nsl_fail "old address left behind"
grep -q "router-id 02:4c:4d:00:0a:0d:01:02" "$R/var/run/lime/babeld.conf" || nsl_fail "babeld.conf not regenerated"
nsl_log "changed plan: $out, 4 kernel changes"

# --- a plan without anygw: exactly its objects go (macvlan, 2 rules, 2 routes, nft rules),
#     nothing else changes (7 kernel changes: addresses go before their link so a rollback
#     restores them), and applying the full plan again brings them back
out=$(nx n "$FIX" --root "$R" --node4 10.13.1.2 --no-anygw -v 2>"$NSL_TMP/log5")
nx n ip link show anygw >/dev/null 2>&1 && nsl_fail "anygw left after a plan without anygw"
nx n ip rule show | grep -q "lookup 170" && nsl_fail "rule 170 left behind"
nx n ip route show table 170 | grep -q . && nsl_fail "table 170 routes left behind"
nx n nft list tables | grep -q lime_anygw && nsl_fail "anygw nft table left behind"
nx n ip addr show br-lan | grep -q "inet 10.13.1.2/16" || nsl_fail "br-lan address lost"
nx n ip link show bat0 | grep -q "master br-lan" || nsl_fail "bat0 lost"
grep -q "^interface=anygw" "$R/var/run/lime/dnsmasq.conf" && nsl_fail "dnsmasq still serves anygw"
kern=$(grep -cE "debug: (add|delete|create|set)" "$NSL_TMP/log5" || true)
[ "$kern" = 7 ] || { cat "$NSL_TMP/log5" >&2; nsl_fail "no-anygw plan: $kern kernel changes, want 7 (2 routes, 2 rules, 2 addresses, the macvlan)"; }
out=$(nx n "$FIX" --root "$R" --node4 10.13.1.2 2>/dev/null)
# (a re-created device gets a new ifindex and a new kernel link-local: compare the objects)
nx n ip link show anygw | grep -q "link/ether aa:aa:aa:0d:fe:aa" || nsl_fail "anygw not re-created"
nx n ip addr show anygw | grep -q "inet 10.13.0.1/16 metric 2147483647" || nsl_fail "anygw v4 not restored"
nx n ip rule show | grep -q "^170:.*from 10.13.0.1 lookup 170" || nsl_fail "rule not restored"
nx n ip -6 route show table 170 | grep -q "fd0d:fe46:8ce8::/64 dev anygw" || nsl_fail "v6 route not restored"
nx n nft list tables | grep -q "bridge lime_anygw" || nsl_fail "nft table not restored"
out=$(nx n "$FIX" --root "$R" --node4 10.13.1.2 2>/dev/null)
[ "$(changes "$out")" = 0 ] || nsl_fail "after restoring anygw: '$out' (want 0 changes)"
nsl_log "plan without anygw: its 7 kernel objects + nft table removed; back with the full plan"

# --- the real lime-apply on the worked-example fixture (plan_build from lime-* config)
if [ -x "$APPLY" ] && [ -d "$LIME_SOURCE_DIR/tests/fixtures/worked-example" ]; then
    nsl_ns w
    ip -n lr-ab-w link add eth0 type veth peer name eth0p
    ip -n lr-ab-w link add eth1 type veth peer name eth1p
    W=$NSL_TMP/we; cp -r "$LIME_SOURCE_DIR/tests/fixtures/worked-example" "$W"
    out=$(nx w "$APPLY" --root "$W" 2>"$NSL_TMP/log4") || { cat "$NSL_TMP/log4" >&2; nsl_fail "lime-apply on worked-example"; }
    nx w ip addr show anygw | grep -q "inet 10.13.0.1/16" || nsl_fail "worked-example: anygw"
    nx w ip addr show br-lan | grep -q "inet 10.13.132.209/16" || nsl_fail "worked-example: br-lan"
    nx w ip route show table 170 | grep -q "10.13.0.0/16 dev anygw" || nsl_fail "worked-example: table 170"
    out=$(nx w "$APPLY" --root "$W" 2>/dev/null)
    [ "$(changes "$out")" = 0 ] || nsl_fail "worked-example: second apply '$out'"
    nsl_log "worked-example via plan_build: applied, second apply 0 changes"
fi
nsl_log "PASS"
