#!/usr/bin/env bash
# limed: JSON-RPC calls per second over one keep-alive HTTP connection (python client),
# against a baseline measured in the same run: session.access on the null session (the
# whole HTTP + envelope + ACL path, no data gathered). Prints each call's rate and its
# cost relative to the baseline (time per call / baseline time per call).
set -euo pipefail
SRC=$(cd "$(dirname "$0")/.." && pwd)
BIN=${LIME_BINARY_DIR:-$SRC/build}
LIMED=$BIN/src/limed/limed
[ -x "$LIMED" ] || { echo "build limed first ($LIMED)"; exit 1; }
WORK=$(mktemp -d /tmp/ld-bench-XXXXXX)
trap 'kill $PID 2>/dev/null; wait $PID 2>/dev/null; rm -rf "$WORK"' EXIT
cp -a "$SRC/tests/api/fixture/." "$WORK/"
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$LIMED" --root "$WORK" --listen "127.0.0.1:$PORT" --no-shared-state \
    --babeld-socket "$WORK/none" >/dev/null 2>&1 &
PID=$!
python3 - "$PORT" <<'PY'
import http.client, json, sys, time
port = int(sys.argv[1])
for _ in range(100):
    try:
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=5); c.connect(); break
    except OSError:
        time.sleep(0.05)
def post(body):
    c.request("POST", "/ubus", body=json.dumps(body)); return json.loads(c.getresponse().read())
sid = post({"id": 1, "jsonrpc": "2.0", "method": "call", "params": ["0" * 32, "session", "login",
           {"username": "lime-app", "password": "generic", "timeout": 600}]})["result"][1]["ubus_rpc_session"]
def rate(fn, seconds=1.5):
    n, t0 = 0, time.perf_counter()
    while time.perf_counter() - t0 < seconds:
        fn(); n += 1
    return n / (time.perf_counter() - t0)
def call(s, obj, m):
    return lambda: post({"id": 1, "jsonrpc": "2.0", "method": "call", "params": [s, obj, m, {}]})
base = rate(call("0" * 32, "session", "access"))
print(f"{'baseline session.access (null sid)':<40} {base:8.0f} calls/s")
for obj, m in [("system", "board"), ("lime-utils", "get_node_status"),
               ("lime-metrics", "get_internet_status"), ("lime-utils", "get_neighbors"),
               ("lime-utils", "get_nodes")]:
    r = rate(call(sid, obj, m))
    print(f"{obj + '.' + m:<40} {r:8.0f} calls/s  cost ratio {base / r:.2f}")
c.request("GET", "/metrics"); c.getresponse().read()
r = rate(lambda: (c.request("GET", "/metrics"), c.getresponse().read()))
print(f"{'GET /metrics':<40} {r:8.0f} req/s    cost ratio {base / r:.2f}")
PY
