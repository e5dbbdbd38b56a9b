#!/bin/bash
# limed UI end to end: three network namespaces with real babeld between them and a
# limed in each; headless Chromium (playwright-core) at a phone viewport drives the UI.
#
#   ld-N-b (gateway: default route on an uplink) ── ld-N-a ── ld-N-c (fresh node) ── ld-N-d
#   (N = this run's pid, so concurrent runs do not collide)
#
# Phase "main" runs the browser inside ld-a: every page with real data, hostname change
# applied by the real lime-config, preferred gateway. Phase "wizard" runs it inside ld-c:
# the first-boot wizard finds node-a's network over babel and joins it. Phase "gone":
# node-b's babeld is stopped and node-a's Nodes page shows node-b as gone. Phase "path"
# (browser in ld-N-d): the way to the gateway is shown hop by hop, d → c → a → b.
# Screenshots: $LIME_BINARY_DIR/tests/browser/artifacts/. Needs root, babeld, chromium,
# node/npm (npm ci of tests/browser is run here); without chromium, node or npm it fails
# (they are in scripts/deps.txt) unless LIME_SKIP_BROWSER=1.
set -euo pipefail
SRC=${LIME_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
BIN=${LIME_BINARY_DIR:-$SRC/build}
LIMED=$BIN/src/limed/limed
LIME_CONFIG=$BIN/src/config/lime-config
ART=$BIN/tests/browser/artifacts
WORK=$(mktemp -d /tmp/ld-ui-XXXXXX)
# Namespaces are ld-<run>-a/b/c so two runs (a developer's and CI's) never collide.
RUN=$$
A=ld-$RUN-a B=ld-$RUN-b C=ld-$RUN-c D=ld-$RUN-d
NS="$A $B $C $D"
PIDS=()

cleanup() {
    for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
    for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
    for n in $NS; do ip netns del "$n" 2>/dev/null || true; done
    if [ "${KEEP_WORK:-0}" = 1 ]; then echo "work dir kept: $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

command -v babeld >/dev/null || { echo "SKIP: babeld missing"; exit 77; }
# shellcheck source=lib/browser.sh
source "$(dirname "$0")/lib/browser.sh"
browser_need  # chromium, node, npm: fails where they are missing (LIME_SKIP_BROWSER=1 skips)
[ -x "$LIMED" ] && [ -x "$LIME_CONFIG" ] || { echo "FAIL: build limed and lime-config first"; exit 1; }

browser_npm_ci "$SRC"

# --- topology ------------------------------------------------------------------------
for n in $NS; do ip netns del "$n" 2>/dev/null || true; ip netns add "$n"; ip -n "$n" link set lo up; done
ip link add ld-a0 netns "$A" type veth peer name ld-b0 netns "$B"
ip link add ld-a1 netns "$A" type veth peer name ld-c0 netns "$C"
ip link add ld-c1 netns "$C" type veth peer name ld-d0 netns "$D"
ip -n "$A" addr add 10.13.0.10/32 dev ld-a0
ip -n "$A" addr add 10.13.0.10/32 dev ld-a1
ip -n "$B" addr add 10.13.0.11/32 dev ld-b0
ip -n "$C" addr add 10.13.0.12/32 dev ld-c0
ip -n "$C" addr add 10.13.0.12/32 dev ld-c1
ip -n "$D" addr add 10.13.0.13/32 dev ld-d0
for l in "$A ld-a0" "$A ld-a1" "$B ld-b0" "$C ld-c0" "$C ld-c1" "$D ld-d0"; do set -- $l; ip -n "$1" link set "$2" up; done
# node-b's "internet": a default route out of an uplink (a veth pair inside ld-b; this
# kernel has no dummy devices). Nothing is ever sent to 192.0.2.254.
ip -n "$B" link add ld-bw type veth peer name ld-bx
ip -n "$B" addr add 192.0.2.1/24 dev ld-bw
ip -n "$B" link set ld-bx up
ip -n "$B" link set ld-bw up
ip -n "$B" route add default via 192.0.2.254 dev ld-bw proto static  # babeld skips proto boot

# --- node roots ----------------------------------------------------------------------
mkroot() { # name hostname
    local r=$WORK/$1
    cp -a "$SRC/tests/api/fixture" "$r"
    mkdir -p "$r/var/run" "$r/var/lib" "$r/var/log"
    sed -i "s/fixture-node/$2/" "$r/etc/config/system" "$r/etc/config/lime-node"
}
mkroot a node-a
mkroot b node-b
mkroot c LiMe-c0ffee
mkroot d node-d
# node-c is fresh: no community settings, no name of its own, root without password
rm "$WORK/c/etc/config/lime-community"
printf 'config lime %s\n\nconfig lime %s\n' "'system'" "'network'" > "$WORK/c/etc/config/lime-node"
printf 'root::19000:0:99999:7:::\n' > "$WORK/c/etc/shadow"

babel() { # name ns extra-config-line ifaces...  (runs in this shell: its pid is tracked)
    local name=$1 r=$WORK/$1 ns=$2 extra=$3; shift 3
    {
        echo "local-path $r/var/run/babeld.sock"
        for i in "$@"; do echo "interface $i type wired hello-interval 1"; done
        [ -n "$extra" ] && echo "$extra"
        echo "redistribute local ip 10.13.0.0/16 le 32 allow"
        echo "redistribute local deny"
        echo "redistribute deny"
    } > "$r/etc/babeld.conf"
    ip netns exec "$ns" babeld -c "$r/etc/babeld.conf" -I "$r/var/run/babeld.pid" \
        -S "$r/var/lib/babeld.state" -L "$r/var/log/babeld.log" &
    PIDS+=($!)
    echo $! > "$WORK/babeld-$name.pid"
}
babel a "$A" "" ld-a0 ld-a1
babel b "$B" "redistribute ip 0.0.0.0/0 le 0 allow" ld-b0
babel c "$C" "" ld-c0 ld-c1
babel d "$D" "" ld-d0

# batd (userspace batman-adv) between node-a and node-b: the layer-2 cloud link shows up
# next to babel's.
BATD=$BIN/src/batd/batd
[ -x "$BATD" ] || { echo "FAIL: no $BATD"; exit 1; }
HAVE_BATD=1
for l in "a $A ld-a0" "b $B ld-b0"; do
    set -- $l
    ip netns exec "$2" "$BATD" --soft-if bat0 --ctl "$WORK/$1/var/run/batd.sock" \
        --orig-interval 500 "$3" > "$WORK/batd-$1.log" 2>&1 &
    PIDS+=($!)
done

for n in a b c d; do
    ns=$A; [ $n = b ] && ns=$B; [ $n = c ] && ns=$C; [ $n = d ] && ns=$D
    ip netns exec "$ns" "$LIMED" --root "$WORK/$n" --listen '[::]:80' --www "$SRC/www" \
        --lime-config "$LIME_CONFIG" > "$WORK/limed-$n.log" 2>&1 &
    PIDS+=($!)
done
sleep 1

mkdir -p "$ART"
rm -f "$ART"/main-*.png "$ART"/wizard-*.png
rc=0
echo "== phase main (browser in $A)"
ip netns exec "$A" node "$SRC/tests/browser/ui_test.mjs" --phase main --url http://127.0.0.1/ \
    --artifacts "$ART" --root "$WORK/a" --batd $HAVE_BATD || rc=1
echo "== phase wizard (browser in $C)"
ip netns exec "$C" node "$SRC/tests/browser/ui_test.mjs" --phase wizard --url http://127.0.0.1/ \
    --artifacts "$ART" --root "$WORK/c" || rc=1
echo "== phase path (browser in $D: three hops to the gateway)"
ip netns exec "$D" node "$SRC/tests/browser/ui_test.mjs" --phase path --url http://127.0.0.1/ \
    --artifacts "$ART" --root "$WORK/d" || rc=1
echo "== phase gone (node-b switched off: its babeld stops)"
kill "$(cat "$WORK/babeld-b.pid")"
ip netns exec "$A" node "$SRC/tests/browser/ui_test.mjs" --phase gone --url http://127.0.0.1/ \
    --artifacts "$ART" --root "$WORK/a" || rc=1
if [ $rc != 0 ]; then
    for n in a b c d; do echo "--- limed-$n.log"; tail -20 "$WORK/limed-$n.log"; done
fi
exit $rc
