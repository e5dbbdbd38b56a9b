#!/usr/bin/env bash
# Runtime end to end: lime-apply + the supervisor (ld-runtime: limed's supervise.c and
# gateway.c on one loop) in namespaces.
#   2. gateway: line  I(internet) — A — B — C — D — I2 : A and D have a WAN to an
#      "internet" namespace whose HTTP check answers "success". Each gateway announces
#      a proto-7 default into Babel while its check passes; B uses the nearest (A).
#      Failing A's check withdraws A's default → B fails over to D; back → A again.
#      (A's WAN default sits at metric 84831 while the watcher runs, back at its own on stop.)
#   3. preferred gateway: B with preferred_gateway = D's address uses D while D
#      announces, and A when D's check fails.
#   4. supervisor: babeld and dnsmasq from the daemons file run; a killed babeld is
#      restarted (new pid); SIGTERM stops every daemon and withdraws the announcement.
set -eu  # no pipefail: `cmd | grep -q` would fail on SIGPIPE
. "$LIME_SOURCE_DIR/tests/scenarios/lib/netns.sh"
B=$LIME_BINARY_DIR
FIX=$B/tests/lr-apply-fixture
RT=$B/tests/ld-runtime
nsl_require ip nft babeld dnsmasq python3
NSL_IPV6=1
nsl_init ld-gw-
nsl_ns a b c d i j
# mesh line a-b-c-d on eth0/eth1 (babel runs untagged on them)
nsl_veth a eth0 b eth0
nsl_veth b eth1 c eth0
nsl_veth c eth1 d eth0
# WANs: a.wan0 <-> i (198.51.100.0/24), d.wan0 <-> j (203.0.113.0/24)
nsl_veth a wan0 i eth0
nsl_veth d wan0 j eth0
nx i ip addr add 198.51.100.1/24 dev eth0
nx j ip addr add 203.0.113.1/24 dev eth0
nx a ip addr add 198.51.100.2/24 dev wan0
nx a ip route add default via 198.51.100.1 dev wan0 proto static
nx d ip addr add 203.0.113.2/24 dev wan0
nx d ip route add default via 203.0.113.1 dev wan0 proto static
for w in i j; do
    mkdir -p "$NSL_TMP/www-$w"; echo -n success >"$NSL_TMP/www-$w/success.txt"
done
nsl_bg i "$NSL_TMP/http-i.log" python3 -m http.server 8080 --bind 198.51.100.1 --directory "$NSL_TMP/www-i"
nsl_bg j "$NSL_TMP/http-j.log" python3 -m http.server 8080 --bind 203.0.113.1 --directory "$NSL_TMP/www-j"

# each node its own /16 (own cloud): without batd here, one shared /16 would make the nodes
# unreachable from each other at layer 3
declare -A IP=([a]=10.1.0.1 [b]=10.2.0.1 [c]=10.3.0.1 [d]=10.4.0.1)
declare -A MESH=([a]=eth0 [b]=eth0 [c]=eth0 [d]=eth0)
declare -A RTPID=()
start_node() { # node [extra fixture args...]
    local n=$1; shift
    local R=$NSL_TMP/root-$n; mkdir -p "$R"
    nx "$n" "$FIX" --root "$R" --mesh "${MESH[$n]}" --lan "" --no-batman --node4 "${IP[$n]}" "$@" \
        >/dev/null 2>"$NSL_TMP/apply-$n.log" || { cat "$NSL_TMP/apply-$n.log" >&2; nsl_fail "apply on $n"; }
    # the second mesh link of b and c: babel there too
    if [ "$n" = b ] || [ "$n" = c ]; then
        sed -i 's/^interface eth0 type wireless$/&\ninterface eth1 type wireless/' "$R/var/run/lime/babeld.conf"
        nx "$n" ip link set eth1 up
        nx "$n" ip addr add "${IP[$n]}/32" dev eth1 2>/dev/null || true
    fi
    nsl_bg "$n" "$NSL_TMP/rt-$n.log" "$RT" --root "$R" --backoff-ms 200
    RTPID[$n]=$NSL_LASTPID
}
url_a=http://198.51.100.1:8080/success.txt
url_d=http://203.0.113.1:8080/success.txt
start_node a --wan wan0 --check-url "$url_a"
start_node b
start_node c
start_node d --wan wan0 --check-url "$url_d"

RA=$NSL_TMP/root-a
nsl_wait_until 10 test -s "$RA/var/run/babeld.pid" || nsl_fail "babeld did not start on a"

# ---------------------------------------------------------------- 2. gateways
default_via() { nx "$1" ip -4 route show default proto babel | sed -nE 's/.* via ([0-9.]+) .*/\1/p; s/.*via inet6 ([0-9a-f:]+) .*/\1/p' | head -1; }
# the babel neighbour a node's default goes through: its eth0 (towards a) or eth1 (towards d)
default_dev() { nx "$1" ip -4 route show default proto babel | sed -nE 's/.* dev ([a-z0-9]+).*/\1/p' | head -1; }
nsl_wait_until 60 sh -c "ip netns exec ld-gw-a ip route show default proto 7 | grep -q wan0" \
    || { cat "$NSL_TMP/rt-a.log" >&2; nsl_fail "a never announced its default (proto 7)"; }
nsl_wait_until 60 sh -c "ip netns exec ld-gw-b ip -4 route show default proto babel | grep -q 'dev eth0'" \
    || { nx b ip route >&2; nsl_fail "b has no babel default via a (eth0)"; }
nsl_wait_until 20 nx b ping -c1 -W1 198.51.100.1 >/dev/null || nsl_fail "b cannot reach a's internet"
nsl_log "gateways: b uses the nearest gateway a ($(default_dev b))"

# a's internet check fails → a withdraws, b moves to d
t0=$(nsl_now_ms)
nx i ip link set eth0 down
nsl_wait_until 60 sh -c "! ip netns exec ld-gw-a ip route show default proto 7 | grep -q ." \
    || nsl_fail "a did not withdraw its default"
nx a ip route show default | grep -q "metric 84831" || nsl_fail "a's WAN default not demoted"
nsl_wait_until 60 sh -c "ip netns exec ld-gw-b ip -4 route show default proto babel | grep -q 'dev eth1'" \
    || { nx b ip route >&2; nsl_fail "b did not fail over to d"; }
t1=$(nsl_now_ms)
nsl_wait_until 20 nx b ping -c1 -W1 203.0.113.1 >/dev/null || nsl_fail "b cannot reach d's internet"
nsl_log "gateways: a's check failed → b fails over to d in $((t1 - t0)) ms"
t0=$(nsl_now_ms)
nx i ip link set eth0 up
nsl_wait_until 60 sh -c "ip netns exec ld-gw-b ip -4 route show default proto babel | grep -q 'dev eth0'" \
    || nsl_fail "b did not come back to a"
t1=$(nsl_now_ms)
nx a ip route show default proto 7 | grep -q "via 198.51.100.1 dev wan0" || nsl_fail "a does not announce again"
nx a ip route show default | grep -q "unreachable" && nsl_fail "a's withdrawing route (proto 6) left behind"
nsl_log "gateways: a back → b uses a again in $((t1 - t0)) ms"

# ---------------------------------------------------------------- 3. preferred gateway
nx b "$FIX" --root "$NSL_TMP/root-b" --mesh eth0 --lan "" --no-batman --node4 "${IP[b]}" --preferred "${IP[d]}" >/dev/null 2>&1
sed -i 's/^interface eth0 type wireless$/&\ninterface eth1 type wireless/' "$NSL_TMP/root-b/var/run/lime/babeld.conf"
grep -q "in ip 0.0.0.0/0 le 0 id 02:4c:4d:00:0a:04:00:01 allow" "$NSL_TMP/root-b/var/run/lime/babeld.conf" \
    || nsl_fail "preferred gateway filter missing"
kill -HUP "${RTPID[b]}"   # babeld.conf changed → the supervisor restarts babeld
nsl_wait_until 60 sh -c "ip netns exec ld-gw-b ip -4 route show default proto babel | grep -q 'dev eth1'" \
    || { nx b ip route >&2; nsl_fail "b does not prefer d"; }
nsl_log "preferred: b uses d (preferred) although a is nearer"
t0=$(nsl_now_ms)
nx j ip link set eth0 down
nsl_wait_until 60 sh -c "ip netns exec ld-gw-b ip -4 route show default proto babel | grep -q 'dev eth0'" \
    || { nx b ip route >&2; nsl_fail "b did not fall back to a when d went offline"; }
t1=$(nsl_now_ms)
nsl_log "preferred: d offline → b falls back to the nearest (a) in $((t1 - t0)) ms"
t0=$(nsl_now_ms)
nx j ip link set eth0 up
nsl_wait_until 60 sh -c "ip netns exec ld-gw-b ip -4 route show default proto babel | grep -q 'dev eth1'" \
    || nsl_fail "b did not return to d"
t1=$(nsl_now_ms)
nsl_log "preferred: d back → b uses d again in $((t1 - t0)) ms"

# ---------------------------------------------------------------- 4. supervisor (last: a killed babeld restarts without its seqno)
test -s "$RA/var/run/dnsmasq.pid" || nsl_fail "dnsmasq did not start on a"
p1=$(cat "$RA/var/run/babeld.pid")
kill -9 "$p1"
nsl_wait_until 10 sh -c "test -s '$RA/var/run/babeld.pid' && [ \"\$(cat '$RA/var/run/babeld.pid')\" != '$p1' ] && kill -0 \$(cat '$RA/var/run/babeld.pid')" \
    || { cat "$NSL_TMP/rt-a.log" >&2; nsl_fail "killed babeld was not restarted"; }
grep -q "babeld (pid $p1) killed by signal 9; restarting" "$NSL_TMP/rt-a.log" || nsl_fail "no restart log line"
nsl_log "supervisor: killed babeld $p1 restarted as $(cat "$RA/var/run/babeld.pid")"

# ---------------------------------------------------------------- stop
kill -TERM "${RTPID[a]}"
nsl_wait_until 10 sh -c "! kill -0 ${RTPID[a]} 2>/dev/null" || nsl_fail "ld-runtime on a did not stop"
! pgrep -F "$RA/var/run/babeld.pid" >/dev/null 2>&1 || nsl_fail "babeld still running after stop"
grep -q "babeld stopped" "$NSL_TMP/rt-a.log" || nsl_fail "no clean babeld stop logged"
nx a ip route show default proto 7 | grep -q . && nsl_fail "announcement left behind after stop"
nx a ip route show default | grep -q "metric 84831" && nsl_fail "a's WAN default left demoted after stop"
nx a ip route show default | grep -q "via 198.51.100.1 dev wan0 proto static" || nsl_fail "a's WAN default gone after stop"
nsl_log "PASS"
set +e  # nsl_cleanup kills already-stopped pids; under -e that would turn PASS into exit 1
