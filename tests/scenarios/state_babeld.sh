#!/usr/bin/env bash
# Discovery through the real babeld: a 3-node line, no multicast hellos, no static peers.
# Each node runs babeld on its links with a local socket (-G); shared-state learns its
# direct neighbours from babeld's `dump` and an insert at n0 reaches n2 hop by hop.
# The builtin babeld-hosts / babel_links_info publishers fill their tables too.
source "$(dirname "$0")/state_lib.sh"
trap ss_cleanup EXIT
[ -x "$SS_BIN" ] || { echo "no $SS_BIN"; exit 1; }
command -v babeld >/dev/null || { echo "no babeld"; exit 1; }
N=3
ss_make_line $N
for ((i = 0; i < N; i++)); do
    ifs=()
    ((i > 0)) && ifs+=(lft)
    ((i < N - 1)) && ifs+=(rgt)
    ip netns exec "$(ss_ns $i)" babeld -I "$SS_TMP/babeld$i.pid" -S "$SS_TMP/babeld$i.state" \
        -G 33123 -h 1 -H 1 -d 0 "${ifs[@]}" >"$SS_TMP/babeld$i.log" 2>&1 &
    SS_PIDS[$((10 + i))]=$!
done
for ((i = 0; i < N; i++)); do
    # no -i interfaces: only babeld tells who the neighbours are
    ip netns exec "$(ss_ns $i)" "$SS_BIN" --socket "$SS_TMP/n$i.sock" peer --hostname "n$i" \
        --babeld-port 33123 --node-info >"$SS_TMP/n$i.log" 2>&1 &
    SS_PIDS[$i]=$!
done
for ((i = 0; i < N; i++)); do
    want=2; ((i == 0 || i == N - 1)) && want=1
    ss_wait 40 ss_has_neighbours $i $want || ss_fail "n$i: babeld gave fewer than $want neighbours"
done
[ "$(ss_neigh_count 0)" -eq 1 ] || ss_fail "n0 sees more than its direct neighbour"
echo "neighbours from babeld: n1 sees $(ss_cli 1 discover | tr '\n' ' ')"
echo '{"via-babel":true}' | ss_cli 0 insert node_info
ss_wait 10 ss_has_key 2 node_info via-babel || ss_fail "n2 did not get n0's entry"
all_hosts() {
    local h i
    h=$(ss_cli 2 get babeld-hosts) || return 1
    for ((i = 0; i < N; i++)); do [[ "$h" == *"\"n$i\""* ]] || return 1; done
}
ss_wait 40 all_hosts || ss_fail "babeld-hosts at n2 lacks a node: $(ss_cli 2 get babeld-hosts)"
hosts=$(ss_cli 2 get babeld-hosts)
links=$(ss_cli 0 get babel_links_info)
[[ "$links" == *'"iface": "rgt"'* ]] || ss_fail "babel_links_info of n0: $links"
echo "babeld-hosts: $(echo "$hosts" | tr -d ' \n')"
echo PASS
