#!/usr/bin/env bash
# Benchmark: shared-state propagation and bytes per sync.
#  1. Propagation over a 10-hop line (11 namespaces, plain veths): an insert at n0 until
#     it is readable at n10. LiMe-C (sync ~150 ms after a change, delta slices) against
#     a baseline run in the same script: the same daemons with upstream's behaviour
#     (--no-change-sync --full-every 1: only periodic, full-table syncs) and the
#     interval shrunk from 33 s to 1 s; upstream's real figure is that times 33.
#  2. Bytes on the wire for the exchange that carries one changed entry, with 10, 100 and
#     1000 entries in the table: LiMe-C (delta) vs full table every time (compact JSON,
#     measured) vs upstream (full table, pretty-printed as its serialiser writes it,
#     computed from the same table). Bytes count both directions of the TCP payload.
# Needs root. Skips (exit 0) when shared-state-async is not built.
set -euo pipefail
export SS_NS_PREFIX=ssb
export LIME_BINARY_DIR=${LIME_BINARY_DIR:-$(cd "$(dirname "$0")/.." && pwd)/build}
source "$(dirname "$0")/../tests/scenarios/state_lib.sh"
trap ss_cleanup EXIT
[ -x "$SS_BIN" ] || { echo "state_sync: $SS_BIN not built, skipped"; exit 0; }

restart_line() { # restart_line N daemon-args...
    local n=$1 i
    shift
    for ((i = 0; i < SS_N; i++)); do [ -n "${SS_PIDS[$i]:-}" ] && ss_stop $i; done
    for ((i = 0; i < SS_N; i++)); do ip netns del "$(ss_ns $i)" 2>/dev/null || true; done
    rm -rf "$SS_TMP"/state*
    ss_make_line "$n"
    for ((i = 0; i < n; i++)); do ss_start $i "$@"; done
    for ((i = 0; i < n; i++)); do
        local want=2
        ((i == 0 || i == n - 1)) && want=1
        ss_wait 20 ss_has_neighbours $i $want || ss_fail "n$i has no neighbours"
    done
    sleep 1
}

propagate() { # -> ms from insert at n0 to readable at the last node
    local last=$((SS_N - 1)) t0 t1
    t0=$(now_ms)
    echo "{\"probe$1\":1}" | ss_cli 0 insert node_info
    ss_wait 120 ss_has_key $last node_info "probe$1" || ss_fail "no propagation"
    t1=$(now_ms)
    echo $((t1 - t0))
}

median() { printf '%s\n' "$@" | sort -n | sed -n "$((($# + 1) / 2))p"; }
echo "== propagation over 10 hops (median of 3 runs each)"
runs=()
for r in 1 2 3; do
    restart_line 11
    runs+=("$(propagate a$r)")
done
ours=$(median "${runs[@]}")
echo "LiMe-C runs: ${runs[*]} ms"
runs=()
for r in 1 2 3; do
    restart_line 11 --no-change-sync --full-every 1 --interval-scale 0.0303
    runs+=("$(propagate b$r)")
done
base=$(median "${runs[@]}")
echo "baseline runs: ${runs[*]} ms"
echo "LiMe-C:                          ${ours} ms"
echo "upstream behaviour, 1 s period:  ${base} ms   (ratio LiMe-C/baseline $(awk "BEGIN{printf \"%.3f\", $ours/$base}"))"
echo "upstream projected, 33 s period: $((base * 33)) ms"

counter() { ss_cli "$1" counters | python3 -c "import json,sys; print(json.load(sys.stdin)['$2'])"; }
count_keys() { ss_cli "$1" get node_info | python3 -c "import json,sys; print(len(json.load(sys.stdin)))"; }
has_n() { [ "$(count_keys 1)" -ge "$1" ]; }

one_change_bytes() { # N -> bytes of the exchange(s) carrying one change
    local n=$1 b0 b1 a0 a1
    python3 -c "
import json
print(json.dumps({'host%04d' % i: {'hostname': 'host%04d' % i, 'firmware_version': 'LiMe-C 0.1', 'uptime': 1234 + i, 'device': 'Router', 'ipv4': '10.13.%d.%d' % (i // 250, i % 250 + 1)} for i in range($n)}))" |
        ss_cli 0 insert node_info
    ss_wait 30 has_n "$n" || ss_fail "table of $n did not sync"
    sleep 1
    b0=$(counter 0 bytes_out); b1=$(counter 1 bytes_out)
    s0=$(( $(counter 0 syncs_ok) + $(counter 1 syncs_ok) ))
    echo '{"host0000":{"hostname":"host0000","changed":true}}' | ss_cli 0 insert node_info
    ss_wait 10 sh -c "SS_SOCKET=$SS_TMP/n1.sock $SS_BIN get node_info | grep -q changed" || ss_fail "change lost"
    sleep 1
    a0=$(counter 0 bytes_out); a1=$(counter 1 bytes_out)
    s1=$(( $(counter 0 syncs_ok) + $(counter 1 syncs_ok) ))
    echo "$(((a0 - b0) + (a1 - b1))) $((s1 - s0))"

}

upstream_bytes() { # bytes of one upstream exchange of n0's table, pretty-printed, both ways
    ss_cli 0 dump node_info | python3 -c "
import json, sys
t = json.load(sys.stdin)
body = len(json.dumps({'stateSlice': t}, indent=4).encode())
frame = 1 + len('node_info') + 4 + body
print(3 * 4 + 2 * frame + 2 * 4)"
}

echo "== bytes for the exchange carrying one change (both directions)"
printf "%8s %22s %22s %18s %10s\n" entries "LiMe-C B (exchanges)" "full-table B (exch.)" "upstream B/exch." ratio
only_node_info() { # one type only, so that no other type's periodic sync adds bytes
    ss_cli 0 register node_info community 33 2400 && ss_cli 1 register node_info community 33 2400
}
for n in 10 100 1000; do
    restart_line 2 --no-default-types
    only_node_info
    read -r d dx < <(one_change_bytes $n)
    u=$(upstream_bytes)
    restart_line 2 --no-default-types --full-every 1
    only_node_info
    read -r f fx < <(one_change_bytes $n)
    printf "%8d %15d (%3d) %15d (%3d) %18d %10s\n" "$n" "$d" "$dx" "$f" "$fx" "$u" \
        "$(awk "BEGIN{printf \"%.4f\", ($d/($dx>0?$dx:1))/$u}")"
done
echo "B = TCP payload bytes, both directions, for all exchanges one change caused (their number in"
echo "parentheses); upstream = one exchange of the full table, pretty-printed, both ways."
echo "ratio = LiMe-C bytes per exchange / upstream bytes per exchange. Every 10th exchange with a"
echo "peer still carries LiMe-C's full (compact) table."
