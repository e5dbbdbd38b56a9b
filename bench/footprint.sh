#!/usr/bin/env bash
# Footprint of what a router installs (docs/performance.md, "footprint"):
#  - per architecture, the stripped size of each binary the openwrt/ feed installs (the
#    multi-call /usr/sbin/limed = limed + lime-config + shared-state-async, and batd),
#    built as `make cross` builds them (the router profile of scripts/cross), and what
#    the three programs would weigh as separate binaries;
#  - the budget: lime-config + limed + shared-state-async <= 300 KB (300 000 bytes) on
#    mipsel, and the UI (www/) <= 60 KB gzip'd (60 000 bytes; tar | gzip -9, as a
#    package carries it);
#  - the ratios against upstream LibreMesh's packages they replace, whose installed
#    sizes were measured once from their sources (docs/performance.md says how).
#
#   bench/footprint.sh [ARCH...]   (default: mipsel armhf arm64 s390x)
#   bench/footprint.sh --flags     mipsel only: what each build choice costs (slow:
#                                  nine builds in build-footprint-*/)
set -euo pipefail
cd "$(dirname "$0")/.."

triplet() {
    case $1 in mipsel) echo mipsel-linux-gnu ;; armhf) echo arm-linux-gnueabihf ;;
               arm64) echo aarch64-linux-gnu ;; s390x) echo s390x-linux-gnu ;; esac
}
tmp=$(mktemp -d /tmp/lime-footprint.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
# stripped size of $2 for architecture $1 (--strip-all, as OpenWrt's default STRIP_ARGS)
ssize() {
    "$(triplet "$1")-strip" --strip-all -o "$tmp/s" "$2"
    stat -c %s "$tmp/s"
}
# bytes of a stripped file that are zero padding between its LOAD segments (the linker
# aligns the writable segment to the 64 KiB max page size of MIPS and arm64 with RELRO;
# squashfs compresses it away, but it is in the file)
padding() {
    "$(triplet "$1")-strip" --strip-all -o "$tmp/s" "$2"
    local pad=0 end=-1 off fs
    while read -r off fs; do
        off=$(printf %d "$off") fs=$(printf %d "$fs")
        ((end < 0)) || pad=$((pad + off - end))
        end=$((off + fs))
    done < <("$(triplet "$1")-readelf" -lW "$tmp/s" | awk '$1 == "LOAD" { print $2, $5 }')
    echo $pad
}
kb() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1000 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

BUDGET=300000
UI_BUDGET=60000

if [[ ${1:-} == --flags ]]; then
    # What each choice costs, mipsel, the three programs a router installs, stripped.
    bash scripts/install-deps --cross mipsel >/dev/null
    tc=$PWD/cmake/cross/mipsel.cmake
    hard="-fstack-protector -D_FORTIFY_SOURCE=1"
    m16="-mips16 -minterlink-mips16 -fno-ipa-ra"
    relro="-Wl,-z,now -Wl,-z,relro"
    page="-Wl,-z,max-page-size=4096"
    variant() { # NAME BUILD_TYPE ROUTER CFLAGS LDFLAGS DESCRIPTION [CMAKE ARGS...]
        local d=build-footprint-$1
        cmake -S . -B "$d" -DCMAKE_TOOLCHAIN_FILE="$tc" -DBUILD_TESTING=OFF \
            -DCMAKE_BUILD_TYPE="$2" -DLIME_ROUTER="$3" -DCMAKE_C_FLAGS="$4" \
            -DCMAKE_EXE_LINKER_FLAGS="$5" "${@:7}" >/dev/null
        local targets=(lime-config limed shared-state-async)
        [[ $3 == ON ]] && targets+=(lime)
        cmake --build "$d" -j "$(nproc)" --target "${targets[@]}" >/dev/null
        local c l s sep
        c=$(ssize mipsel "$d/src/config/lime-config")
        l=$(ssize mipsel "$d/src/limed/limed")
        s=$(ssize mipsel "$d/src/state/shared-state-async")
        sep=$((c + l + s))
        local pad=$(( $(padding mipsel "$d/src/config/lime-config") +
                      $(padding mipsel "$d/src/limed/limed") +
                      $(padding mipsel "$d/src/state/shared-state-async") ))
        if [[ $3 == ON ]]; then
            local m
            m=$(ssize mipsel "$d/src/multicall/lime")
            printf '| %s | %s + %s + %s = %s (%s) | **%s** (%s) | %s |\n' "$6" "$(kb "$c")" \
                "$(kb "$l")" "$(kb "$s")" "$(kb $sep)" "$(kb $pad)" "$(kb "$m")" \
                "$(kb "$(padding mipsel "$d/src/multicall/lime")")" "$(ratio "$m" $BUDGET)"
        else
            printf '| %s | %s + %s + %s = %s (%s) | – | %s |\n' "$6" "$(kb "$c")" "$(kb "$l")" \
                "$(kb "$s")" "$(kb $sep)" "$(kb $pad)" "$(ratio $sep $BUDGET)"
        fi
    }
    echo "| mipsel build (KB stripped; in brackets: alignment padding inside) | lime-config + limed + shared-state-async | multi-call | ÷ 300 KB |"
    echo "|---|---|---|---|"
    variant 1 RelWithDebInfo OFF "" "" "-O2 -g (the native build's flags), PIE (Debian's default)"
    variant 2 MinSizeRel OFF "" "" "-Os"
    variant 3 MinSizeRel OFF "$hard" "$relro" "-Os + OpenWrt's hardening (SSP, FORTIFY=1, RELRO)"
    variant 4 MinSizeRel OFF "$hard $m16" "$relro" "… + MIPS16"
    variant 5 MinSizeRel ON "$hard $m16" "$relro" "… + --gc-sections, hidden symbols, multi-call" \
        -DCMAKE_INTERPROCEDURAL_OPTIMIZATION=OFF
    variant 6 MinSizeRel ON "$hard $m16" "$relro" "… + link-time optimisation (LIME_ROUTER)"
    variant 7 MinSizeRel ON "$hard $m16" "$relro $page" "… + 4 KiB max page size: **the feed's build**"
    variant 8 MinSizeRel ON "$hard $m16 -fno-pie" "$relro $page -no-pie" "the feed's build without PIE (PKG_ASLR_PIE_NONE: small-flash targets)"
    variant 9 MinSizeRel ON "$hard" "$relro $page" "the feed's build without MIPS16 (targets without it)"
    exit 0
fi

archs=("$@")
((${#archs[@]})) || archs=(mipsel armhf arm64 s390x)
echo "== building the router profile (scripts/cross --no-tests ${archs[*]})"
bash scripts/cross --no-tests "${archs[@]}" >/dev/null

echo
echo "== stripped binaries a router installs (bytes; in brackets: alignment padding inside)"
printf '%-7s %20s %16s %10s   %s\n' arch "limed (multi-call)" "batd (optional)" "both" \
    "as 3 separate programs: lime-config + limed + shared-state-async"
for a in "${archs[@]}"; do
    d=build-cross-$a
    m=$(ssize "$a" "$d/src/multicall/lime")
    mp=$(padding "$a" "$d/src/multicall/lime")
    b=$(ssize "$a" "$d/src/batd/batd")
    bp=$(padding "$a" "$d/src/batd/batd")
    c=$(ssize "$a" "$d/src/config/lime-config")
    l=$(ssize "$a" "$d/src/limed/limed")
    s=$(ssize "$a" "$d/src/state/shared-state-async")
    sp=$(( $(padding "$a" "$d/src/config/lime-config") + $(padding "$a" "$d/src/limed/limed") +
           $(padding "$a" "$d/src/state/shared-state-async") ))
    printf '%-7s %20s %16s %10d   %d + %d + %d = %d [%d]\n' "$a" "$m [$mp]" "$b [$bp]" \
        $((m + b)) "$c" "$l" "$s" $((c + l + s)) "$sp"
    [[ $a == mipsel ]] && mips_m=$m
done

echo
echo "== the UI (www/)"
ui_raw=$(find www -type f -printf '%s\n' | awk '{ s += $1 } END { print s }')
ui_gz=$(tar -C www --sort=name --owner=0 --group=0 --mtime=@0 -cf - . | gzip -9n | wc -c)
ui_files_gz=$(find www -type f -exec sh -c 'gzip -9nc "$1" | wc -c' _ {} \; | awk '{ s += $1 } END { print s }')
echo "www/: $ui_raw bytes in $(find www -type f | wc -l) files; tar | gzip -9: $ui_gz bytes (each file gzip'd: $ui_files_gz)"

# Upstream LibreMesh, measured once from the sources (docs/performance.md, "footprint":
# commits and method). Bytes of the files each package installs; the C++
# shared-state-async binary built for mipsel with the same flags as ours.
UP_LIME_SYSTEM=96180      # lime-system (lua lime-config and its modules), lime-packages 8b5ebdb0
UP_PROTOS=16369           # lime-proto-{anygw,babeld,batadv,wan} + lime-hwd-openwrt-wan
UP_SSA_BIN=281800         # shared-state-async db58e3d, mipsel, stripped (48 364 of it padding)
UP_SSA_FILES=6409         # its files/ + the discover script it installs
UP_UBUS=68549             # ubus-lime-{utils,location,metrics} + first-boot-wizard (limed's /ubus)
UP_PUBLISHERS=18449       # shared-state-{dnsmasq_leases,dnsmasq_hosts,node_info,bat_hosts,
                          #   babeld_hosts,babel_links_info,bat_links_info,nodes_and_links}
UP_APP_RAW=761425         # lime-app 0.2.26 build/ (no .map) + files/
UP_APP_GZ=208791          # the same, tar | gzip -9

echo
echo "== against upstream (mipsel)"
up_prog=$((UP_LIME_SYSTEM + UP_PROTOS + UP_SSA_BIN + UP_SSA_FILES))
echo "lime-config + limed + shared-state-async: $mips_m bytes; budget $BUDGET: ratio $(ratio "$mips_m" $BUDGET)"
echo "  upstream lime-system + lime-proto-* + lime-hwd-openwrt-wan + shared-state-async: $up_prog bytes: ratio $(ratio "$mips_m" $up_prog)"
echo "the UI gzip'd: $ui_gz bytes; budget $UI_BUDGET: ratio $(ratio "$ui_gz" $UI_BUDGET)"
echo "  upstream lime-app 0.2.26 gzip'd: $UP_APP_GZ bytes: ratio $(ratio "$ui_gz" $UP_APP_GZ)"
feed_files=$(find openwrt -path '*/files/*' -type f -printf '%s\n' | awk '{ s += $1 } END { print s + 0 }')
ours=$((mips_m + ui_raw + feed_files))
up_all=$((up_prog + UP_UBUS + UP_PUBLISHERS + UP_APP_RAW))
echo "installed: limed + lime-config + limed-www + shared-state-async: $ours bytes (binary $mips_m, UI $ui_raw, feed files $feed_files)"
echo "  upstream packages they replace (the above + ubus-lime-* + first-boot-wizard + 8 shared-state publishers + lime-app): $up_all bytes: ratio $(ratio $ours $up_all)"
((mips_m <= BUDGET)) || echo "OVER BUDGET: mipsel $mips_m > $BUDGET"
((ui_gz <= UI_BUDGET)) || echo "OVER BUDGET: UI $ui_gz > $UI_BUDGET"
