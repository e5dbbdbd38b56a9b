#!/usr/bin/env bash
# Acceptance: on a 10-node line an entry inserted at one end is readable at the other end
# within 10 s; after a partition (link n4-n5 down) heals, all nodes hold identical tables.
source "$(dirname "$0")/state_lib.sh"
trap ss_cleanup EXIT
[ -x "$SS_BIN" ] || { echo "no $SS_BIN"; exit 1; }

N=10
ss_make_line $N
for ((i = 0; i < N; i++)); do ss_start $i; done
for ((i = 0; i < N; i++)); do
    want=2; ((i == 0 || i == N - 1)) && want=1
    ss_wait 15 ss_has_neighbours $i $want || ss_fail "n$i found fewer than $want neighbours"
done
echo "all nodes see their neighbours"

# 1. end to end within 10 s
t0=$(now_ms)
echo '{"hello":{"from":"n0"}}' | ss_cli 0 insert node_info || ss_fail "insert"
ss_wait 10 ss_has_key $((N - 1)) node_info hello || ss_fail "n$((N - 1)) did not get the entry within 10 s"
t1=$(now_ms)
echo "n0 -> n$((N - 1)): $((t1 - t0)) ms"
ss_cli $((N - 1)) get node_info | grep -q '"from": "n0"' || ss_fail "wrong data at n$((N - 1))"

# 2. partition, conflicting and one-sided writes, heal
ip -n "$(ss_ns 4)" link set rgt down
sleep 2
echo '{"left":1}' | ss_cli 0 insert node_info
echo '{"right":2}' | ss_cli 9 insert node_info
echo '{"both":"old from n2"}' | ss_cli 2 insert node_info
sleep 1.2
echo '{"both":"new from n7"}' | ss_cli 7 insert node_info
echo '{"hello":null}' | ss_cli 8 insert node_info  # delete by null on one side
ss_wait 10 ss_has_key 4 node_info left || ss_fail "left side did not converge"
ss_wait 10 ss_has_key 5 node_info right || ss_fail "right side did not converge"
ss_has_key 9 node_info left && ss_fail "partition leaked"
ip -n "$(ss_ns 4)" link set rgt up
echo "healed"

# a node's table without the TTLs (which differ by when each node got its copy):
# [(key, author, data)], so identical means same keys, same authors, same data
no_ttl() {
    ss_cli "$1" dump node_info | python3 -c 'import json,sys; print(json.dumps(sorted((e["key"], e["value"]["mAuthor"], json.dumps(e["value"]["mData"], sort_keys=True)) for e in json.load(sys.stdin))))'
}
tables_equal() {
    local ref cur i
    ref=$(no_ttl 0) || return 1
    for ((i = 1; i < N; i++)); do
        cur=$(no_ttl $i) || return 1
        [ "$cur" = "$ref" ] || return 1
    done
    [[ "$ref" == *'"right"'* && "$ref" == *'"left"'* ]]
}
ss_wait 20 tables_equal || {
    for ((i = 0; i < N; i++)); do echo "n$i: $(no_ttl $i)"; done
    ss_fail "tables differ after healing"
}
final=$(ss_cli 0 get node_info | tr -d ' \n')
echo "identical on all $N nodes (keys, authors, data): $final"
echo "$final" | grep -q '"both":"newfromn7"' || ss_fail "conflict not resolved to the newer copy"
echo "$final" | grep -q '"hello":null' || ss_fail "delete by null not propagated"
echo PASS
