# Shared helpers of the lime-sim scenarios (tests/scenarios/sim_*.sh). Source it, then call
# sim_init; the EXIT trap always runs `lime-sim down`, so nothing is left behind.
set -u

SIM_BIN=${LIME_SIM:-${LIME_BINARY_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/build}/src/sim/lime-sim}
SIM_SRC=${LIME_SOURCE_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
SIM_NAME=$(basename "$0" .sh)
SIM_TMP=""
# Each scenario run has its own instance t<pid> (namespaces ls-t<pid>-*), so it never meets
# another mesh: a demo, a benchmark or a concurrent test run.
export LIME_SIM_INSTANCE=${LIME_SIM_INSTANCE:-t$$}
# The mesh ends with this shell, even when CTest kills it on a timeout (lime-sim's watcher).
export LIME_SIM_OWNER=$$
SIM_PIDS=()

sim_log() { echo "[$SIM_NAME $(date +%T)] $*"; }
sim_fail() {
    echo "[$SIM_NAME] FAIL: $*" >&2
    if [[ -x "$SIM_BIN" ]]; then "$SIM_BIN" status >&2 2>&1 || true; fi
    exit 1
}
# Exit 77 = skipped (ctest SKIP_RETURN_CODE): not root, or a tool is missing.
sim_skip() {
    echo "[$SIM_NAME] SKIP: $*"
    exit 77
}

sim_cleanup() {
    local rc=$?
    for p in "${SIM_PIDS[@]}"; do kill "$p" 2>/dev/null; done
    [[ -x "$SIM_BIN" ]] && "$SIM_BIN" down >/dev/null 2>&1 && rm -rf "/run/lime-sim/$LIME_SIM_INSTANCE"
    [[ -n "$SIM_TMP" ]] && rm -rf "$SIM_TMP"
    exit $rc
}

sim_init() {
    [[ $(id -u) -eq 0 ]] || sim_skip "needs root"
    [[ -x "$SIM_BIN" ]] || sim_fail "lime-sim not built ($SIM_BIN)"
    SIM_TMP=$(mktemp -d /tmp/ls-test.XXXXXX)
    trap sim_cleanup EXIT
    trap 'exit 1' INT TERM
    # Leftovers of test runs that were killed (their pid is gone) are removed first.
    local d id
    for d in /run/lime-sim/t[0-9]*; do
        [[ -d "$d" ]] || continue
        id=${d##*/}
        kill -0 "${id#t}" 2>/dev/null || LIME_SIM_INSTANCE=$id "$SIM_BIN" down >/dev/null 2>&1
        kill -0 "${id#t}" 2>/dev/null || rm -rf "$d"
    done
    "$SIM_BIN" down >/dev/null 2>&1 || true
}

# The nodes run the real stack: all of it is built with lime-sim.
sim_need_stack() {
    local bin=${LIME_BINARY_DIR:-$(dirname "$(dirname "$(dirname "$SIM_BIN")")")}/src p
    for p in batd/batd apply/lime-apply limed/limed; do
        [[ -x "$bin/$p" ]] || sim_fail "$p is not built ($bin/$p)"
    done
}

# SIM_MODE=kernel runs a scenario on the qemu lab: its `sim up` becomes `up --kernel`,
# with $SIM_TMP shared, so what commands in the guest write there the test reads here.
sim() {
    if [[ ${SIM_MODE:-veth} == kernel && ${1:-} == up ]]; then
        shift
        "$SIM_BIN" up --kernel --share "$SIM_TMP" "$@"
    else
        "$SIM_BIN" "$@"
    fi
}
sx() { local who=$1; shift; "$SIM_BIN" exec "$who" -- "$@"; }

# sim_wait SECONDS CMD...: retries CMD every 0.5 s until it succeeds; 1 on timeout.
sim_wait() {
    local deadline=$((SECONDS + $1)); shift
    until "$@" >/dev/null 2>&1; do
        ((SECONDS >= deadline)) && return 1
        sleep 0.5
    done
}

# Value from `lime-sim status --json` by a Python expression over `s`, e.g.
#   sim_q 's["clients"][0]["ipv4"]'
sim_q() { "$SIM_BIN" status --json | python3 -c "import json,sys; s=json.load(sys.stdin); print($1)"; }
client_ip() { sim_q "[c['ipv4'] for c in s['clients'] if c['name']=='$1'][0]"; }
client_router() { sim_q "[c['router'] for c in s['clients'] if c['name']=='$1'][0]"; }
node_field() { sim_q "[n['$2'] for n in s['nodes'] if n['name']=='$1'][0]"; }
# The WAN address a gateway got from the internet namespace (what /whoami answers).
wan_ip() { node_field "$1" wan_ipv4; }
# Which address the internet sees a client's traffic come from.
whoami_of() { sx "$1" curl -s -m 3 http://198.51.100.1/whoami; }
in_prefix16() { [[ "$1" == "${2%.0.0/16}".* ]]; }
