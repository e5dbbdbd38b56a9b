#!/usr/bin/env bash
# lime-sim scenario "paths": a clone anywhere works. A node's world has its own /tmp,
# /root, /var/lib, /var/log, /run (world.h), so a build or source tree under one of them
# used to vanish inside every node ("the node's init exited with status 1", CI on a
# fresh clone under /tmp or /root). lime-sim runs here from a copy of the build tree
# (its programs) and the source tree under /tmp, then under /root, and asserts against
# the truth (the nodes' /proc, the node roots, what limed serves):
#  - up works; limed runs the copy's binary with the copy's www/, and serves that www/
#    (a marker naming the copy is in the page limed answers inside the node);
#  - lime-apply found the copy's batd (the daemons file; not in kernel mode, where
#    batman-adv is the kernel's), batctl o on n2 lists n1, lime-config on PATH is the copy's;
#  - the copy is seen inside at its own path (exec keeps a working directory in it; the
#    scenario helpers run from it), while the node's /tmp is still its own (a file
#    written there is in R/tmp, not in the host's /tmp);
#  - a tree that cannot be seen inside (the source tree = /tmp, --nodes-dir /root) is
#    refused by up with one error naming it, before anything is created;
#  - a node whose init fails makes up say why (lime-apply's last words), not only
#    "exited with status 1";
#  - down leaves nothing (veth mode: sim_leftovers.py).
# With SIM_MODE=kernel it runs on the qemu lab (the guest sees the host's /tmp and
# /root), node roots then read with `exec guest`.
source "$(dirname "$0")/sim_lib.sh"
sim_init
sim_need_stack
BIN=${LIME_BINARY_DIR:-$(dirname "$(dirname "$(dirname "$SIM_BIN")")")}
ORIG_BIN=$SIM_BIN
KMODE=""
[[ ${SIM_MODE:-veth} == kernel ]] && KMODE=1
on_host() { if [[ -n $KMODE ]]; then "$SIM_BIN" exec guest -- "$@"; else "$@"; fi; }
LEFT=$SIM_SRC/tests/scenarios/sim_leftovers.py
COPIES=()
paths_cleanup() {
    local rc=$?
    "$ORIG_BIN" down >/dev/null 2>&1
    SIM_BIN=$ORIG_BIN
    ((${#COPIES[@]})) && rm -rf "${COPIES[@]}"
    (exit $rc)
    sim_cleanup
}
trap paths_cleanup EXIT

# A copy of the source tree (without build trees and .git) and of the programs lime-sim
# runs, in a fresh directory under $1; its path on stdout.
copy_tree() {
    local d b
    d=$(mktemp -d "$1/ls-paths.XXXXXX") || return 1
    tar --exclude='./build*' --exclude=./.git -C "$SIM_SRC" -cf - . | tar -xf - -C "$d" || return 1
    for b in sim/lime-sim apply/lime-apply limed/limed batd/batd batd/batctl config/lime-config \
        state/shared-state-async; do
        mkdir -p "$d/build/src/${b%/*}" && cp -a "$BIN/src/$b" "$d/build/src/$b" || return 1
    done
    echo "<!-- lime-sim copy at $d -->" >>"$d/www/index.html"
    echo "$d"
}

for base in /tmp /root; do
    d=$(copy_tree $base) || sim_fail "cannot copy the trees under $base"
    COPIES+=("$d")
    export LIME_SOURCE_DIR=$d LIME_BINARY_DIR=$d/build
    SIM_BIN=$d/build/src/sim/lime-sim
    sim_log "lime-sim from $d"

    # --- what cannot be seen inside is refused, naming it, before anything exists ---
    out=$(LIME_SOURCE_DIR=$base sim up line:2 2>&1) && sim_fail "up with the source tree $base worked: $out"
    grep -q "the source tree $base cannot be seen inside a node" <<<"$out" || sim_fail "up with the source tree $base: $out"
    out=$(sim up --nodes-dir "$base" line:2 2>&1) && sim_fail "up --nodes-dir $base worked: $out"
    grep -q -- "--nodes-dir $base cannot be seen inside a node" <<<"$out" || sim_fail "up --nodes-dir $base: $out"
    [[ -z "$(ls /run/netns | grep "^ls-$LIME_SIM_INSTANCE-")" ]] || sim_fail "a refused up left namespaces"
    "$SIM_BIN" status >/dev/null 2>&1 && sim_fail "a refused up left a mesh"

    # --- a failing init says why ---
    cp -a "$d/build/src/apply/lime-apply" "$d/lime-apply.real"
    printf '#!/bin/sh\necho "lime-apply: broken on purpose in %s" >&2\nexit 1\n' "$d" >"$d/build/src/apply/lime-apply"
    out=$(sim up line:1 2>&1) && sim_fail "up with a failing lime-apply worked: $out"
    grep -q "init exited with status 1: .*broken on purpose in $d" <<<"$out" || sim_fail "up does not say why the init failed: $out"
    mv "$d/lime-apply.real" "$d/build/src/apply/lime-apply"
    sim down >/dev/null 2>&1
    sim_log "$base: refusals and a failing init's reason: ok"

    # --- the mesh, from the copy ---
    sim up line:2 >"$SIM_TMP/up.log" 2>&1 || sim_fail "up from $d failed: $(cat "$SIM_TMP/up.log")"
    [[ -n $KMODE ]] || python3 "$LEFT" snapshot "$LIME_SIM_INSTANCE" "$SIM_TMP/snap" >/dev/null
    nodes_dir=$(sim_q "s['nodes_dir']")
    r1=$(node_field n1 root)
    lpid=$(on_host cat "$r1/var/run/limed.pid")
    args=$(on_host cat /proc/$lpid/cmdline | tr '\0' ' ')
    [[ $args == "$d/build/src/limed/limed --www $d/www "* ]] || sim_fail "n1's limed runs as: $args"
    page() { sx n1 curl -s -m 5 http://127.0.0.1/ | grep -q "lime-sim copy at $d"; }
    sim_wait 60 page || sim_fail "n1's limed does not serve $d/www: $(sx n1 curl -s -m 5 http://127.0.0.1/ | tail -3)"
    # (the qemu lab's kernel has batman-adv: no batd there, and batctl is the real one)
    [[ -n $KMODE ]] || on_host grep -q "$d/build/src/batd/batd" "$r1/var/run/lime/daemons" ||
        sim_fail "lime-apply did not find the copy's batd: $(on_host cat "$r1/var/run/lime/daemons")"
    [[ "$(sx n1 sh -c 'command -v lime-config')" == "$d/build/src/config/lime-config" ]] ||
        sim_fail "lime-config on n1's PATH: $(sx n1 sh -c 'command -v lime-config')"
    m1=$(sx n1 batctl o | sed -n 's|.*MainIF/MAC: [^/]*/\([0-9a-f:]*\).*|\1|p')
    n2_sees_n1() { sx n2 batctl o | grep -qi "^ \* $m1 "; }
    sim_wait 60 n2_sees_n1 || sim_fail "n2: batctl o does not list n1 ($m1): $(sx n2 batctl o)"
    sim_log "$base: limed serves $d/www, the copy's batd runs, lime-config is the copy's"

    [[ "$(cd "$d/tests" && sx n1 pwd)" == "$d/tests" ]] || sim_fail "exec from $d/tests runs in $(cd "$d/tests" && sx n1 pwd)"
    sx n1 test -r "$d/tests/scenarios/sim_tcp.py" || sim_fail "n1 cannot read $d/tests/scenarios/sim_tcp.py"
    own=own-$$-${base#/}
    sx n1 sh -c "echo mine > /tmp/$own" || sim_fail "n1 cannot write its /tmp"
    on_host test -f "$r1/tmp/$own" || sim_fail "n1's /tmp/$own is not in $r1/tmp"
    on_host test ! -e "/tmp/$own" || sim_fail "n1's /tmp/$own landed in the host's /tmp"
    [[ "$(sx n1 ls /tmp/$own)" == "/tmp/$own" ]] || sim_fail "n1 does not see its own /tmp/$own"
    sim_log "$base: $d seen inside at its own path; the node's /tmp is its own"

    if [[ -n $KMODE ]]; then
        sim down >/dev/null || sim_fail "down failed"
    else
        python3 "$LEFT" mark "$SIM_TMP/snap"
        sim down >/dev/null || sim_fail "down failed"
        python3 "$LEFT" check "$LIME_SIM_INSTANCE" "$SIM_TMP/snap" "$nodes_dir" || sim_fail "down left something"
        rm -f "$SIM_TMP/snap"
    fi
    sim_log "$base: down leaves nothing"
done
sim_log PASS
