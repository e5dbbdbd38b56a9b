#!/usr/bin/env bash
# batd scenario: a node crashes and comes back. Chain n1 — n2 — n3; once converged, n3's
# batd is SIGKILLed (its TAP goes with it) and started again: new random OGM and broadcast
# sequence numbers, TT version back at the start, and a new bat0 MAC (the TAP is new).
# Peers must accept the restarted originator (the kernel accepts an out-of-window seqno as
# a reset when the last reset is > 30 s old, spec §3.4) and replace its stale TT entries.
# Asserts, within 30 s of the restart: n1 pings n3 again; n1's transglobal lists n3's new
# bat0 MAC at n3 and no longer the old one; broadcasts from n3 reach n1; n1 then stops
# sending TT requests (tables agree).
set -u
source "$(dirname "$0")/batd_lib.sh"
bt_init rs
nsl_require ping python3

nsl_ns 1 2 3
nsl_veth 1 m-r 2 m-l 1532 "$(bt_mac 1 1)" "$(bt_mac 2 1)"
nsl_veth 2 m-r 3 m-l 1532 "$(bt_mac 2 2)" "$(bt_mac 3 1)"
bt_start 1 -- m-r
bt_start 2 -- m-l m-r
bt_start 3 -- m-l
for i in 1 2 3; do bt_up $i "10.29.0.$i"; done
nsl_wait_until 30 bt_ping 1 10.29.0.3 || nsl_fail "n1 cannot ping n3 within 30 s"
old=$(nx 3 cat /sys/class/net/bat0/address)
tg_has() {  # tg_has MAC: n1's transglobal lists MAC at n3
    bt_ctl 1 -- transglobal --json 2>/dev/null | python3 -c '
import json, sys
d = json.load(sys.stdin)
sys.exit(0 if any(e["client_address"] == sys.argv[1] and e["orig_address"] == sys.argv[2] for e in d) else 1)' "$1" "$(bt_mac 3 1)"
}
nsl_wait_until 30 tg_has "$old" || nsl_fail "n1's transglobal lacks n3's bat0 $old"
sleep 3

nsl_log "killing n3's batd (SIGKILL) and starting it again"
kill -KILL "${BT_PID[3/bat0]}"
wait "${BT_PID[3/bat0]}" 2>/dev/null
nsl_wait_until 30 eval '! nx 3 ip link show dev bat0 >/dev/null 2>&1' || nsl_fail "n3's TAP survived its daemon"
rm -f "$NSL_TMP/3.bat0.sock"
t0=$(nsl_now_ms)
bt_start 3 -- m-l
bt_up 3 10.29.0.3
new=$(nx 3 cat /sys/class/net/bat0/address)
[[ "$new" != "$old" ]] || nsl_log "note: the new TAP kept the MAC $old"
# n3's bat0 has a new MAC; n1's ARP entry for 10.29.0.3 still points at the old one (it would
# only be re-resolved after ARP's own timeouts), so forget it as a gratuitous ARP would.
nx 1 ip neigh flush dev bat0

nsl_wait_until 30 bt_ping 1 10.29.0.3 || nsl_fail "n1 cannot ping the restarted n3 within 30 s"
nsl_log "n1 pings the restarted n3 after $(( $(nsl_now_ms) - t0 )) ms"
nsl_wait_until 30 tg_has "$new" || nsl_fail "n1's transglobal lacks n3's new bat0 $new"
if [[ "$new" != "$old" ]]; then
    gone() { ! tg_has "$old"; }
    nsl_wait_until 30 gone || nsl_fail "n1's transglobal still lists n3's old bat0 $old"
fi

bt_bcast_listen 1 bat0 "$NSL_TMP/bc1" "btrs-$$-"
lp=$NSL_LASTPID
bt_bcast_send 3 10.29.0.255 10 "btrs-$$-"
sleep 2
nsl_stop "$lp"
want=$(for ((k = 0; k < 10; k++)); do echo "$k 1"; done)
[[ "$(cat "$NSL_TMP/bc1")" == "$want" ]] || nsl_fail "broadcasts of the restarted n3 at n1: $(tr '\n' ',' <"$NSL_TMP/bc1")"

treq() { bt_ctl 1 -- statistics --json | python3 -c 'import json,sys; print(json.load(sys.stdin).get("tt_request_tx", 0))'; }
r0=$(treq); sleep $(( (BT_OI * 5) / 1000 + 1 )); r1=$(treq)
((r1 == r0)) || nsl_fail "n1 keeps sending TT requests after the restart ($r0 -> $r1)"
nsl_log "PASS: restarted node accepted, TT replaced, broadcasts flow, tables agree"
