#!/usr/bin/env bash
# Roaming outage on lime-sim (full stack): line n1-n2-n3, a phone at n1 pings a server phone
# at n3 every 20 ms. Baseline: longest gap in 10 s without moving. Roaming: the phone moves
# n1 -> n2 (and renews its lease); longest gap around the move. Prints ms and the ratio.
source "$(dirname "$0")/sim_lib.sh"
sim up line:3 >/dev/null
sim client add srv --at n3 >/dev/null
sim client add ph --at n1 >/dev/null
dst=$(client_ip srv)
wait_for 60 sx ph ping -c1 -W1 "$dst" || { echo "sim_roaming: no path"; exit 1; }
sx ph ping -D -n -i 0.02 -W 1 -w 10 "$dst" > "$BTMP/base" 2>&1
a=$(max_gap "$BTMP/base")
for to in n2 n3 n1; do
    sx ph ping -D -n -i 0.02 -W 1 -w 12 "$dst" > "$BTMP/roam_$to" 2>&1 & p=$!
    sleep 3; t=$(now); sim client move ph --to $to >/dev/null; wait $p
    echo "$(outage "$BTMP/roam_$to" "$t")" > "$BTMP/out_$to"
done
b=$(cat "$BTMP"/out_* | sort -n | tail -1)
all=$(for to in n2 n3 n1; do echo -n "$to:$(cat "$BTMP/out_$to")ms "; done)
echo "sim_roaming: no move (baseline) max gap ${a} ms; roaming outage (worst of 3 moves) ${b} ms [$all]; ratio $(awk -v a="$a" -v b="$b" 'BEGIN { printf "%.1f", (a > 0 ? b / a : 0) }')x"
