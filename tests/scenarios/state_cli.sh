#!/usr/bin/env bash
# The shared-state-async CLI: upstream's verbs and output shapes, and its stable exit
# statuses (0 ok, 1 usage, 2 unknown type, 3 bad input, 4 service unreachable, 5 a peer
# failed), against a daemon in one namespace.
source "$(dirname "$0")/state_lib.sh"
trap ss_cleanup EXIT
[ -x "$SS_BIN" ] || { echo "no $SS_BIN"; exit 1; }
ss_make_line 1
ss_start 0
ss_wait 10 test -S "$SS_TMP/n0.sock" || ss_fail "daemon did not start"
expect() { # expect STATUS CMD...
    local want=$1 got=0
    shift
    "$@" >"$SS_TMP/out" 2>"$SS_TMP/err" || got=$?
    [ "$got" = "$want" ] || ss_fail "'$*' exited $got, expected $want ($(cat "$SS_TMP/err"))"
}
expect 0 ss_cli 0 get node_info
[ "$(cat "$SS_TMP/out")" = "{}" ] || ss_fail "empty get should print {}"
expect 2 ss_cli 0 get no-such-type
expect 1 ss_cli 0 frobnicate
expect 1 ss_cli 0 get
expect 1 ss_cli 0 register t community x 10
expect 0 ss_cli 0 register my-type community 30 600
expect 0 ss_cli 0 get my-type
echo '[1,2]' | expect 3 ss_cli 0 insert my-type
[[ "$(cat "$SS_TMP/err")" == *"stdin:"*"expected a JSON object"* ]] || ss_fail "error message: $(cat "$SS_TMP/err")"
echo '{"k": ' | expect 3 ss_cli 0 insert my-type
echo '{"k":{"a":[1,"x"]},"gone":null}' | ss_cli 0 insert my-type || ss_fail "insert"
got=$(ss_cli 0 get my-type | python3 -c 'import json,sys; print(json.dumps(json.load(sys.stdin), sort_keys=True))')
[ "$got" = '{"gone": null, "k": {"a": [1, "x"]}}' ] || ss_fail "get shape: $got"
ss_cli 0 dump my-type | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert isinstance(d, list) and len(d) == 2, d
for e in d:
    v = e["value"]
    assert set(v) == {"mAuthor", "mTtl", "mData"}, v
    assert v["mAuthor"] == "n0" and v["mTtl"]["xint64"] == int(v["mTtl"]["xstr64"]) > 600, v
' || ss_fail "dump shape"
expect 5 ss_cli 0 sync my-type fe80::1%lo        # nobody there
expect 1 ss_cli 0 sync my-type not-an-address
expect 0 ss_cli 0 sync my-type                   # no neighbours: nothing to fail
expect 0 ss_cli 0 discover
SS_SOCKET="$SS_TMP/none.sock" "$SS_BIN" get node_info 2>/dev/null && ss_fail "no daemon: should fail"
expect 4 env SS_SOCKET="$SS_TMP/none.sock" "$SS_BIN" get node_info
# dnsmasq --dhcp-script events
expect 0 ss_cli 0 add aa:bb:cc:dd:ee:ff 10.13.0.77 phone
ss_has_key 0 dnsmasq-leases 10.13.0.77 || ss_fail "lease event not published"
ss_has_key 0 dnsmasq-hosts "10.13.0.77 phone" || ss_fail "host event not published"
expect 0 ss_cli 0 del aa:bb:cc:dd:ee:ff 10.13.0.77 phone
[[ "$(ss_cli 0 get dnsmasq-leases)" == *'"10.13.0.77": null'* ]] || ss_fail "del did not publish null"
expect 0 ss_cli 0 add aa:bb:cc:dd:ee:ff fd00::5 phone6   # IPv6: ignored, as upstream
# malformed control requests get an error reply and change nothing; the daemon lives on
python3 - "$SS_TMP/n0.sock" <<'PY' || ss_fail "control socket robustness"
import json, socket, sys
bad = [b'', b'x', b'{"op":null}', b'{"op":"get","type":null}', b'{"op":"insert","type":"node_info"}',
       b'{"op":"insert","type":"node_info","data":[1]}', b'{"op":"sync","type":"node_info","peers":[null,5,{}]}',
       b'{"op":"register","type":"q","interval":-1,"ttl":"x"}', b'[' * 5000, b'{"op":"get","type":"' + b'a' * 200 + b'"}']
for req in bad:
    s = socket.socket(socket.AF_UNIX)
    s.connect(sys.argv[1])
    s.sendall(req + b'\n')
    s.shutdown(socket.SHUT_WR)
    out = b''
    while True:
        c = s.recv(4096)
        if not c:
            break
        out += c
    s.close()
    if req and out:
        r = json.loads(out)
        assert r["error"] != 0 or req.startswith(b'{"op":"sync"'), (req[:60], r)
PY
expect 0 ss_cli 0 get my-type
expect 0 ss_cli 0 counters
# a service that accepts and never answers (hung limed): the CLI — also dnsmasq's lease
# script — gives up after SS_TIMEOUT seconds with status 4 instead of blocking for ever
python3 -c '
import socket, sys, time
s = socket.socket(socket.AF_UNIX); s.bind(sys.argv[1]); s.listen(4)
c, _ = s.accept(); time.sleep(30)' "$SS_TMP/hung.sock" &
hung=$!
ss_wait 10 test -S "$SS_TMP/hung.sock" || ss_fail "hung stand-in did not start"
t0=$SECONDS
got=0
SS_TIMEOUT=1 SS_SOCKET="$SS_TMP/hung.sock" timeout 20 "$SS_BIN" get node_info >/dev/null 2>"$SS_TMP/err" || got=$?
kill "$hung" 2>/dev/null; wait "$hung" 2>/dev/null || true
[ "$got" = 4 ] || ss_fail "CLI against a hung service exited $got, expected 4 ($(cat "$SS_TMP/err"))"
(( SECONDS - t0 <= 10 )) || ss_fail "CLI took $((SECONDS - t0)) s against a hung service"
grep -q 'did not answer within 1 s' "$SS_TMP/err" || ss_fail "no timeout message: $(cat "$SS_TMP/err")"
echo PASS
