#!/usr/bin/env bash
# Roaming outage over Wi-Fi (lime-sim --wifi: mac80211_hwsim radios, hostapd, a phone with
# wpa_supplicant): line n1-n2-n3, n1 the gateway; a phone pings the internet namespace
# (198.51.100.1, through the mesh to n1) every 20 ms and roams between the access points
# n1 -> n2 -> n3 -> n2 -> n1 -> n2 (5 reassociations, same SSID).
#
# Outage of a move: the longest gap between two replies of a ping that runs from 2 s before
# `client move` until 3 s after it returned (the scan before the reassociation is no outage:
# the phone is still associated then). Times are the guest's own (`ping -D`), so no host
# clock is compared with the guest's. Baseline: the longest and the median gap of the same phone in 10 s
# without moving, in the same run. Two phones, so what the mesh costs and what the client
# costs are told apart: a stock Linux one (it drops its ARP cache when the link goes down
# during the roam: arp_evict_nocarrier=1) and one that keeps it (--keep-arp). Each once with
# limed's ARP nudge from the anycast gateway on association (wifi.roam_arp_nudge, default)
# and once without (a second mesh, --option nX:wifi.roam_arp_nudge=0).
#
# Prints worst and median of the 5 moves and their ratio to the baseline's longest gap.
# Takes ~10 min on 2 cores (two guests booted in turn).
source "$(dirname "$0")/sim_lib.sh"
export LIME_SIM_OWNER=$$
DST=198.51.100.1
MOVES=(n2 n3 n2 n1 n2)

# Gaps (ms) between consecutive replies in `ping -D` output $1 with time in [$2, $3], one a line.
gaps() {
    sed -n 's/^\[\([0-9.]*\)\].*bytes from.*/\1/p' "$1" |
        awk -v a="$2" -v b="$3" '$1 >= a && $1 <= b { if (n++) printf "%d\n", ($1 - p) * 1000; p = $1 }'
}
max_of() { sort -n | tail -1; }
median_of() { sort -n | awk '{ v[NR] = $1 } END { if (NR) print v[int((NR + 1) / 2)]; else print "none" }'; }

# run_phone NAME [--keep-arp]: the phone joins n1, baseline, 5 moves; prints one result line.
run_phone() {
    local ph=$1; shift
    sim client add "$ph" --at n1 --wait 90 "$@" >/dev/null || { echo "wifi_roam: $ph did not associate"; return 1; }
    wait_for 60 sx "$ph" ping -c1 -W1 "$DST" || { echo "wifi_roam: $ph does not reach $DST"; return 1; }
    sx "$ph" ping -D -n -i 0.02 -W 1 -w 10 "$DST" > "$BTMP/$ph.base" 2>&1
    local t0 t1 base_max base_med outs=() k=0 to
    base_max=$(gaps "$BTMP/$ph.base" 0 1e11 | max_of)
    base_med=$(gaps "$BTMP/$ph.base" 0 1e11 | median_of)
    for to in "${MOVES[@]}"; do
        k=$((k + 1))
        sx "$ph" stdbuf -oL ping -D -n -i 0.02 -W 1 -w 40 "$DST" > "$BTMP/$ph.m$k" 2>&1 & local p=$!
        sleep 2
        t0=$(now)
        sim client move "$ph" --to "$to" --wait 30 >/dev/null || { echo "wifi_roam: $ph did not roam to $to"; kill $p; return 1; }
        t1=$(now)
        sleep 3
        kill -INT $p 2>/dev/null; wait $p
        outs+=("$(gaps "$BTMP/$ph.m$k" 0 1e11 | max_of)")
        echo "  $ph -> $to: move $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }') s, longest gap ${outs[-1]} ms" >&2
    done
    local worst med list=""
    worst=$(printf '%s\n' "${outs[@]}" | max_of)
    med=$(printf '%s\n' "${outs[@]}" | median_of)
    for k in "${!outs[@]}"; do list+="${MOVES[$k]}:${outs[$k]} "; done
    sim client del "$ph" >/dev/null 2>&1
    echo "$NUDGE $ph: baseline gap max ${base_max} ms (median ${base_med}); roaming outage worst ${worst} ms, median ${med} ms [${list% }]; ratio worst/baseline $(awk -v a="$base_max" -v b="$worst" 'BEGIN { printf "%.1f", (a > 0 ? b / a : 0) }')x"
}

for NUDGE in nudge-on nudge-off; do
    opts=(--gateway n1)
    [[ $NUDGE == nudge-off ]] && for n in n1 n2 n3; do opts+=(--option "$n:wifi.roam_arp_nudge=0"); done
    "$SIM" down >/dev/null 2>&1
    sim up --wifi line:3 "${opts[@]}" >/dev/null || { echo "wifi_roam: up --wifi failed"; exit 1; }
    # the mesh converged first: n2 and n3 have Babel's default route (else the first move
    # measures the convergence: 22.9 s once)
    for n in n2 n3; do
        wait_for 180 sh -c "'$SIM' exec $n -- ip -4 route show default | grep -q 'proto babel'" ||
            { echo "wifi_roam: $n has no default route over the mesh"; exit 1; }
    done
    run_phone stock || exit 1
    run_phone keeparp --keep-arp || exit 1
done
