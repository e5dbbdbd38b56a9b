#!/bin/sh
# The multi-call binary (src/multicall, LIME_ROUTER builds) behaves exactly as the separate
# programs: for each applet, started through a symlink and as `lime APPLET`, the same
# arguments give the same stdout, stderr and exit status as the program built on its own.
# Under a cross build the binaries run through $LIME_TEST_EMULATOR (qemu-user).
#
# usage: multicall_test.sh BUILD_DIR SOURCE_DIR
set -u
build=$1 src=$2
emu=${LIME_TEST_EMULATOR:-}
lime=$build/src/multicall/lime
work=$(mktemp -d /tmp/lime-multicall.XXXXXX)
trap 'rm -rf "$work"' EXIT
fails=0 checks=0

mkdir -p "$work/bin"
for a in limed lime-config shared-state-async migrate-wifi-bands-cfg; do
    ln -s "$lime" "$work/bin/$a"
done
cp -a "$src/tests/fixtures/worked-example" "$work/root"

# run OUT PROGRAM ARGS...: stdout, stderr and exit status into OUT.*; a message that starts
# with the program's path (getopt's) keeps only its name, which is what the user typed.
run() {
    out=$1; shift
    $emu "$@" >"$out.stdout" 2>"$out.raw"
    echo $? >"$out.status"
    sed 's#^[^ :]*/##' "$out.raw" >"$out.stderr"
}

# same LABEL STANDALONE ARGS...: the standalone program against the symlink and `lime APPLET`
same() {
    label=$1 prog=$2; shift 2
    name=$(basename "$prog")
    run "$work/a" "$prog" "$@"
    run "$work/b" "$work/bin/$name" "$@"
    run "$work/c" "$lime" "$name" "$@"
    for v in b c; do
        checks=$((checks + 1))
        for f in stdout stderr status; do
            if ! cmp -s "$work/a.$f" "$work/$v.$f"; then
                echo "FAIL $label ($v): $f differs"
                diff "$work/a.$f" "$work/$v.$f" | head -20
                fails=$((fails + 1))
                break
            fi
        done
    done
}

same "lime-config plan" "$build/src/config/lime-config" --root "$work/root" --print-plan --json
same "lime-config usage" "$build/src/config/lime-config" --no-such-option
same "limed help" "$build/src/limed/limed" --help
same "shared-state-async usage" "$build/src/state/shared-state-async" bogus
same "shared-state-async unreachable" "$build/src/state/shared-state-async" \
    --socket "$work/none.sock" get node_info
same "migrate-wifi-bands-cfg" "$build/src/config/migrate-wifi-bands-cfg" --root "$work/root"

# an unknown name: usage listing the applets, status 2
checks=$((checks + 1))
run "$work/u" "$lime"
if [ "$(cat "$work/u.status")" != 2 ] || ! grep -q "lime-config shared-state-async" "$work/u.stderr"; then
    echo "FAIL lime without an applet: status $(cat "$work/u.status")"; cat "$work/u.stderr"
    fails=$((fails + 1))
fi

echo "$((checks - fails)) passed, $fails failed"
[ "$fails" -eq 0 ]
