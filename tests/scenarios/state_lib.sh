# Helpers for shared-state scenarios: a line of N network namespaces (ssl<pid>-0 ...), joined by
# plain veths created inside the namespaces (no host-side interfaces), each running
# `shared-state-async peer` with link-local multicast discovery on its links.
# Everything is removed on exit (ss_cleanup, installed as the EXIT trap).
set -euo pipefail

SS_BIN=${SS_BIN:-${LIME_BINARY_DIR:-/work/main/build}/src/state/shared-state-async}
# The PID keeps two runs (a developer's and `make check`) from sharing namespaces.
SS_NS_PREFIX=${SS_NS_PREFIX:-ssl}$$-
SS_TMP=$(mktemp -d /tmp/ss-scenario.XXXXXX)
SS_PIDS=()
SS_N=0
SS_EXTRA_NS=()

ss_cleanup() {
    local pid i
    for pid in "${SS_PIDS[@]:-}"; do
        [ -n "$pid" ] && kill "$pid" 2>/dev/null || true
    done
    for pid in "${SS_PIDS[@]:-}"; do
        [ -n "$pid" ] && wait "$pid" 2>/dev/null || true
    done
    for ((i = 0; i < SS_N; i++)); do
        ip netns del "${SS_NS_PREFIX}$i" 2>/dev/null || true
    done
    for i in "${SS_EXTRA_NS[@]:-}"; do
        [ -n "$i" ] && ip netns del "$i" 2>/dev/null || true
    done
    rm -rf "$SS_TMP"
}

ss_fail() {
    echo "FAIL: $*" >&2
    for f in "$SS_TMP"/*.log; do
        [ -f "$f" ] && { echo "--- $f"; tail -n 20 "$f"; } >&2
    done
    exit 1
}

ss_ns() { echo "${SS_NS_PREFIX}$1"; }

# ss_make_line N: namespaces 0..N-1; node i has "rgt" towards i+1 and "lft" towards i-1.
ss_make_line() {
    SS_N=$1
    local i
    for ((i = 0; i < SS_N; i++)); do
        ip netns del "$(ss_ns $i)" 2>/dev/null || true
        ip netns add "$(ss_ns $i)"
        ip netns exec "$(ss_ns $i)" sysctl -qw net.ipv6.conf.all.disable_ipv6=0 \
            net.ipv6.conf.default.disable_ipv6=0 net.ipv6.conf.all.accept_dad=0 \
            net.ipv6.conf.default.accept_dad=0
        ip -n "$(ss_ns $i)" link set lo up
    done
    for ((i = 0; i + 1 < SS_N; i++)); do
        ip -n "$(ss_ns $i)" link add rgt type veth peer name lft netns "$(ss_ns $((i + 1)))"
    done
    for ((i = 0; i < SS_N; i++)); do
        ip -n "$(ss_ns $i)" link set rgt up 2>/dev/null || true
        ip -n "$(ss_ns $i)" link set lft up 2>/dev/null || true
    done
}

# ss_start i [extra daemon args...]
ss_start() {
    local i=$1
    shift
    local ifs=()
    ip -n "$(ss_ns $i)" link show lft >/dev/null 2>&1 && ifs+=(-i lft)
    ip -n "$(ss_ns $i)" link show rgt >/dev/null 2>&1 && ifs+=(-i rgt)
    ip netns exec "$(ss_ns $i)" "$SS_BIN" --socket "$SS_TMP/n$i.sock" peer --hostname "n$i" \
        "${ifs[@]}" --state-dir "$SS_TMP/state$i" --hello-ms 500 "$@" \
        >"$SS_TMP/n$i.log" 2>&1 &
    SS_PIDS[$i]=$!
}

ss_stop() {
    local i=$1
    kill "${SS_PIDS[$i]}" 2>/dev/null || true
    wait "${SS_PIDS[$i]}" 2>/dev/null || true
    SS_PIDS[$i]=""
}

# ss_cli i VERB ARGS...
ss_cli() {
    local i=$1
    shift
    SS_SOCKET="$SS_TMP/n$i.sock" "$SS_BIN" "$@"
}

# ss_wait SECONDS CMD...: polls CMD every 0.1 s until it succeeds.
ss_wait() {
    local deadline=$((SECONDS + $1))
    shift
    while ((SECONDS < deadline)); do
        "$@" >/dev/null 2>&1 && return 0
        sleep 0.1
    done
    "$@" >/dev/null 2>&1
}

ss_has_key() { # i TYPE KEY (output captured first: no SIGPIPE under pipefail)
    local out
    out=$(ss_cli "$1" get "$2") && [[ "$out" == *"\"$3\""* ]]
}
ss_neigh_count() { ss_cli "$1" discover | wc -l; }
ss_has_neighbours() { [ "$(ss_neigh_count "$1")" -ge "$2" ]; }
now_ms() { date +%s%3N; }
