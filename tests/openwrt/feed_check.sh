#!/bin/sh
# Checks the OpenWrt feed (openwrt/) without the OpenWrt SDK, which is not reachable here:
#  1. each package Makefile evaluates under a stand-in of OpenWrt's make includes
#     (sdk-stub/) and every package has the fields and sections OpenWrt requires;
#  2. every install recipe runs: each file it installs exists in the tree;
#  3. the installed layout matches what the programs expect at run time (paths, applet
#     names, options, the lime-defaults copy, the shared-state hook and lease paths);
#  4. every shell script the packages install passes `sh -n` (dash) and, when
#     installed, shellcheck;
#  5. with a multi-call binary (LIME_ROUTER builds: MULTICALL=path, run through
#     $LIME_TEST_EMULATOR in cross builds), the installed links start the right programs:
#     lime-config on a fixture root, limed --help, shared-state-async's usage.
#
# usage: feed_check.sh SOURCE_DIR [MULTICALL]
set -u
src=$(cd "$1" && pwd)
multicall=${2:-}
emu=${LIME_TEST_EMULATOR:-}
work=$(mktemp -d /tmp/lime-feed.XXXXXX)
trap 'rm -rf "$work"' EXIT
fails=0 checks=0

ok() { checks=$((checks + 1)); }
fail() { checks=$((checks + 1)); fails=$((fails + 1)); echo "FAIL $*"; }
check() { # check DESCRIPTION COMMAND...
    d=$1; shift
    if "$@"; then ok; else fail "$d"; fi
}

# A fake build tree: what the package recipes copy from PKG_BUILD_DIR.
build=$work/build
mkdir -p "$build/src/multicall" "$build/src/batd"
if [ -n "$multicall" ]; then
    cp "$multicall" "$build/src/multicall/lime"
else
    printf '#!/bin/sh\nexit 0\n' >"$build/src/multicall/lime"
fi
printf '#!/bin/sh\nexit 0\n' >"$build/src/batd/batd"
chmod 755 "$build/src/multicall/lime" "$build/src/batd/batd"
cp -r "$src/www" "$build/www"

stub=$src/tests/openwrt/sdk-stub
root=$work/root
mkdir -p "$root"
for mk in "$src"/openwrt/*/Makefile; do
    dir=$(dirname "$mk")
    name=$(basename "$dir")
    run_make() { make -s --no-print-directory -C "$dir" TOPDIR="$stub" PKG_BUILD_DIR="$build" "$@"; }
    if ! info=$(run_make info 2>&1); then
        fail "$name/Makefile does not evaluate: $info"
        continue
    fi
    ok
    echo "$info" >"$work/info.$name"
    run_make conffiles >"$work/conffiles.$name"
    for pkg in $(echo "$info" | cut -d'|' -f1); do
        if out=$(run_make "stage-$pkg" STAGE="$work/stage" 2>&1); then
            ok
        else
            fail "$name: install recipe of $pkg: $out"
        fi
        # conffiles are files the package installs
        grep "^$pkg " "$work/conffiles.$name" | while read -r _ f; do
            [ -f "$work/stage/$pkg$f" ] || echo "FAIL $pkg: conffile $f is not installed"
        done
        cp -a "$work/stage/$pkg/." "$root/"
    done
done
cat "$work"/info.* >"$work/info"

# --- layout against the programs -------------------------------------------------
pkg_of() { grep "^$1|" "$work/info" | cut -d'|' -f"$2"; }
check "limed package installs /usr/sbin/limed" test -x "$root/usr/sbin/limed"
applets=$(sed -n 's/^ *{"\([a-z-]*\)", lime_applet_.*/\1/p' "$src/src/multicall/main.c")
for link in usr/bin/lime-config usr/bin/shared-state-async usr/bin/migrate-wifi-bands-cfg; do
    check "$link is a link to limed" test "$(readlink -f "$root/$link")" = "$(readlink -f "$root/usr/sbin/limed")"
    check "$(basename $link) is an applet of src/multicall/main.c" \
        sh -c "echo '$applets' | grep -qx '$(basename $link)'"
done
check "the multi-call target is src/multicall/lime" \
    grep -q '^add_executable(lime ' "$src/src/multicall/CMakeLists.txt"
check "the UI is at /usr/share/limed/www" test -f "$root/usr/share/limed/www/index.html"
check "limed's compiled-in www default is PREFIX/share/limed/www (OpenWrt's prefix is /usr)" \
    grep -q 'LIMED_WWW_DEFAULT="${CMAKE_INSTALL_PREFIX}/share/limed/www"' "$src/src/limed/CMakeLists.txt"

cfg=$root/etc/config/limed
init=$root/etc/init.d/limed
uciget() { sed -n "s/^[[:space:]]*option $1 '\(.*\)'/\1/p" "$cfg"; }
check "/etc/config/limed www = the installed UI" test "$(uciget www)" = /usr/share/limed/www
check "/etc/config/limed babeld_socket = limed's default" \
    sh -c "grep -q '\"/var/run/babeld.sock\"' '$src'/src/limed/*.c && test '$(uciget babeld_socket)' = /var/run/babeld.sock"
for opt in $(sed -n 's/.*config_get\(_bool\)\{0,1\} [a-z_]* main \([a-z_]*\).*/\2/p' "$init"); do
    check "init script option $opt is in /etc/config/limed" sh -c "grep -q \"option $opt \" '$cfg'"
done
for flag in $(grep -o -- '--[a-z][a-z-]*' "$init" | sort -u); do
    check "limed accepts $flag (init script)" grep -q "{\"${flag#--}\"," "$src/src/limed/main.c"
done
check "the init script starts /usr/sbin/limed" grep -q '^PROG=/usr/sbin/limed$' "$init"
check "the init script runs the installed lime-apply" test -x "$root/usr/bin/lime-apply"
check "procd respawns limed" grep -q 'procd_set_param respawn' "$init"
check "a change of /etc/config/limed reloads limed" grep -q 'procd_add_reload_trigger limed' "$init"

defaults=$(python3 - "$src/src/config/defaults.c" <<'PY'
import re, sys
s = open(sys.argv[1]).read()
b = s[re.search(r'\w*BUILTIN_DEFAULTS\[\]\s*=', s).start():]
b = b[:b.index(';')]
sys.stdout.write(''.join(eval('"' + m + '"') for m in re.findall(r'"((?:[^"\\]|\\.)*)"', b)))
PY
)
check "lime-defaults = lime-config's built-in copy (src/config/defaults.c)" \
    sh -c 'test "$(grep -v "^#" "$1" | sed "1{/^$/d}")" = "$2"' _ "$root/etc/config/lime-defaults" "$defaults"
check "lime-defaults keep_on_upgrade names the keep.d list" \
    sh -c "grep -q \"keep_on_upgrade '.*libremesh\" '$root/etc/config/lime-defaults' && test -f '$root/lib/upgrade/keep.d/libremesh'"
check "first boot runs lime-config" grep -q '/usr/bin/lime-config' "$root/etc/uci-defaults/91_lime-config"

hooks=$(sed -n 's|.*"\(/usr/share/shared-state/hooks\)".*|\1|p' "$src/src/limed/sharedstate.c")
check "the dnsmasq hook is in limed's shared-state hooks dir ($hooks)" \
    test -x "$root$hooks/dnsmasq-leases/90-reload-dnsmasq"
check "shared-state has a dnsmasq-leases type" grep -rq '"dnsmasq-leases"' "$src/src/state"
check "the hook's hosts file is the one limed writes" \
    sh -c "grep -q '/tmp/dhcp.hosts_remote' '$src/src/limed/sharedstate.c' && grep -q '/tmp/dhcp.hosts_remote' '$root$hooks/dnsmasq-leases/90-reload-dnsmasq'"
check "shared-state-async takes dnsmasq's add|old|del events" grep -q 'add|old|del MAC IP' "$src/src/state/cli.c"
for f in /usr/share/nftables.d/ruleset-post/lime-proto-anygw_anycast-rules.nft \
         /etc/dnsmasq.d/lime-proto-anygw-20-ipv6.conf; do
    check "lime-apply watches $f, which lime-config writes" \
        sh -c "grep -q '$f' '$root/usr/bin/lime-apply' && grep -rqF '$(basename "$f")' '$src/src/config'"
done

# --- packaging metadata ----------------------------------------------------------
check "limed links json-c, libmnl, libmicrohttpd, zlib dynamically: DEPENDS on them" \
    sh -c "pkg_deps=\"$(pkg_of limed 2)\"; for d in +libjson-c +libmnl +libmicrohttpd +zlib; do echo \" \$pkg_deps \" | grep -q \" \$d \" || exit 1; done"
for d in +babeld +dnsmasq-dhcpv6 +kmod-batman-adv +firewall4; do
    check "lime-config DEPENDS on $d" sh -c "echo ' $(pkg_of lime-config 2) ' | grep -q ' $d '"
done
check "lime-config conflicts with upstream's lime-system" test "$(pkg_of lime-config 4)" = lime-system
check "limed-www is architecture-independent" test "$(pkg_of limed-www 5)" = all

# --- shell scripts ---------------------------------------------------------------
for f in $(find "$root" -type f -perm -u+x); do
    head -c 2 "$f" | grep -q '#!' || continue
    check "sh -n $(echo "$f" | sed "s|$root||")" dash -n "$f"
    if command -v shellcheck >/dev/null; then
        # procd/rc.common functions and variables come from /etc/rc.common
        if out=$(shellcheck -s sh -e SC2034,SC2154,SC3043 "$f" 2>&1); then ok; else
            fail "shellcheck $(echo "$f" | sed "s|$root||"): $out"
        fi
    fi
done

# --- the installed links, run ----------------------------------------------------
if [ -n "$multicall" ]; then
    cp -a "$src/tests/fixtures/worked-example" "$work/node"
    if $emu "$root/usr/bin/lime-config" --root "$work/node" --print-plan --json >"$work/plan" 2>"$work/plan.err" &&
       grep -q '"hostname":"LiMe-1c84d1"' "$work/plan"; then ok; else
        fail "installed lime-config link: $(head -5 "$work/plan.err")"
    fi
    if $emu "$root/usr/sbin/limed" --help 2>&1 | grep -q -- '--lime-apply'; then ok; else
        fail "installed limed --help"
    fi
    $emu "$root/usr/bin/shared-state-async" >/dev/null 2>"$work/ss.err"
    if [ $? = 1 ] && grep -q 'usage: shared-state-async' "$work/ss.err"; then ok; else
        fail "installed shared-state-async link"
    fi
fi

echo "$((checks - fails)) passed, $fails failed"
[ "$fails" -eq 0 ]
