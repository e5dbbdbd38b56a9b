#!/usr/bin/env bash
# lime-sim scenario "kernel_errors": how the qemu lab fails. Each failure must give exactly
# one error line naming what failed and a non-zero exit, never hang (every run has a
# 120 s deadline here), and leave nothing behind: no qemu, no file in the run dir but
# the lock, no namespace, no half-built kernel in the cache.
#   - the kernel download cannot reach the archive (apt pointed at a dead proxy)
#   - the kernel package is garbage / truncated
#   - the kernel package lacks a module the lab needs (batman-adv)
#   - the kernel image is bogus (qemu refuses it at once)
#   - --module names a module the kernel does not have; --share a missing directory; a
#     topology file under /run (the guest cannot see it)
#   - the guest does not answer before the boot deadline (LIME_SIM_BOOT_TIMEOUT=2)
#   - lime-sim itself is killed while booting and the guest's record is lost: `up`
#     refuses (a guest is left over), `down` finds and ends the stray qemu
#   - the owner of a running guest (LIME_SIM_OWNER) is SIGKILLed: the guest goes with it
# The broken kernels are built in a cache of this test's own ($SIM_TMP); the real cache
# (/var/cache/lime-sim) is only read (and filled on first use).
source "$(dirname "$0")/sim_lib.sh"
sim_init
sim_need_stack
RUN=/run/lime-sim/$LIME_SIM_INSTANCE

nothing_left() {
    pgrep -f "$RUN/console.log" >/dev/null && sim_fail "$1: a qemu of this instance is left"
    local left
    left=$(ls -A "$RUN" 2>/dev/null | grep -v '^lock$')
    [[ -z "$left" ]] || sim_fail "$1: files left in $RUN: $left"
    ip netns list 2>/dev/null | grep -q "^ls-$LIME_SIM_INSTANCE-" && sim_fail "$1: namespaces left"
    return 0
}

# fails WHAT PATTERN CMD...: CMD must fail (not time out) with one error line matching PATTERN.
fails() {
    local what=$1 pattern=$2 t=$SECONDS out rc
    shift 2
    out=$(timeout 120 "$@" 2>&1); rc=$?
    [[ $rc != 0 ]] || sim_fail "$what: succeeded; want an error"
    [[ $rc != 124 ]] || sim_fail "$what: still running after 120 s (a hang)"
    [[ $(grep -c 'error:' <<<"$out") == 1 ]] || sim_fail "$what: want one error line, got: $out"
    grep 'error:' <<<"$out" | grep -q -- "$pattern" || sim_fail "$what: the error does not say '$pattern': $out"
    nothing_left "$what"
    sim_log "$what: exit $rc after $((SECONDS - t)) s: $(grep 'error:' <<<"$out")"
}

# A cache without a kernel, apt sent to a proxy that refuses connections.
printf 'Acquire::http::Proxy "http://127.0.0.1:9/";\nAcquire::https::Proxy "http://127.0.0.1:9/";\n' >"$SIM_TMP/apt.conf"
fails "unreachable archive" "kernel download failed" \
    env LIME_SIM_CACHE="$SIM_TMP/c1" APT_CONFIG="$SIM_TMP/apt.conf" "$SIM_BIN" up --kernel line:3
[[ $(ls -A "$SIM_TMP/c1") == lock ]] || sim_fail "unreachable archive: left in the cache: $(ls -A "$SIM_TMP/c1")"

echo "this is not a .deb" >"$SIM_TMP/garbage.deb"
fails "garbage package" "malformed" \
    env LIME_SIM_CACHE="$SIM_TMP/c2" LIME_SIM_KERNEL_DEB="$SIM_TMP/garbage.deb" "$SIM_BIN" up --kernel line:3

# A kernel package of our own: the real cache's modules the lab needs, a bogus image.
real=$(sim kernel --json) || sim_fail "lime-sim kernel failed"
kdir=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["dir"])' <<<"$real")
kver=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["version"])' <<<"$real")
fv=0.0.1-limesimtest
fake=$SIM_TMP/fake
mkdir -p "$fake/DEBIAN" "$fake/boot" "$fake/lib/modules/$fv"
printf 'Package: linux-image-%s\nVersion: 1\nArchitecture: amd64\nMaintainer: lime-sim test <t@invalid>\nDescription: a kernel that does not boot\n' \
    "$fv" >"$fake/DEBIAN/control"
head -c 65536 /dev/urandom >"$fake/boot/vmlinuz-$fv"
for m in virtio_pci virtio_net 9pnet_virtio 9p overlay batman_adv 8021q bridge veth macvlan tun nf_tables \
         mac80211_hwsim cfg80211 mac80211; do
    modprobe --show-depends -d "$kdir" -S "$kver" "$m" || sim_fail "modprobe --show-depends $m"
done | awk '$1 == "insmod" {print $2}' | sort -u >"$SIM_TMP/mods"
while read -r f; do
    rel=${f#"$kdir/lib/modules/$kver/"}
    mkdir -p "$fake/lib/modules/$fv/$(dirname "$rel")"
    cp "$f" "$fake/lib/modules/$fv/$rel"
done <"$SIM_TMP/mods"
cp "$kdir/lib/modules/$kver/modules.builtin" "$fake/lib/modules/$fv/"
dpkg-deb -Zgzip -z1 --root-owner-group -b "$fake" "$SIM_TMP/bogus.deb" >/dev/null || sim_fail "dpkg-deb -b"
head -c 100000 "$SIM_TMP/bogus.deb" >"$SIM_TMP/truncated.deb"
fails "truncated package" "malformed" \
    env LIME_SIM_CACHE="$SIM_TMP/c2" LIME_SIM_KERNEL_DEB="$SIM_TMP/truncated.deb" "$SIM_BIN" up --kernel line:3
fails "bogus kernel image" "qemu exited during boot" \
    env LIME_SIM_CACHE="$SIM_TMP/c2" LIME_SIM_KERNEL_DEB="$SIM_TMP/bogus.deb" "$SIM_BIN" up --kernel line:3
find "$fake" -name 'batman-adv.ko*' -delete
dpkg-deb -Zgzip -z1 --root-owner-group -b "$fake" "$SIM_TMP/nobatman.deb" >/dev/null || sim_fail "dpkg-deb -b"
fails "package without batman-adv" "no module batman_adv" \
    env LIME_SIM_CACHE="$SIM_TMP/c3" LIME_SIM_KERNEL_DEB="$SIM_TMP/nobatman.deb" "$SIM_BIN" up --kernel line:3
[[ $(ls -A "$SIM_TMP/c3") == lock ]] || sim_fail "package without batman-adv: left in the cache: $(ls -A "$SIM_TMP/c3")"

fails "unknown module" "no_such_module" "$SIM_BIN" up --kernel line:3 --module no_such_module
fails "bad topology" "line:0" "$SIM_BIN" up --kernel line:0
echo '{"links": [{"source": "a", "target": "b"}]}' >"/run/ls-$LIME_SIM_INSTANCE.json"
fails "topology file under /run" "cannot see /run" "$SIM_BIN" up --kernel "/run/ls-$LIME_SIM_INSTANCE.json"
rm -f "/run/ls-$LIME_SIM_INSTANCE.json"
fails "share of a missing directory" "--share" "$SIM_BIN" up --kernel --share "$SIM_TMP/nonexistent" line:3
fails "boot deadline" "did not boot within 2 s" env LIME_SIM_BOOT_TIMEOUT=2 "$SIM_BIN" up --kernel line:3

# lime-sim killed while the guest boots, and the guest's record lost.
"$SIM_BIN" up --kernel line:1 >/dev/null 2>&1 &
host=$!
sim_wait 60 test -e "$RUN/guest.json" || sim_fail "no guest record 60 s after up began"
kill -9 "$host"
wait "$host" 2>/dev/null
rm -f "$RUN/guest.json"
pgrep -f "$RUN/console.log" >/dev/null || sim_fail "no stray qemu to clean up (test broken)"
out=$(sim up --kernel line:1 2>&1) && sim_fail "up beside a stray guest succeeded"
grep -q 'already up (or left over)' <<<"$out" || sim_fail "up beside a stray guest: $out"
timeout 60 "$SIM_BIN" down >/dev/null || sim_fail "down with a lost record failed"
nothing_left "down after a lost record"
sim_log "lime-sim killed during boot, record lost: up refused, down ended the stray qemu"

# The owner of a running guest killed with SIGKILL (as CTest does on a timeout): the
# watcher (LIME_SIM_OWNER) ends the guest within seconds.
bash -c 'export LIME_SIM_OWNER=$$; "$0" up --kernel line:1 >"$1" 2>&1 && exec sleep 600' "$SIM_BIN" "$SIM_TMP/owner-up.log" &
owner=$!
sim_wait 300 test -e "$RUN/watch.pid" || sim_fail "no owner watcher after up: $(cat "$SIM_TMP/owner-up.log")"
kill -9 "$owner"
wait "$owner" 2>/dev/null
gone() { ! pgrep -f "$RUN/console.log" >/dev/null && [[ ! -e "$RUN/guest.json" ]]; }
sim_wait 30 gone || sim_fail "the guest outlived its killed owner by 30 s"
nothing_left "owner killed"
sim_log "owner killed with SIGKILL: its guest was gone within seconds"
sim_log PASS
