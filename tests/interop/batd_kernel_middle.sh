#!/usr/bin/env bash
# Interop: the kernel batman-adv in the MIDDLE, forwarding between two batd nodes.
# U1, U2 and the kernel share one segment (bridge btkbr0), but nftables drops every frame
# between U1's and U2's ports, so U1 and U2 only reach each other through the kernel, which
# rebroadcasts OGMs and broadcasts and forwards unicast out of the interface they came in.
#
#   U1 (10.29.0.1) — v-k1 ┐
#                         ├ btkbr0 ─ TAP ─ [qemu: kernel batman-adv, eth0.29, bat0 10.29.0.2]
#   U2 (10.29.0.3) — v-k2 ┘    (v-k1 <-> v-k2 dropped)
#
# Kernel: --lime --bla 0 (802.1ad VID 29, orig_interval 2000); batd --vlan 8021ad:29.
# Asserts: U1 routes to U2 via the kernel and U2 to U1 via the kernel; the kernel lists
# both as direct originators; U1 <-> U2 ping 5/5 both ways (unicast forwarded by the
# kernel); 10 broadcasts from U1 arrive exactly once on U2's bat0 (kernel rebroadcast);
# U1's transglobal lists U2's bat0 MAC at U2 (TT data relayed by the kernel).
set -u
here=$(cd "$(dirname "$0")" && pwd)
BT_OI=${BT_OI:-1000}
source "$here/../scenarios/batd_lib.sh"
bt_init k
nsl_require qemu-system-x86_64 ping python3 nft

KP=${KERNEL_PEER:-/work/shared/tools/kernel-peer/kernel-peer.sh}
[[ -f "$KP" ]] || { nsl_log "SKIP: kernel-peer.sh not found ($KP)"; exit 77; }
KP_CACHE=${KP_CACHE:-/var/cache/kernel-peer}
if [[ ! -f "$KP_CACHE/initramfs.cpio.gz" ]]; then
    bash "$KP" prepare >"$NSL_TMP/prepare.log" 2>&1 \
        || { nsl_log "SKIP: kernel-peer.sh prepare failed: $(tail -3 "$NSL_TMP/prepare.log")"; exit 77; }
fi

GUEST=btkpeer$$      # unique per run
KMAC=02:b7:00:00:99:01
KBAT=02:b7:00:00:99:02
U1=$(bt_mac 1 1)
U2=$(bt_mac 2 1)
kexec() { bash "$KP" exec "$GUEST" -t 15 "$1" 2>&1; }
kp_stop() { bash "$KP" stop "$GUEST" --purge >/dev/null 2>&1 || true; }
trap 'rc=$?; kp_stop; bt_finish $rc; rc=$?; ((rc != 0 && rc != 77)) && tail -n 30 "${KP_STATE:-/run/kernel-peer}/$GUEST/console.log" >&2 2>/dev/null; nsl_cleanup; exit $rc' EXIT

nsl_ns k u1 u2
nx k ip link add btkbr0 type bridge stp_state 0 forward_delay 0
nx k ip link set btkbr0 up
nsl_veth k v-k1 u1 v-u 1536 "" "$U1"
nsl_veth k v-k2 u2 v-u 1536 "" "$U2"
nx k ip link set v-k1 master btkbr0
nx k ip link set v-k2 master btkbr0
nx k nft -f - <<'EOF' || nsl_fail "nft: cannot separate U1 and U2"
table bridge bt_sep {
  chain fwd_sep {
    type filter hook forward priority 0; policy accept;
    iifname "v-k1" oifname "v-k2" drop
    iifname "v-k2" oifname "v-k1" drop
  }
}
EOF

bt_start u1 --vlan 8021ad:29 -- v-u
bt_start u2 --vlan 8021ad:29 -- v-u
bt_up u1 10.29.0.1
bt_up u2 10.29.0.3
U2BAT=$(nx u2 cat /sys/class/net/bat0/address)
sleep 2
bt_has_originators u1 bat0 "$U2" && nsl_fail "U1 sees U2 without the kernel: the separation does not work"

bash "$KP" start "$GUEST" btktap0 --netns "${NSL_PREFIX}k" --bridge btkbr0 --lime --bla 0 \
    --mac "$KMAC" --bat-mac "$KBAT" --ip 10.29.0.2/24 --period 2 --wait 120 \
    >"$NSL_TMP/kp-start.log" 2>&1 || nsl_fail "kernel peer did not boot: $(tail -3 "$NSL_TMP/kp-start.log")"
nsl_log "$(grep -o 'ready after.*' "$NSL_TMP/kp-start.log" | head -1)"

via_kernel() { [[ "$(bt_nexthop u1 bat0 "$U2")" == "$KMAC" && "$(bt_nexthop u2 bat0 "$U1")" == "$KMAC" ]]; }
nsl_wait_until 90 via_kernel \
    || nsl_fail "U1 <-> U2 not routed via the kernel after 90 s: U1->U2 '$(bt_nexthop u1 bat0 "$U2")', U2->U1 '$(bt_nexthop u2 bat0 "$U1")'"
k_both() { local o; o=$(kexec "batctl meshif bat0 o"); grep -qi "^ *\* *$U1 .* $U1 " <<<"$o" && grep -qi "^ *\* *$U2 .* $U2 " <<<"$o"; }
nsl_wait_until 30 k_both || nsl_fail "kernel does not list U1 and U2 as direct originators: $(kexec 'batctl meshif bat0 o')"
nsl_log "U1 <-> U2 routed through the kernel:"
bt_ctl u1 -- originators 2>&1 | sed 's/^/    U1: /' >&2
kexec "batctl meshif bat0 o" | sed 's/^/    kernel: /' >&2

nsl_wait_until 60 bt_ping u1 10.29.0.3 || nsl_fail "U1 cannot ping U2 through the kernel for 60 s"
nx u1 ping -n -q -c5 -i 0.3 -W1 10.29.0.3 | grep -q ' 5 received' || nsl_fail "U1 -> U2: not 5/5"
nx u2 ping -n -q -c5 -i 0.3 -W1 10.29.0.1 | grep -q ' 5 received' || nsl_fail "U2 -> U1: not 5/5"
nsl_log "ping U1 <-> U2 through the kernel"

bt_bcast_listen u2 bat0 "$NSL_TMP/bc-u2" "btkm-$$-"
lp=$NSL_LASTPID
bt_bcast_send u1 10.29.0.255 10 "btkm-$$-"
sleep 3
nsl_stop "$lp"
want=$(for ((k = 0; k < 10; k++)); do echo "$k 1"; done)
[[ "$(cat "$NSL_TMP/bc-u2")" == "$want" ]] || nsl_fail "broadcasts from U1 at U2 (via the kernel): $(tr '\n' ',' <"$NSL_TMP/bc-u2")"
nsl_log "broadcasts from U1 reach U2 exactly once through the kernel"

tg_u2() { bt_ctl u1 -- transglobal --json 2>/dev/null | python3 -c '
import json, sys
d = json.load(sys.stdin)
sys.exit(0 if any(e["client_address"] == sys.argv[1] and e["orig_address"] == sys.argv[2] for e in d) else 1)' "$U2BAT" "$U2"; }
nsl_wait_until 30 tg_u2 || nsl_fail "U1's transglobal lacks U2's bat0 $U2BAT at U2"

nsl_log "PASS: kernel batman-adv forwards OGMs, unicast, broadcast and TT between two batd nodes"
