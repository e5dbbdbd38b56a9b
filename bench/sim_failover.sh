#!/usr/bin/env bash
# Gateway failover on lime-sim (full stack, default settings): ring n1..n6, gateways n1 and
# n4, a phone at n2 fetching from the internet every 50 ms (bench/sim_probe.py, which also
# says which gateway's address the internet saw). Outage = the longest gap between two
# successes that ends after the event (the event's command itself takes a moment to bite,
# so "the first success after it" would often come before the cut). In order:
#  (0) baseline: the radio link n1-n2 is cut; Babel alone reroutes (hello loss);
#  (a) failover: n1's uplink is cut (its WAN loses carrier); traffic must go through n4;
#  (b) failback: n1's uplink is back; time until the phone's traffic leaves through n1;
#  (c) fallback: n1's uplink is cut again; back to n4, the gateway n2 used before (what
#      Babel's feasibility condition was blamed for: 20-27 s);
#  (d) blackhole: n1's uplink is up (carrier kept) but nothing comes back (nft drops its
#      frames in the internet namespace): only the probe can tell;
#  (e) flapping: n4's uplink (a gateway that has not flapped yet) goes down and up every
#      4 s for 32 s, watched by a second phone at n5 (whose nearest gateway is n4); how
#      often that phone changed gateway, and how long n4 stays held down (dampening).
# Prints each figure in ms; a-d against the baseline (ratio).
source "$(dirname "$0")/sim_lib.sh"
sim up ring:6 --gateway n1 --gateway n4 >/dev/null
sim client add ph --at n2 >/dev/null
g1=$(wan_ip n1)
inet=ls-${LIME_SIM_INSTANCE}-inet
# outage FILE T: the longest gap (ms) between consecutive successes ending after T
outage() { sed -n 's/^\[\([0-9.]*\)\].*bytes from.*/\1/p' "$1" | awk -v t="$2" 'NR > 1 && $1 > t { g = ($1 - p) * 1000; if (g > m) m = g } { p = $1 } END { if (m) printf "%d\n", m; else print "none" }'; }
via1() { [[ "$(sx ph curl -s -m 2 http://198.51.100.1/whoami)" == "$g1" ]]; }
# Babel may prefer n4 for a while after n1 (re-)announces: events start only once n2 routes
# via n1 on three checks in a row.
n2_via_n1() { for k in 1 2 3; do sx n2 ip -4 route show default proto babel | grep -q 'via 10.13.1.1 ' || return 1; sleep 1; done; via1; }
probe() { sx "${PH:-ph}" python3 bench/sim_probe.py 198.51.100.1 "$2" whoami > "$1" 2>&1; }
settle() { wait_for 120 via1 && wait_for 120 n2_via_n1 || { echo "sim_failover: n2 does not settle on n1 ($1)"; exit 1; }; }
# ms from epoch $2 to the first answer via address $3 in probe output $1 ("none" if never)
switch_to() { sed -n "s/^\[\([0-9.]*\)\].* via $3\$/\1/p" "$1" | awk -v t="$2" '$1 > t { printf "%d\n", ($1 - t) * 1000; f = 1; exit } END { if (!f) print "none" }'; }
# the internet namespace drops every frame of n1's uplink (its bridge port g0), both ways
hole() { ip netns exec "$inet" nft -f - <<'NFT'
table bridge lsbench_hole {
  chain c_in { type filter hook input priority -200; iifname "g0" drop; }
  chain c_fwd { type filter hook forward priority -200; iifname "g0" drop; oifname "g0" drop; }
  chain c_out { type filter hook output priority -200; oifname "g0" drop; }
}
NFT
}
unhole() { ip netns exec "$inet" nft delete table bridge lsbench_hole 2>/dev/null; }
trap 'unhole; "$SIM" down >/dev/null 2>&1; [[ -n "${BENCH_KEEP:-}" ]] && cp -r "$BTMP" "$BENCH_KEEP"; rm -rf "$BTMP"' EXIT
settle start

event() { # event NAME SECS CMD...: probe for SECS s, run CMD 4 s in; sets T
    local f=$BTMP/$1 secs=$2; shift 2
    probe "$f" "$secs" & local p=$!
    sleep 4; T=$(now); "$@"; wait $p
}
event base 30 sim link down n1 n2
b=$(outage "$BTMP/base" "$T")
sim link up n1 n2; settle baseline

event fail 24 sim uplink down n1
a=$(outage "$BTMP/fail" "$T")
event back 24 sim uplink up n1
bk=$(switch_to "$BTMP/back" "$T" "$g1")
settle failback

event fail2 24 sim uplink down n1
c=$(outage "$BTMP/fail2" "$T")
sim uplink up n1; settle fallback

event hole 24 hole
d=$(outage "$BTMP/hole" "$T")
unhole; settle blackhole

g4=$(wan_ip n4)
sim client add pf --at n5 >/dev/null
via4() { [[ "$(sx pf curl -s -m 2 http://198.51.100.1/whoami)" == "$g4" ]]; }
wait_for 120 via4 || { echo "sim_failover: the phone at n5 does not use n4"; exit 1; }
flap() { for k in 1 2 3 4; do sim uplink down n4; sleep 4; sim uplink up n4; sleep 4; done; }
PH=pf event flap 75 flap
# gateway changes seen by the phone from the first cut on; when n4 carried traffic last
changes=$(awk -v t="$T" '{ ts = substr($1, 2, length($1) - 2) } ts > t { w = $NF; if (p != "" && w != p) n++; p = w } END { print n + 0 }' "$BTMP/flap")
end=$(awk -v t="$T" 'BEGIN { printf "%.3f", t + 32 }')
last4=$(sed -n "s/^\[\([0-9.]*\)\].* via $g4\$/\1/p" "$BTMP/flap" | tail -1)
held=$(awk -v e="$end" -v l="${last4:-0}" -v s="$(tail -1 "$BTMP/flap" | sed 's/^\[\([0-9.]*\)\].*/\1/')" \
    'BEGIN { if (l > e) printf "back after %d ms", (l - e) * 1000; else printf "still held down %d ms after the flapping stopped", (s - e) * 1000 }')

r() { awk -v a="$1" -v b="$b" 'BEGIN { if (a == "none") print "-"; else printf "%.1f", a / b }'; }
echo "sim_failover: Babel link reroute (baseline) ${b} ms"
echo "sim_failover: gateway uplink failover ${a} ms (ratio $(r "$a")x)"
echo "sim_failover: failback to the returning gateway ${bk} ms (ratio $(r "$bk")x)"
echo "sim_failover: fallback to a gateway used before ${c} ms (ratio $(r "$c")x)"
echo "sim_failover: uplink blackholed, carrier kept ${d} ms (ratio $(r "$d")x)"
echo "sim_failover: flapping uplink (4 cuts in 32 s): ${changes} gateway changes seen by the phone at n5; n4 ${held}"
