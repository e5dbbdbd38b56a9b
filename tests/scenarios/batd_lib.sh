# shellcheck shell=bash
# batd_lib.sh — helpers shared by the batd scenarios (tests/scenarios/batd_*.sh) and
# benchmarks (bench/batd_*.sh). Sourced, never run. Builds on lib/netns.sh.
#
#   bt_init TAG             nsl_init --unique "bt<TAG>", locate the batd binary ($BATD) or fail.
#   bt_mac NODE IDX         deterministic MAC 02:b7:00:00:NODE:IDX (hex of the numbers).
#   bt_start NODE [batd options...] -- HARDIF...
#                           start batd inside bt<TAG><NODE> with a per-node --ctl socket
#                           and log ($NSL_TMP/<NODE>[.<softif>].log); remembers its pid
#                           in BT_PID[<NODE>/<softif>]. Uses --orig-interval $BT_OI.
#   bt_up NODE IP [SOFTIF]  wait for the soft interface, bring it up with IP/24.
#   bt_ctl NODE [SOFTIF] -- ARGS...   `batd ctl --ctl <sock> ARGS` in the node.
#   bt_originators NODE [SOFTIF]      originator MACs the node lists, one per line.
#   bt_has_originators NODE SOFTIF MAC...   true when all MACs are listed.
#   bt_ping NODE IP [TIMEOUT]         one ping (-W TIMEOUT s, default 1).
#   bt_bcast_listen NODE IFACE OUT MARK  count frames carrying MARK<k>| arriving on IFACE
#                           (outgoing copies ignored); writes "<k> <count>" lines to OUT
#                           when it gets SIGTERM. NSL_LASTPID is its pid.
#   bt_bcast_send NODE IP_BCAST N MARK [IFACE [FIRST]]
#                           send N UDP broadcasts MARK<FIRST>|..MARK<FIRST+N-1>| from NODE
#                           out of IFACE (default bat0; FIRST default 0).
#   bt_dump_logs            print the tail of every batd log (called on failure).

# shellcheck source=lib/netns.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/netns.sh"

BT_OI=${BT_OI:-500}
declare -A BT_PID=()
declare -A BT_SOCK=()

bt_find_batd() {
    local here cand
    here=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
    for cand in "${BATD:-}" "${LIME_BINARY_DIR:+$LIME_BINARY_DIR/src/batd/batd}" \
                "$here/build-batdtest/src/batd/batd" "$here/build/src/batd/batd"; do
        [[ -n "$cand" && -x "$cand" ]] && { echo "$cand"; return 0; }
    done
    return 1
}

bt_init() {
    nsl_init --unique "bt$1"
    BATD=$(bt_find_batd) || nsl_fail "no batd binary"
    nsl_log "batd: $BATD  orig-interval: $BT_OI ms"
    trap 'rc=$?; bt_finish $rc; rc=$?; nsl_cleanup; exit $rc' EXIT
}

# Exit hook: stops every batd (so sanitizer leak reports get written), turns a passing run
# into a failure if any batd log holds a sanitizer report, dumps logs on failure.
bt_finish() {
    local rc=$1 key f bad=0
    if ((rc != 0 && rc != 77)); then bt_dump_state; fi
    for key in "${!BT_PID[@]}"; do nsl_stop "${BT_PID[$key]}"; done
    for f in "$NSL_TMP"/*.log; do
        [[ -f "$f" ]] || continue
        if grep -qE 'ERROR: (Address|Leak)Sanitizer|runtime error:' "$f"; then
            nsl_log "FAIL: sanitizer report in $(basename "$f"):"
            grep -E -A12 'ERROR: (Address|Leak)Sanitizer|runtime error:' "$f" | head -40 >&2
            bad=1
        fi
    done
    ((bad && (rc == 0 || rc == 77))) && rc=1
    ((rc != 0 && rc != 77)) && bt_dump_logs
    return "$rc"
}

bt_mac() { printf '02:b7:00:00:%02x:%02x\n' "$1" "$2"; }

bt_start() {
    local node=$1; shift
    local opts=() softif=bat0
    while (($#)) && [[ "$1" != -- ]]; do
        [[ "$1" == --soft-if ]] && softif=$2
        opts+=("$1"); shift
    done
    [[ "${1:-}" == -- ]] && shift
    local key="$node/$softif"
    local sock="$NSL_TMP/$node.$softif.sock"
    BT_SOCK[$key]=$sock
    nsl_bg "$node" "$NSL_TMP/$node.$softif.log" \
        "$BATD" --orig-interval "$BT_OI" --ctl "$sock" "${opts[@]}" "$@"
    BT_PID[$key]=$NSL_LASTPID
}

bt__softif_exists() { nx "$1" ip link show dev "$2" >/dev/null 2>&1; }

bt_up() {
    local node=$1 ip=$2 softif=${3:-bat0}
    nsl_wait_until 30 bt__softif_exists "$node" "$softif" \
        || nsl_fail "$node: $softif did not appear within 30 s"
    nx "$node" ip link set "$softif" up
    [[ -n "$ip" ]] && nx "$node" ip addr add "$ip/24" brd + dev "$softif"
    return 0
}

bt_ctl() {
    local node=$1 softif=bat0
    shift
    [[ "${1:-}" != -- ]] && { softif=$1; shift; }
    [[ "${1:-}" == -- ]] && shift
    nx "$node" "$BATD" ctl --ctl "${BT_SOCK[$node/$softif]}" "$@"
}

# Prints the MACs of a JSON table's entries under KEY (or, for non-JSON output, the first
# MAC of every line), one per line. Tolerates a list of objects or an object holding one.
bt__macs_of() {
    local key=$1
    python3 -c '
import json, re, sys
key = sys.argv[1]
text = sys.stdin.read()
mac = re.compile(r"^([0-9a-f]{2}:){5}[0-9a-f]{2}$", re.I)
out = []
try:
    data = json.loads(text)
    def walk(x):
        if isinstance(x, dict):
            v = x.get(key)
            if isinstance(v, str) and mac.match(v):
                out.append(v.lower())
            for y in x.values():
                if isinstance(y, (list, dict)):
                    walk(y)
        elif isinstance(x, list):
            for y in x:
                walk(y)
    walk(data)
except ValueError:
    for line in text.splitlines():
        m = re.search(r"([0-9a-f]{2}:){5}[0-9a-f]{2}", line, re.I)
        if m and not line.lstrip().startswith("["):
            out.append(m.group(0).lower())
print("\n".join(sorted(set(out))))
' "$key"
}

bt_originators() {
    bt_ctl "$1" "${2:-bat0}" -- originators --json 2>/dev/null | bt__macs_of orig_address
}

bt_has_originators() {
    local node=$1 softif=$2; shift 2
    local have m
    have=$(bt_originators "$node" "$softif")
    for m in "$@"; do grep -qx "$m" <<<"$have" || return 1; done
    return 0
}

# Next hop (neigh_address) of NODE's best route toward originator ORIG ("" if none).
bt_nexthop() {
    local node=$1 softif=$2 orig=$3
    bt_ctl "$node" "$softif" -- originators --json 2>/dev/null | python3 -c '
import json, re, sys
want = sys.argv[1].lower()
text = sys.stdin.read()
try:
    data = json.loads(text)
except ValueError:
    for line in text.splitlines():
        macs = re.findall(r"(?:[0-9a-f]{2}:){5}[0-9a-f]{2}", line, re.I)
        if line.lstrip().startswith("*") and len(macs) >= 2 and macs[0].lower() == want:
            print(macs[1].lower()); break
    sys.exit(0)
entries = []
def walk(x):
    if isinstance(x, dict):
        if str(x.get("orig_address", "")).lower() == want and "neigh_address" in x:
            entries.append(x)
        for y in x.values():
            if isinstance(y, (list, dict)): walk(y)
    elif isinstance(x, list):
        for y in x: walk(y)
walk(data)
best = [e for e in entries if e.get("best")] or sorted(entries, key=lambda e: -int(e.get("tq", 0)))
if best: print(str(best[0]["neigh_address"]).lower())
' "$orig"
}

bt_ping() { nx "$1" ping -n -q -c1 -W "${3:-1}" "$2" >/dev/null 2>&1; }

bt__write_helpers() {
    [[ -f "$NSL_TMP/bcast_listen.py" ]] && return 0
    cat >"$NSL_TMP/bcast_listen.py" <<'EOF'
# Counts frames arriving on an interface whose payload contains MARK<k>| (k = decimal).
import collections, re, signal, socket, sys
iface, out, mark = sys.argv[1], sys.argv[2], sys.argv[3].encode()
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(3))  # ETH_P_ALL
s.bind((iface, 0))
pat = re.compile(re.escape(mark) + rb"(\d+)\|")
counts = collections.Counter()
def done(*_):
    with open(out, "w") as f:
        for k in sorted(counts):
            f.write("%d %d\n" % (k, counts[k]))
    sys.exit(0)
signal.signal(signal.SIGTERM, done)
open(out + ".ready", "w").close()
while True:
    data, addr = s.recvfrom(65535)
    if addr[2] == socket.PACKET_OUTGOING:
        continue
    m = pat.search(data)
    if m:
        counts[int(m.group(1))] += 1
EOF
    cat >"$NSL_TMP/bcast_send.py" <<'EOF'
# Sends N UDP broadcasts MARK<k>| (k = FIRST..FIRST+N-1) to IP:9 on IFACE, 50 ms apart.
import socket, sys, time
iface, ip, n, mark, first = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4], int(sys.argv[5])
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)
s.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, iface.encode())
for k in range(first, first + n):
    s.sendto(("%s%d|" % (mark, k)).encode() + b"x" * 32, (ip, 9))
    time.sleep(0.05)
EOF
}

bt_bcast_listen() {
    local node=$1 iface=$2 out=$3 mark=$4
    bt__write_helpers
    rm -f "$out" "$out.ready"
    nsl_bg "$node" "$out.log" python3 "$NSL_TMP/bcast_listen.py" "$iface" "$out" "$mark"
    nsl_wait_until 30 test -f "$out.ready" || nsl_fail "$node: broadcast listener did not start"
}

bt_bcast_send() {
    local node=$1 ip=$2 n=$3 mark=$4 iface=${5:-bat0} first=${6:-0}
    bt__write_helpers
    nx "$node" python3 "$NSL_TMP/bcast_send.py" "$iface" "$ip" "$n" "$mark" "$first" \
        || nsl_fail "$node: broadcast sender failed"
}

# On failure: every live daemon's tables and non-zero counters, for diagnosis.
bt_dump_state() {
    local key node softif what
    for key in $(printf '%s\n' "${!BT_PID[@]}" | sort); do
        node=${key%/*}; softif=${key#*/}
        kill -0 "${BT_PID[$key]}" 2>/dev/null || { echo "---- $key: batd not running" >&2; continue; }
        for what in originators neighbors translocal transglobal; do
            echo "---- $key: batd ctl $what" >&2
            timeout 5 ip netns exec "$NSL_PREFIX$node" "$BATD" ctl --ctl "${BT_SOCK[$key]}" "$what" 2>&1 | head -40 >&2
        done
        echo "---- $key: non-zero statistics" >&2
        timeout 5 ip netns exec "$NSL_PREFIX$node" "$BATD" ctl --ctl "${BT_SOCK[$key]}" statistics 2>&1 \
            | grep -v ': 0$' | tr -s '\t\n' ' ' >&2
        echo >&2
    done
}

bt_dump_logs() {
    local f
    for f in "$NSL_TMP"/*.log; do
        [[ -f "$f" ]] || continue
        echo "---- $(basename "$f") (last 15 lines)" >&2
        tail -n 15 "$f" >&2
    done
}
