# Shared by bench/sim_*.sh: find lime-sim, always `lime-sim down` on exit.
set -u
cd "$(dirname "$0")/.."
export LIME_BINARY_DIR=${LIME_BINARY_DIR:-$PWD/build} LIME_SOURCE_DIR=$PWD
SIM=$LIME_BINARY_DIR/src/sim/lime-sim
[[ -x "$SIM" ]] || { echo "$(basename "$0"): lime-sim not built ($SIM)"; exit 1; }
[[ $(id -u) -eq 0 ]] || { echo "$(basename "$0"): needs root"; exit 1; }
# Benchmarks run their mesh as instance "bench" (namespaces ls-bench-*), beside any other.
export LIME_SIM_INSTANCE=${LIME_SIM_INSTANCE:-bench}
BTMP=$(mktemp -d /tmp/ls-bench.XXXXXX)
trap '"$SIM" down >/dev/null 2>&1; rm -rf "$BTMP"' EXIT
"$SIM" down >/dev/null 2>&1
sim() { "$SIM" "$@" 2> >(grep -v 'lime-apply: info\|masquerade' >&2); }
sx() { local w=$1; shift; "$SIM" exec "$w" -- "$@"; }
wan_ip() { "$SIM" status --json | python3 -c "import json,sys; print([n.get('wan_ipv4','') for n in json.load(sys.stdin)['nodes'] if n['name']=='$1'][0])"; }
client_ip() { "$SIM" status --json | python3 -c "import json,sys; print([c['ipv4'] for c in json.load(sys.stdin)['clients'] if c['name']=='$1'][0])"; }
wait_for() { local d=$((SECONDS + $1)); shift; until "$@" >/dev/null 2>&1; do ((SECONDS >= d)) && return 1; sleep 0.5; done; }
# Largest gap (ms) between consecutive replies of `ping -D` output in file $1.
max_gap() { sed -n 's/^\[\([0-9.]*\)\].*bytes from.*/\1/p' "$1" | awk 'NR>1 { g = ($1 - p) * 1000; if (g > m) m = g } { p = $1 } END { printf "%d\n", m }'; }
# Outage (ms) around an event at epoch time $2 in `ping -D` output $1: first reply after the
# event minus last reply before it; "none" if no reply came after the event.
outage() { sed -n 's/^\[\([0-9.]*\)\].*bytes from.*/\1/p' "$1" | awk -v t="$2" '$1 <= t { b = $1 } $1 > t && !a { a = $1 } END { if (a && b) printf "%d\n", (a - b) * 1000; else print "none" }'; }
now() { date +%s.%N; }
