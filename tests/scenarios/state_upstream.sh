#!/usr/bin/env bash
# Interoperation with an upstream shared-state-async node: ssl1 runs state_upstream.py, a
# stand-in written from the spec (pretty-printed JSON, full tables, upstream's merge);
# ssl0 runs LiMe-C with the stand-in as a static peer. Both directions must carry data:
# LiMe-C as client (its change-triggered sync) and as server (the stand-in's `sync`).
source "$(dirname "$0")/state_lib.sh"
trap ss_cleanup EXIT
[ -x "$SS_BIN" ] || { echo "no $SS_BIN"; exit 1; }
UP="$(dirname "$0")/state_upstream.py"

ss_make_line 2
ll() { ip -n "$(ss_ns "$1")" -6 addr show dev "$2" scope link | sed -n 's/.*inet6 \([^/]*\).*/\1/p' | head -n1; }
ss_wait 10 sh -c "ip -n $(ss_ns 1) -6 addr show dev lft scope link | grep -q fe80" || ss_fail "no link-local"
up_addr=$(ll 1 lft)
our_addr=$(ll 0 rgt)
cat >"$SS_TMP/up.json" <<JSON
{"node_info": {"upnode": {"author": "upnode", "ttl": 2400, "data": {"hostname": "upnode", "firmware_version": "LibreMesh 2024.1"}}}}
JSON
ip netns exec "$(ss_ns 1)" python3 "$UP" serve "$SS_TMP/up.json" upnode >"$SS_TMP/up.log" 2>&1 &
SS_PIDS[5]=$!
up_listening() { ip netns exec "$(ss_ns 1)" ss -Hltn '( sport = :3490 )' | grep -q LISTEN; }
ss_wait 10 up_listening || ss_fail "stand-in did not start"
ss_start 0 --peer "$up_addr%rgt"
ss_wait 10 test -S "$SS_TMP/n0.sock" || ss_fail "LiMe-C did not start"

# LiMe-C -> upstream (LiMe-C is the client) and back in the reply
echo '{"limec":{"hostname":"limec"}}' | ss_cli 0 insert node_info
up_has() { python3 -c "import json,sys; sys.exit(0 if '$1' in json.load(open('$SS_TMP/up.json')).get('$2', {}) else 1)"; }
ss_wait 10 up_has limec node_info || ss_fail "upstream node did not receive LiMe-C's entry"
ss_wait 10 ss_has_key 0 node_info upnode || ss_fail "LiMe-C did not merge upstream's pretty-printed reply"
echo "LiMe-C as client: both tables hold both entries"

# upstream -> LiMe-C (LiMe-C is the server)
python3 - "$SS_TMP/up.json" <<'PY'
import json, sys
st = json.load(open(sys.argv[1]))
st["node_info"]["upnode2"] = {"author": "upnode", "ttl": 2400, "data": [1, {"x": None}]}
json.dump(st, open(sys.argv[1], "w"))
PY
ip netns exec "$(ss_ns 1)" python3 "$UP" sync "$SS_TMP/up-client.json" upnode "$our_addr%lft" node_info ||
    ss_fail "upstream client's exchange with LiMe-C failed"
cp "$SS_TMP/up.json" "$SS_TMP/up-client.json"
ip netns exec "$(ss_ns 1)" python3 "$UP" sync "$SS_TMP/up-client.json" upnode "$our_addr%lft" node_info ||
    ss_fail "upstream client's exchange with LiMe-C failed"
ss_has_key 0 node_info upnode2 || ss_fail "LiMe-C (server) did not merge the upstream client's table"
python3 -c "import json; t=json.load(open('$SS_TMP/up-client.json'))['node_info']; assert 'limec' in t, t" ||
    ss_fail "upstream client did not get LiMe-C's table"
ss_cli 0 get node_info | grep -q '"x": null' || ss_fail "data changed on the way"
echo "LiMe-C as server: exchange complete, acks matched"

# the upstream node restarts (it keeps everything in RAM): LiMe-C's next exchange must
# carry the whole table again, not just what changed
grep -q "speaks like upstream" "$SS_TMP/n0.log" || ss_fail "upstream peer not recognised"
kill "${SS_PIDS[5]}"; wait "${SS_PIDS[5]}" 2>/dev/null || true
echo '{}' >"$SS_TMP/up.json"
# a change while the peer is down: the failed sync is retried (1, 2, 4 ... s)
echo '{"after-restart":1}' | ss_cli 0 insert node_info
sleep 1.5
ip netns exec "$(ss_ns 1)" python3 "$UP" serve "$SS_TMP/up.json" upnode >>"$SS_TMP/up.log" 2>&1 &
SS_PIDS[5]=$!
ss_wait 10 up_listening || ss_fail "stand-in did not restart"
ss_wait 10 up_has after-restart node_info || ss_fail "restarted upstream node got nothing (no retry?)"
up_has limec node_info || ss_fail "restarted upstream node got only the delta"
echo "restarted upstream node got the full table"
echo PASS
