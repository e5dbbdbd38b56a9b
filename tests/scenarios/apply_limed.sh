#!/usr/bin/env bash
# The whole node with the real limed: lime-apply, then limed's supervisor starts babeld,
# dnsmasq and batd (attached to the bat0 TAP that lime-apply bridged into br-lan); a
# killed batd and a killed dnsmasq are restarted; `lime-apply --reload`-style SIGHUP with
# a changed babeld.conf restarts only babeld; SIGTERM to limed stops every daemon.
set -eu  # no pipefail: `cmd | grep -q` would fail on SIGPIPE
. "$LIME_SOURCE_DIR/tests/scenarios/lib/netns.sh"
B=$LIME_BINARY_DIR
FIX=$B/tests/lr-apply-fixture
LIMED=$B/src/limed/limed
BATD=$B/src/batd/batd
nsl_require ip nft babeld dnsmasq
[ -x "$LIMED" ] || nsl_fail "no $LIMED"
[ -x "$BATD" ] || nsl_fail "no $BATD"
NSL_IPV6=1
nsl_init lr-ld-
nsl_ns n p
nsl_veth n eth0 p eth0
nx n ip link add eth1 type veth peer name eth1p
R=$NSL_TMP/root; mkdir -p "$R"
nx n "$FIX" --root "$R" --batd "$BATD" >/dev/null 2>"$NSL_TMP/apply.log" || { cat "$NSL_TMP/apply.log" >&2; nsl_fail "apply"; }
nsl_bg n "$NSL_TMP/limed.log" "$LIMED" --root "$R" --listen 127.0.0.1:18080 --no-shared-state
LP=$NSL_LASTPID
# pid of the process called $1 (comm) inside the node's namespace, "" if none
pid_of() {
    local p
    for p in $(ip netns pids lr-ld-n); do
        [ "$(cat /proc/$p/comm 2>/dev/null)" = "$1" ] && { echo "$p"; return; }
    done
    return 0
}
export -f pid_of
new_pid() { local p; p=$(pid_of "$1"); [ -n "$p" ] && [ "$p" != "$2" ]; }
nsl_wait_until 15 new_pid babeld "" || { cat "$NSL_TMP/limed.log" >&2; nsl_fail "babeld not started by limed"; }
nsl_wait_until 15 new_pid dnsmasq "" || nsl_fail "dnsmasq not started"
nsl_wait_until 15 new_pid batd "" || { cat "$R/var/log/batd.log" >&2; nsl_fail "batd not started"; }
nsl_wait_until 10 sh -c "ip -n lr-ld-n link show bat0 | grep -q 'master br-lan'" || nsl_fail "bat0 left br-lan"
sleep 1
bp=$(pid_of batd); dp=$(pid_of dnsmasq); babp=$(pid_of babeld)
kill -0 "$bp" && kill -0 "$dp" && kill -0 "$babp" || nsl_fail "a daemon died at start (see $R/var/log)"
nx n ip link show bat0 | grep -q "master br-lan" || nsl_fail "bat0 not in br-lan while batd runs"
nsl_log "limed started babeld $babp, dnsmasq $dp, batd $bp"
# re-applying while the daemons run (batd has set bat0's MAC/MTU) changes nothing
out=$(nx n "$FIX" --root "$R" --batd "$BATD" 2>"$NSL_TMP/apply2.log")
[ "$out" = "0 changes" ] || { cat "$NSL_TMP/apply2.log" >&2; nsl_fail "re-apply with running daemons: '$out'"; }

kill -9 "$bp" "$dp"
nsl_wait_until 15 new_pid batd "$bp" \
    || { cat "$NSL_TMP/limed.log" "$R/var/log/batd.log" >&2; nsl_fail "killed batd not restarted"; }
nsl_wait_until 15 new_pid dnsmasq "$dp" \
    || nsl_fail "killed dnsmasq not restarted"
nx n ip link show bat0 | grep -q "master br-lan" || nsl_fail "bat0 left br-lan after batd restart"
nsl_log "killed batd and dnsmasq were restarted"

# changed plan (hello interval) → only babeld restarts on SIGHUP
bp=$(pid_of batd); dp=$(pid_of dnsmasq); babp=$(pid_of babeld)
nx n "$FIX" --root "$R" --batd "$BATD" --hello 2 >/dev/null 2>&1
kill -HUP "$LP"
nsl_wait_until 15 new_pid babeld "$babp" \
    || nsl_fail "babeld not restarted after its config changed"
[ "$(pid_of batd)" = "$bp" ] || nsl_fail "batd restarted although its argv did not change"
[ "$(pid_of dnsmasq)" = "$dp" ] || nsl_fail "dnsmasq restarted although its config did not change"
nsl_log "SIGHUP with a changed babeld.conf restarted only babeld"

kill -TERM "$LP"
nsl_wait_until 15 sh -c "! kill -0 $LP 2>/dev/null" || nsl_fail "limed did not exit on SIGTERM"
for d in babeld dnsmasq batd; do
    [ -z "$(pid_of "$d")" ] || nsl_fail "$d still running after limed stopped"
done
nsl_log "SIGTERM: limed stopped every daemon"
grep -qi "error\|cannot" "$R/var/log/batd.log" && { cat "$R/var/log/batd.log" >&2; nsl_fail "batd complained"; }
nsl_log "PASS"
set +e  # nsl_cleanup kills already-stopped pids; under -e that would turn PASS into exit 1
