#!/usr/bin/env bash
# Interop: a client roams between two batd nodes while a REAL kernel batman-adv node talks
# to it. Kernel, U1 and U2 share one segment (bridge btkbr0); U1 and U2 bridge their bat0
# with a client port; the client (02:b7:00:00:cc:06, 10.29.0.100) starts behind U1, then
# its cable moves to U2 (it keeps pinging the kernel, as a client does after associating).
# Kernel: --lime --bla 0 (802.1ad VID 29); batd --vlan 8021ad:29.
# Asserts: the kernel pings the client behind U1 and its `batctl tg` lists the client at
# U1; after the move the kernel reaches the client again within 10 s (measured time is
# printed; the 2-interval roaming bound itself is asserted between batd nodes in
# batd_roam.sh), its tg lists the client at U2 and, within 30 s, no longer at U1.
set -u
here=$(cd "$(dirname "$0")" && pwd)
BT_OI=${BT_OI:-1000}
source "$here/../scenarios/batd_lib.sh"
bt_init k
nsl_require qemu-system-x86_64 ping python3

KP=${KERNEL_PEER:-/work/shared/tools/kernel-peer/kernel-peer.sh}
[[ -f "$KP" ]] || { nsl_log "SKIP: kernel-peer.sh not found ($KP)"; exit 77; }
KP_CACHE=${KP_CACHE:-/var/cache/kernel-peer}
if [[ ! -f "$KP_CACHE/initramfs.cpio.gz" ]]; then
    bash "$KP" prepare >"$NSL_TMP/prepare.log" 2>&1 \
        || { nsl_log "SKIP: kernel-peer.sh prepare failed: $(tail -3 "$NSL_TMP/prepare.log")"; exit 77; }
fi

GUEST=btkpeer$$
KMAC=02:b7:00:00:99:01
KBAT=02:b7:00:00:99:02
U1=$(bt_mac 1 1)
U2=$(bt_mac 2 1)
CMAC=02:b7:00:00:cc:06
CIP=10.29.0.100
kexec() { bash "$KP" exec "$GUEST" -t "${KT:-15}" "$1" 2>&1; }
kp_stop() { bash "$KP" stop "$GUEST" --purge >/dev/null 2>&1 || true; }
trap 'rc=$?; kp_stop; bt_finish $rc; rc=$?; ((rc != 0 && rc != 77)) && tail -n 30 "${KP_STATE:-/run/kernel-peer}/$GUEST/console.log" >&2 2>/dev/null; nsl_cleanup; exit $rc' EXIT

nsl_ns k u1 u2 c
nx k ip link add btkbr0 type bridge stp_state 0 forward_delay 0
nx k ip link set btkbr0 up
nsl_veth k v-k1 u1 v-u 1536 "" "$U1"
nsl_veth k v-k2 u2 v-u 1536 "" "$U2"
nx k ip link set v-k1 master btkbr0
nx k ip link set v-k2 master btkbr0
bt_start u1 --vlan 8021ad:29 -- v-u
bt_start u2 --vlan 8021ad:29 -- v-u
for n in u1 u2; do
    bt_up $n ""
    nx $n ip link add br0 type bridge stp_state 0 forward_delay 0
    nx $n ip link set bat0 master br0
    nx $n ip link set br0 up
done
plug_client() {   # plug_client NODE
    nsl_veth c eth0 "$1" c-port 1500 "$CMAC"
    nx "$1" ip link set c-port master br0
    nx c ip addr add "$CIP/24" dev eth0
}
plug_client u1

bash "$KP" start "$GUEST" btktap0 --netns "${NSL_PREFIX}k" --bridge btkbr0 --lime --bla 0 \
    --mac "$KMAC" --bat-mac "$KBAT" --ip 10.29.0.2/24 --period 2 --wait 120 \
    >"$NSL_TMP/kp-start.log" 2>&1 || nsl_fail "kernel peer did not boot: $(tail -3 "$NSL_TMP/kp-start.log")"
nsl_log "$(grep -o 'ready after.*' "$NSL_TMP/kp-start.log" | head -1)"

k_sees() { local o; o=$(kexec "batctl meshif bat0 o"); grep -qi "^ *\* *$U1 " <<<"$o" && grep -qi "^ *\* *$U2 " <<<"$o"; }
nsl_wait_until 60 k_sees || nsl_fail "kernel does not list U1 and U2: $(kexec 'batctl meshif bat0 o')"
k_ping() { kexec "ping -c1 -W1 $CIP" | grep -q ' 1 packets received'; }
nx c ping -n -q -c2 -W1 10.29.0.2 >/dev/null    # the client speaks: U1 learns it
nsl_wait_until 60 k_ping || nsl_fail "kernel cannot ping the client behind U1"
k_tg_at() { kexec "batctl meshif bat0 tg" | grep -i "$CMAC" | grep -qi " $1 "; }
nsl_wait_until 30 k_tg_at "$U1" || nsl_fail "kernel's tg does not list the client at U1: $(kexec 'batctl meshif bat0 tg')"
nsl_log "kernel reaches the client behind U1"

nx c ip link del eth0
plug_client u2
t0=$(nsl_now_ms)
nsl_bg c "$NSL_TMP/client-ping.log" ping -n -i 0.2 10.29.0.2
NSL_POLL=0 nsl_wait_until 40 k_ping || nsl_fail "kernel never reached the client after it moved to U2"
dt=$(( $(nsl_now_ms) - t0 ))
nsl_log "kernel reaches the roamed client via U2 after $dt ms (probe: one ping from the guest)"
((dt <= 10000)) || nsl_fail "roaming seen from the kernel took $dt ms > 10 s"
nsl_wait_until 30 k_tg_at "$U2" || nsl_fail "kernel's tg does not list the client at U2: $(kexec 'batctl meshif bat0 tg')"
gone_u1() { ! k_tg_at "$U1"; }
nsl_wait_until 30 gone_u1 || nsl_fail "kernel's tg still lists the client at U1: $(kexec 'batctl meshif bat0 tg')"
kexec "batctl meshif bat0 tg" | grep -i "$CMAC" | sed 's/^/    kernel tg: /' >&2

nsl_log "PASS: a client roaming between batd nodes stays reachable from the kernel"
