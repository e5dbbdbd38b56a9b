#!/usr/bin/env bash
# scripts/install-deps reads its lists as deps.txt documents them (no apt-get: --print),
# and the browser tests fail, not skip, where deps.txt's browser tools are missing.
#  - `PACKAGE if-missing:COMMAND`: PACKAGE only when COMMAND is not on PATH; plain lines,
#    comments, sections ([host]) and @ARCH@ as before;
#  - a malformed line: exit 2 with file:line, nothing printed;
#  - deps.txt itself: chromium and nodejs always, npm only where no npm is on PATH
#    (nodesource's nodejs bundles it and conflicts with Debian's npm package);
#  - tests/scenarios/lib/browser.sh: a missing tool fails (1) and names it; with
#    LIME_SKIP_BROWSER=1 it skips (77); all there: nothing.
set -u
SRC=$(cd "$(dirname "$0")/../.." && pwd)
DEPS=$SRC/scripts/install-deps
T=$(mktemp -d /tmp/deps-test.XXXXXX)
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

cat >"$T/list" <<'L'
# a comment
alpha          # a trailing comment
beta if-missing:sh                      # sh is on PATH: not listed
gamma  if-missing:lime-no-such-command  # not on PATH: listed

delta
L
got=$(bash "$DEPS" --print "$T/list" | tr '\n' ' ')
[[ $got == "alpha gamma delta " ]] || fail "--print of the sample list: '$got'"

printf 'alpha\nbeta gamma\n' >"$T/bad"
out=$(bash "$DEPS" --print "$T/bad" 2>&1); rc=$?
[[ $rc == 2 && $out == *"$T/bad:2: expected PACKAGE [if-missing:COMMAND]"* && $out != *alpha* ]] ||
    fail "a malformed line: rc $rc, '$out'"
printf 'alpha if-absent:npm\n' >"$T/bad2"
out=$(bash "$DEPS" --print "$T/bad2" 2>&1); rc=$?
[[ $rc == 2 && $out == *"bad2:1:"* ]] || fail "an unknown condition: rc $rc, '$out'"

list=$(bash "$DEPS" --print) || fail "--print of deps.txt failed"
grep -qx chromium <<<"$list" || fail "deps.txt: no chromium"
grep -qx nodejs <<<"$list" || fail "deps.txt: no nodejs"
if command -v npm >/dev/null; then
    grep -qx npm <<<"$list" && fail "deps.txt: npm listed although npm is on PATH"
else
    grep -qx npm <<<"$list" || fail "deps.txt: npm not listed although there is none"
fi
grep -qE '^npm[[:space:]]+if-missing:npm' "$SRC/scripts/deps.txt" || fail "deps.txt: npm is not conditional on the npm command"

# browser_need with a PATH that has bash's helpers but no chromium/node/npm
mkdir "$T/bin"
need() { env -i PATH="$T/bin" ${1:+LIME_SKIP_BROWSER=$1} "$BASH" -c "source '$SRC/tests/scenarios/lib/browser.sh'; browser_need; echo ok" 2>&1; }
out=$(need ""); rc=$?
[[ $rc == 1 && $out == *"FAIL: chromium node npm missing"* && $out == *install-deps* ]] || fail "browser_need without the tools: rc $rc, '$out'"
out=$(need 1); rc=$?
[[ $rc == 77 && $out == *SKIP* ]] || fail "browser_need with LIME_SKIP_BROWSER=1: rc $rc, '$out'"
for t in chromium node npm; do printf '#!/bin/sh\n' >"$T/bin/$t"; chmod +x "$T/bin/$t"; done
out=$(need ""); rc=$?
[[ $rc == 0 && $out == ok ]] || fail "browser_need with the tools: rc $rc, '$out'"
echo "PASS"
