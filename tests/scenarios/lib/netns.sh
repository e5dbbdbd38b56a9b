# shellcheck shell=bash
# netns.sh — small helpers for end-to-end tests in network namespaces.
#
# Source it from a bash test script, then:
#
#   nsl_init PREFIX            every namespace this test creates is named PREFIX<name>
#                              (NSL_PREFIX); leftovers PREFIX* of an earlier run are removed
#                              first. Installs an EXIT/INT/TERM trap that kills what the
#                              test started and deletes its namespaces (also after
#                              failures). Sets NSL_TMP (a scratch dir, removed at exit
#                              unless NSL_KEEP=1).
#   nsl_init --unique BASE     the same, but namespaces are BASE<pid>-<name> (BASE: letters
#                              only), so two runs of one test (CI beside a manual run) never
#                              touch each other; only leftovers BASE<pid>-* of runs whose
#                              pid is gone are removed. Refer to namespaces as
#                              "${NSL_PREFIX}name" (or through nx/nsl_exec).
#   nsl_ns NAME...             create namespace(s) NSL_PREFIX<NAME> with loopback up and IPv6
#                              disabled (set NSL_IPV6=1 to keep IPv6).
#   nsl_exec NAME CMD...       run CMD inside PREFIX<NAME>  (short: nx NAME CMD...).
#   nsl_veth A IFA B IFB [MTU [MACA [MACB]]]
#                              veth pair IFA (in A) <-> IFB (in B), both up.
#   nsl_wire W BR              a bridge BR in namespace W acting as a cuttable "cable"/
#                              shared medium; attach nodes with nsl_wire_port. Cut it with
#                              `nsl_wire_cut W BR`, restore with `nsl_wire_mend W BR`: the
#                              nodes' interfaces keep carrier, frames just stop (like radio
#                              loss, nothing tells the daemons).
#   nsl_wire_loss W BR PCT     drop PCT % of the frames crossing BR, both directions, at
#                              random (nftables in W; 0 = lossless again).
#   nsl_wire_port W BR N IF [MTU [MAC]]
#                              veth IF in node N whose peer is a port of BR in W.
#   nsl_bg NAME LOG CMD...     start CMD in the background inside PREFIX<NAME>, stdout and
#                              stderr to LOG; its PID is in NSL_LASTPID and it is killed at
#                              exit (TERM, then KILL after 2 s).
#   nsl_stop PID               TERM a process started with nsl_bg, wait up to 3 s, KILL.
#   nsl_wait_until SECS CMD... poll CMD every NSL_POLL seconds (default 0.2) until it
#                              succeeds; returns 1 when SECS pass first.
#   nsl_now_ms                 monotonic milliseconds (for measuring convergence).
#   nsl_log MSG / nsl_fail MSG log to stderr; nsl_fail exits 1 (the trap cleans up).
#   nsl_require CMD...         exit 77 ("skipped") when a needed command is missing.
#   nsl_cleanup                what the trap runs; safe to call twice.
#
# Works with and without `set -e` in the caller.
# Rules kept by this library: it only ever touches namespaces whose name starts with the
# prefix, and only kills processes it started or that live in those namespaces.
# Interfaces are created inside the namespaces only, so their names need no prefix.
# Needs root (ip netns). Interface names must stay <= 15 characters.

NSL_PREFIX=""
NSL_BASE=""
NSL_PIDS=()
NSL_POLL=${NSL_POLL:-0.2}
NSL_TMP=""
NSL_CLEANED=0

nsl_log() { printf '[%s %s] %s\n' "$(date +%H:%M:%S.%N | cut -c1-12)" "${NSL_PREFIX:-nsl}" "$*" >&2; }
nsl_fail() { nsl_log "FAIL: $*"; exit 1; }

nsl_require() {
    local c
    for c in "$@"; do
        command -v "$c" >/dev/null 2>&1 || { nsl_log "SKIP: '$c' not installed"; exit 77; }
    done
}

nsl_now_ms() {
    local up
    read -r up _ </proc/uptime
    # /proc/uptime has 10 ms resolution; good enough for protocol deadlines.
    echo $(( ${up%.*} * 1000 + 10#${up#*.} * 10 ))
}

# Delete namespaces whose name starts with $1 and kill the processes inside them (by pid).
nsl__purge() {
    local pre=$1 ns pid
    [[ -n "$pre" ]] || return 0
    for ns in $(ip netns list 2>/dev/null | awk '{print $1}'); do
        [[ "$ns" == "$pre"* ]] || continue
        for pid in $(ip netns pids "$ns" 2>/dev/null); do kill -TERM "$pid" 2>/dev/null || true; done
    done
    sleep 0.3
    for ns in $(ip netns list 2>/dev/null | awk '{print $1}'); do
        [[ "$ns" == "$pre"* ]] || continue
        for pid in $(ip netns pids "$ns" 2>/dev/null); do kill -KILL "$pid" 2>/dev/null || true; done
        ip netns del "$ns" 2>/dev/null || true
    done
}

# Namespaces BASE<pid>-* of runs whose script (pid) is gone: leftovers of a crash.
nsl__purge_stale() {
    local base=$1 ns pid
    for ns in $(ip netns list 2>/dev/null | awk '{print $1}'); do
        [[ "$ns" =~ ^${base}([0-9]+)- ]] || continue
        pid=${BASH_REMATCH[1]}
        kill -0 "$pid" 2>/dev/null && continue
        nsl__purge "$base$pid-"
    done
}

nsl_cleanup() {
    local pid i
    set +e     # runs from the EXIT trap; callers may use `set -e`
    ((NSL_CLEANED)) && return 0
    NSL_CLEANED=1
    for pid in "${NSL_PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null; done
    for _ in 1 2 3 4 5 6 7 8 9 10; do
        local alive=0
        for pid in "${NSL_PIDS[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
        ((alive)) || break
        sleep 0.2
    done
    for pid in "${NSL_PIDS[@]}"; do kill -KILL "$pid" 2>/dev/null; done
    nsl__purge "$NSL_PREFIX"
    if [[ -n "$NSL_TMP" && -d "$NSL_TMP" ]]; then
        if [[ "${NSL_KEEP:-0}" == 1 ]]; then nsl_log "kept $NSL_TMP"; else rm -rf "$NSL_TMP"; fi
    fi
}

nsl_init() {
    local unique=0
    [[ "${1:-}" == --unique ]] && { unique=1; shift; }
    [[ $(id -u) -eq 0 ]] || { echo "SKIP: needs root (network namespaces)" >&2; exit 77; }
    if ((unique)); then
        [[ "$1" =~ ^[a-z]+$ ]] || { echo "nsl_init: bad base '$1' (letters only)" >&2; exit 2; }
        NSL_BASE=$1
        NSL_PREFIX="$1$$-"
        nsl__purge_stale "$NSL_BASE"
    else
        [[ "$1" =~ ^[a-z][a-z0-9-]*$ ]] || { echo "nsl_init: bad prefix '$1'" >&2; exit 2; }
        NSL_BASE=$1
        NSL_PREFIX=$1
        nsl__purge "$NSL_PREFIX"
    fi
    NSL_TMP=$(mktemp -d "/tmp/${NSL_BASE}.XXXXXX")
    trap 'rc=$?; nsl_cleanup; exit $rc' EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
}

nsl_ns() {
    local n
    for n in "$@"; do
        ip netns add "$NSL_PREFIX$n" || nsl_fail "cannot create namespace $NSL_PREFIX$n"
        ip -n "$NSL_PREFIX$n" link set lo up
        # IPv6 off unless asked for: no DAD/RS/MLD chatter disturbing counts and timings.
        if [[ "${NSL_IPV6:-0}" != 1 ]]; then
            ip netns exec "$NSL_PREFIX$n" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 \
                net.ipv6.conf.default.disable_ipv6=1
        fi
    done
}

nsl_exec() { local n=$1; shift; ip netns exec "$NSL_PREFIX$n" "$@"; }
nx() { nsl_exec "$@"; }

nsl_veth() {
    local a=$1 ifa=$2 b=$3 ifb=$4 mtu=${5:-1500} maca=${6:-} macb=${7:-}
    ip -n "$NSL_PREFIX$a" link add "$ifa" mtu "$mtu" type veth peer name "$ifb" mtu "$mtu" \
        netns "$NSL_PREFIX$b" || nsl_fail "veth $a/$ifa <-> $b/$ifb"
    if [[ -n "$maca" ]]; then ip -n "$NSL_PREFIX$a" link set "$ifa" address "$maca"; fi
    if [[ -n "$macb" ]]; then ip -n "$NSL_PREFIX$b" link set "$ifb" address "$macb"; fi
    ip -n "$NSL_PREFIX$a" link set "$ifa" up
    ip -n "$NSL_PREFIX$b" link set "$ifb" up
}

nsl_wire() {
    local w=$1 br=$2
    ip netns list | awk '{print $1}' | grep -qx "$NSL_PREFIX$w" || nsl_ns "$w"
    ip -n "$NSL_PREFIX$w" link add "$br" type bridge stp_state 0 forward_delay 0 ageing_time 30000 \
        || nsl_fail "bridge $br in $w"
    # No IPv6 on the wire: only the nodes' own frames cross it.
    ip netns exec "$NSL_PREFIX$w" sysctl -qw "net.ipv6.conf.$br.disable_ipv6=1"
    ip -n "$NSL_PREFIX$w" link set "$br" up
}

NSL_WIRE_PORTS=0
nsl_wire_port() {
    local w=$1 br=$2 n=$3 ifn=$4 mtu=${5:-1500} mac=${6:-}
    NSL_WIRE_PORTS=$((NSL_WIRE_PORTS + 1))
    local port="p${NSL_WIRE_PORTS}"
    nsl_veth "$n" "$ifn" "$w" "$port" "$mtu" "$mac"
    ip netns exec "$NSL_PREFIX$w" sysctl -qw "net.ipv6.conf.$port.disable_ipv6=1"
    ip -n "$NSL_PREFIX$w" link set "$port" master "$br" || nsl_fail "port $port -> $br"
}

nsl_wire_cut()  { ip -n "$NSL_PREFIX$1" link set "$2" down; }

# nsl_wire_loss W BR PCT: from now on drop PCT % of the frames BR forwards, at random, in
# both directions (nftables, bridge family, in W; PCT 0 removes the loss). Needs nft.
nsl_wire_loss() {
    local w=$1 br=$2 pct=$3 port rules=""
    for port in $(ip -n "$NSL_PREFIX$w" -o link show master "$br" | awk -F': ' '{print $2}' | cut -d@ -f1); do
        if ((pct > 0)); then rules+="  iifname \"$port\" numgen random mod 100 < $pct drop
"; fi
    done
    ip netns exec "$NSL_PREFIX$w" nft -f - <<EOF || nsl_fail "nft: cannot set loss on $br"
table bridge nsl_loss {
  chain $br {
    type filter hook forward priority 0; policy accept;
  }
}
flush chain bridge nsl_loss $br
table bridge nsl_loss {
  chain $br {
$rules  }
}
EOF
}
nsl_wire_mend() { ip -n "$NSL_PREFIX$1" link set "$2" up; }

NSL_LASTPID=""
nsl_bg() {
    local n=$1 log=$2; shift 2
    ip netns exec "$NSL_PREFIX$n" "$@" >"$log" 2>&1 &
    NSL_LASTPID=$!
    NSL_PIDS+=("$NSL_LASTPID")
}

nsl_stop() {
    local pid=$1
    kill -TERM "$pid" 2>/dev/null || return 0
    for _ in $(seq 15); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    return 0
}

nsl_wait_until() {
    local secs=$1; shift
    local end=$(( $(nsl_now_ms) + secs * 1000 ))
    while :; do
        "$@" && return 0
        (( $(nsl_now_ms) >= end )) && return 1
        sleep "$NSL_POLL"
    done
}
