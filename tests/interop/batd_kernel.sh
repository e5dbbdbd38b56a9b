#!/usr/bin/env bash
# Interop: batd against the REAL kernel batman-adv (compat 15, BATMAN_IV) running in qemu
# (shared/tools/kernel-peer, kernel 6.1 / batman-adv 2022.3), on the VLAN LibreMesh uses.
#
#   [qemu guest btkpeer: eth0.29 (802.1ad) -> bat0 10.29.0.2]
#        | TAP btktap0
#   namespace btk<pid>-k: bridge btkbr0 — veth v-k <-> v-u in namespace btk<pid>-u:
#                                                   batd --vlan 8021ad:29, bat0 10.29.0.1
#
# Kernel: `--lime --bla 0` (LibreMesh preset: 802.1ad VID 29, orig_interval 2000,
# multicast_mode 0; BLA off to skip its 30 s start-up window). batd: --vlan 8021ad:29.
# Asserts:
#   1. batd lists the kernel as originator; the kernel's `batctl o` lists batd;
#   2. ping over bat0 both ways (batd -> kernel from the namespace, kernel -> batd from the
#      guest);
#   3. translation tables: batd's transglobal holds the kernel's bat0 MAC, the kernel's
#      `batctl tg` holds batd's bat0 MAC;
#   4. tshark finds no malformed frames / bad TT CRCs in the mixed traffic, and at least one
#      full-table TT response whose CRC it verified good (batd starts first, so the kernel
#      has to request batd's full table).
# KP_VLAN_PROTO=802.1q runs both sides on 802.1Q VLAN 29 instead (passes too).
# KP_BLA=1 runs the kernel with BLA on, exactly as LibreMesh configures it: everything still
# passes, ping only after the kernel's ~30 s BLA start-up window (~50 s in all).
# Needs: root, qemu-system-x86, kernel-peer.sh (KERNEL_PEER=path overrides) and its
# prepared cache (run `kernel-peer.sh prepare` once; this script runs it if missing).
set -u
here=$(cd "$(dirname "$0")" && pwd)
BT_OI=${BT_OI:-1000}
source "$here/../scenarios/batd_lib.sh"
bt_init k            # namespaces btk*
nsl_require qemu-system-x86_64 ping python3 tshark

KP=${KERNEL_PEER:-/work/shared/tools/kernel-peer/kernel-peer.sh}
[[ -f "$KP" ]] || { nsl_log "SKIP: kernel-peer.sh not found ($KP)"; exit 77; }
KP_CACHE=${KP_CACHE:-/var/cache/kernel-peer}
if [[ ! -f "$KP_CACHE/initramfs.cpio.gz" ]]; then
    nsl_log "kernel-peer cache missing, running prepare"
    bash "$KP" prepare >"$NSL_TMP/prepare.log" 2>&1 \
        || { nsl_log "SKIP: kernel-peer.sh prepare failed: $(tail -3 "$NSL_TMP/prepare.log")"; exit 77; }
fi

GUEST=btkpeer$$      # unique per run: a CI run may run beside a manual one
KMAC=02:b7:00:00:99:01      # guest eth0 (and eth0.29) = the kernel's originator address
KBAT=02:b7:00:00:99:02      # guest bat0
UMAC=$(bt_mac 1 1)          # batd's hard interface = batd's originator address
kp_stop() { bash "$KP" stop "$GUEST" --purge >/dev/null 2>&1 || true; }
trap 'rc=$?; kp_stop; bt_finish $rc; rc=$?; ((rc != 0 && rc != 77)) && tail -n 30 "${KP_STATE:-/run/kernel-peer}/$GUEST/console.log" >&2 2>/dev/null; nsl_cleanup; exit $rc' EXIT
kp_stop

nsl_ns k u
nx k ip link add btkbr0 type bridge stp_state 0 forward_delay 0
nx k ip link set btkbr0 up
nsl_veth k v-k u v-u 1536 "" "$UMAC"
nx k ip link set v-k master btkbr0
PCAP=$NSL_TMP/interop.pcapng
nsl_bg k "$NSL_TMP/capture.log" tshark -q -i btkbr0 -w "$PCAP"
cap=$NSL_LASTPID

# batd first: by the time the kernel boots, batd's TT version has settled and its diffs
# stopped repeating, so the kernel must fetch batd's full table (TT request/response,
# which tshark CRC-checks).
# KP_VLAN_PROTO=802.1q: both sides on an 802.1Q VLAN 29 instead of LibreMesh's 802.1ad.
case ${KP_VLAN_PROTO:-802.1ad} in
    802.1q) KPVLAN=(--vlan-proto 802.1q); UVLAN=8021q:29 ;;
    *)      KPVLAN=(); UVLAN=8021ad:29 ;;
esac
bt_start u --vlan "$UVLAN" -- v-u
bt_up u 10.29.0.1
UBAT=$(nx u cat /sys/class/net/bat0/address)

sleep 3
bash "$KP" start "$GUEST" btktap0 --netns "${NSL_PREFIX}k" --bridge btkbr0 --lime --bla "${KP_BLA:-0}" "${KPVLAN[@]}" \
    --mac "$KMAC" --bat-mac "$KBAT" --ip 10.29.0.2/24 --period 2 --wait 120 \
    >"$NSL_TMP/kp-start.log" 2>&1 || nsl_fail "kernel peer did not boot: $(tail -3 "$NSL_TMP/kp-start.log")"
nsl_log "$(grep -o 'ready after.*' "$NSL_TMP/kp-start.log" | head -1)"

kernel_sees_batd() { bash "$KP" exec "$GUEST" -t 10 "batctl meshif bat0 o" 2>/dev/null | grep -i "^ *\* *$UMAC" >/dev/null; }
nsl_wait_until 60 bt_has_originators u bat0 "$KMAC" \
    || nsl_fail "batd does not list the kernel ($KMAC) after 60 s: $(bt_originators u | tr '\n' ' ')"
nsl_log "batd lists the kernel as originator"
nsl_wait_until 60 kernel_sees_batd \
    || nsl_fail "kernel does not route to batd ($UMAC) after 60 s: $(bash "$KP" exec "$GUEST" -t 10 'batctl meshif bat0 o' 2>&1)"
nsl_log "kernel lists batd as originator (best route):"
bash "$KP" exec "$GUEST" -t 10 "batctl meshif bat0 o" 2>&1 | sed 's/^/    kernel: /' >&2
bt_ctl u -- originators 2>&1 | sed 's/^/    batd:   /' >&2

nsl_wait_until 60 bt_ping u 10.29.0.2 || nsl_fail "batd -> kernel ping over bat0 failed for 60 s"
nx u ping -n -q -c5 -i 0.3 -W1 10.29.0.2 | grep -q ' 5 received' || nsl_fail "batd -> kernel: not 5/5"
out=$(bash "$KP" exec "$GUEST" -t 20 "ping -c5 -W2 10.29.0.1" 2>&1)
grep -q ' 5 packets received' <<<"$out" || nsl_fail "kernel -> batd ping: $out"
nsl_log "ping over bat0 works both ways"

tg_has() { bt_ctl u -- transglobal --json 2>/dev/null | grep -i "$KBAT" >/dev/null; }
nsl_wait_until 30 tg_has || nsl_fail "batd's transglobal lacks the kernel's bat0 $KBAT: $(bt_ctl u -- transglobal 2>&1)"
ktg() { bash "$KP" exec "$GUEST" -t 10 "batctl meshif bat0 tg" 2>/dev/null | grep -i "$UBAT" >/dev/null; }
nsl_wait_until 30 ktg || nsl_fail "kernel's tg lacks batd's bat0 $UBAT: $(bash "$KP" exec "$GUEST" -t 10 'batctl meshif bat0 tg' 2>&1)"
nsl_log "translation tables exchanged"

nsl_stop "$cap"
count() { tshark -r "$PCAP" -Y "$1" 2>/dev/null | wc -l; }
total=$(count batadv)
malformed=$(count '_ws.malformed')
badcrc=$(count 'batadv.tvlv_tt_crc_bad || batadv.tvlv.tt.vlan.crc.status == 0')
goodcrc=$(count 'batadv.tvlv.tt.vlan.crc.status == 1')
nsl_log "capture: $total batman frames, $malformed malformed, TT CRC good $goodcrc / bad $badcrc"
((malformed == 0 && badcrc == 0)) || nsl_fail "malformed frames or bad TT CRCs in the mixed capture"
((goodcrc > 0)) || nsl_fail "no full-table TT response in the capture (tshark verified no CRC)"

nsl_log "PASS: batd and kernel batman-adv (VLAN $UVLAN, BLA ${KP_BLA:-0}) mesh, route and ping"
