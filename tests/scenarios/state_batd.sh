#!/usr/bin/env bash
# Discovery through batd: a 3-node line, each node runs batd on its links (ctl socket);
# shared-state has no multicast hellos and no static peers, only --batd-ctl. batd's
# neighbours (MACs on hard interfaces) become EUI-64 link-local peers; an insert at n0
# reaches n2; bat_links_info and nodes_and_links are published from the same table.
source "$(dirname "$0")/state_lib.sh"
trap ss_cleanup EXIT
[ -x "$SS_BIN" ] || { echo "no $SS_BIN"; exit 1; }
BATD=${BATD:-$(dirname "$SS_BIN")/../batd/batd}
[ -x "$BATD" ] || { echo "no $BATD"; exit 1; }
N=3
ss_make_line $N
for ((i = 0; i < N; i++)); do
    ifs=()
    ((i > 0)) && ifs+=(lft)
    ((i < N - 1)) && ifs+=(rgt)
    ip netns exec "$(ss_ns $i)" "$BATD" --soft-if ssbat0 --ctl "$SS_TMP/batd$i.sock" \
        --orig-interval 200 "${ifs[@]}" >"$SS_TMP/batd$i.log" 2>&1 &
    SS_PIDS[$((10 + i))]=$!
done
for ((i = 0; i < N; i++)); do
    ip netns exec "$(ss_ns $i)" "$SS_BIN" --socket "$SS_TMP/n$i.sock" peer --hostname "n$i" \
        --batd-ctl "$SS_TMP/batd$i.sock" --node-info >"$SS_TMP/n$i.log" 2>&1 &
    SS_PIDS[$i]=$!
done
for ((i = 0; i < N; i++)); do
    want=2; ((i == 0 || i == N - 1)) && want=1
    ss_wait 40 ss_has_neighbours $i $want || ss_fail "n$i: batd gave fewer than $want neighbours"
done
[ "$(ss_neigh_count 0)" -eq 1 ] || ss_fail "n0 sees more than its direct neighbour"
echo "neighbours from batd: n1 sees $(ss_cli 1 discover | tr '\n' ' ')"
echo '{"via-batd":true}' | ss_cli 0 insert node_info
ss_wait 10 ss_has_key 2 node_info via-batd || ss_fail "n2 did not get n0's entry"
links_ok() {
    local l
    l=$(ss_cli 2 get bat_links_info) || return 1
    [[ "$l" == *'"n0"'* && "$l" == *'"n1"'* && "$l" == *'"dst_mac"'* ]]
}
ss_wait 30 links_ok || ss_fail "bat_links_info at n2: $(ss_cli 2 get bat_links_info)"
ss_wait 30 ss_has_key 2 nodes_and_links n0 || ss_fail "nodes_and_links at n2"
echo PASS
