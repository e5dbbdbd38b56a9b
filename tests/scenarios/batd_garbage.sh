#!/usr/bin/env bash
# batd scenario: malformed frames are counted and dropped, never crash the daemon.
# n1 and n2 run batd on a shared segment S (a wire bridge); a third namespace x on the same
# segment runs no batd and injects, through a raw socket, ~3000 batman frames: hand-made
# broken ones (short, wrong version, truncated headers, TVLV lengths that overrun or are
# odd, TT containers claiming 65535 VLANs, TTL 0/1, fragments with absurd numbers and
# sizes, unknown/reserved types, unicast to n2 and broadcast) and seeded random mutations
# of valid OGM, BCAST, UNICAST, FRAG and UNICAST_TVLV frames.
# Asserts: both daemons still run; n2's drop counters for too-short and bad-version frames
# grew by at least the number of such frames sent; ping n1 <-> n2 over bat0 still works
# and n1 still lists n2 as originator. Then the control socket: with 50 idle connections
# held open and 20 sending garbage, `batd ctl originators` still answers within 5 s.
set -u
source "$(dirname "$0")/batd_lib.sh"
bt_init ga
nsl_require ping python3

nsl_ns 1 2 x
nsl_wire w S
nsl_wire_port w S 1 m-s 1532 "$(bt_mac 1 1)"
nsl_wire_port w S 2 m-s 1532 "$(bt_mac 2 1)"
nsl_wire_port w S x m-s 1532 "$(bt_mac 9 1)"
bt_start 1 -- m-s
bt_start 2 -- m-s
bt_up 1 10.29.0.1
bt_up 2 10.29.0.2
nsl_wait_until 30 bt_ping 1 10.29.0.2 || nsl_fail "n1 cannot ping n2 within 30 s"

stat() {   # stat NODE NAME -> counter value
    bt_ctl "$1" -- statistics --json 2>/dev/null | python3 -c '
import json, sys
print(json.load(sys.stdin).get(sys.argv[1], 0))' "$2"
}
short0=$(stat 2 drop_too_short); version0=$(stat 2 drop_bad_version)

cat >"$NSL_TMP/inject.py" <<'EOF'
# Injects broken and randomly mutated batman-adv frames; prints how many of each kind.
import random, socket, struct, sys, time
iface, victim, me = sys.argv[1], bytes.fromhex(sys.argv[2].replace(":", "")), bytes.fromhex(sys.argv[3].replace(":", ""))
BCAST = b"\xff" * 6
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind((iface, 0))
rnd = random.Random(4305)
sent = {"short": 0, "version": 0, "other": 0}

def send(dst, payload):
    frame = dst + me + b"\x43\x05" + payload
    s.send(frame)

def ogm(ttl=50, flags=0, seq=1, orig=me, prev=me, tq=255, tvlv=b"", tvlv_len=None):
    n = len(tvlv) if tvlv_len is None else tvlv_len
    return struct.pack(">BBBBI6s6sBBH", 0, 15, ttl, flags, seq, orig, prev, 0, tq, n) + tvlv

def tvlv(t, v, value, length=None):
    return struct.pack(">BBH", t, v, len(value) if length is None else length) + value

tt_ok = tvlv(4, 1, struct.pack(">BBH", 0x01, 1, 1) + struct.pack(">IHH", 0x12345678, 0, 0))
valid = [
    ogm(seq=7, tvlv=tt_ok),
    struct.pack(">BBBBI6s", 1, 15, 49, 0, 9, me) + BCAST + me + b"\x08\x06" + bytes(28),
    struct.pack(">BBBB6s", 0x40, 15, 50, 1, victim) + victim + me + b"\x08\x00" + bytes(40),
    struct.pack(">BBBB6s6sHH", 0x41, 15, 50, 0x10, victim, me, 3, 1524) + bytes(600),
    struct.pack(">BBBB6s6sHH", 0x44, 15, 50, 0, victim, me, 8, 0) + tvlv(4, 1, struct.pack(">BBH", 0x12, 1, 0)),
    struct.pack(">BBBB6s6sBBH", 0x43, 15, 50, 8, victim, me, 1, 0, 1),
]
# Hand-made broken frames: (destination, payload, kind).
broken = [
    (BCAST, b"", "short"), (BCAST, b"\x00", "short"), (victim, b"\x40", "short"),
    (BCAST, ogm()[:1], "short"),
    (BCAST, bytes([0, 14]) + ogm()[2:], "version"), (BCAST, bytes([1, 16]) + bytes(30), "version"),
    (victim, bytes([0x40, 0]) + bytes(30), "version"),
    (BCAST, ogm()[:20], "other"),                                   # truncated OGM
    (BCAST, ogm(tvlv=b"", tvlv_len=0xffff), "other"),               # tvlv_len overrun
    (BCAST, ogm(tvlv=tt_ok + b"\x00", tvlv_len=len(tt_ok) + 1), "other"),   # odd tvlv_len
    (BCAST, ogm(tvlv=tvlv(4, 1, struct.pack(">BBH", 1, 1, 0xffff)), seq=11), "other"),  # 65535 VLANs
    (BCAST, ogm(tvlv=tvlv(4, 1, b"", length=500), seq=12), "other"),                    # container overrun
    (BCAST, ogm(ttl=0, seq=13), "other"), (BCAST, ogm(ttl=1, seq=14), "other"),
    (BCAST, ogm(tq=0, seq=15), "other"), (BCAST, ogm(orig=BCAST, seq=16), "other"),
    (BCAST, ogm(orig=victim, prev=victim, seq=17), "other"),         # spoofed victim OGM
    (BCAST, valid[1][:10], "other"),                                 # short BCAST
    (BCAST, struct.pack(">BBBBI6s", 1, 15, 1, 0, 99, me), "other"),  # BCAST TTL 1, no payload
    (victim, struct.pack(">BBBB6s", 0x40, 15, 0, 0, victim), "other"),
    (victim, struct.pack(">BBBB6s6sHH", 0x41, 15, 50, 0xf0, victim, me, 5, 0xffff) + bytes(100), "other"),
    (victim, struct.pack(">BBBB6s6sHH", 0x41, 15, 50, 0x00, victim, me, 6, 0) + bytes(100), "other"),
    (victim, struct.pack(">BBBB6s6sHH", 0x41, 15, 50, 0x00, victim, me, 7, 10) + bytes(100), "other"),
    (victim, struct.pack(">BBBB6s6sHH", 0x44, 15, 50, 0, victim, me, 0xffff, 0), "other"),
    (victim, struct.pack(">BBBB6s6sHH", 0x44, 15, 50, 0, victim, me, 5, 0) + bytes(5), "other"),
    (victim, bytes([0x43, 15, 50, 8]) + victim, "other"),            # short ICMP
    (victim, bytes([0x7f, 15, 50, 0]) + victim + bytes(20), "other"),
    (BCAST, bytes([0x90, 15, 50, 0]) + bytes(20), "other"),
    (BCAST, bytes([0x05, 15, 50, 0, 0xff, 0xff]) + bytes(10), "other"),
    (BCAST, bytes([0x03, 15]) + me + bytes(12), "other"),            # ELP
    (BCAST, bytes([0x04, 15, 50, 0]) + bytes(30), "other"),          # OGM2
    (victim, bytes([0x02, 15]) + bytes(60), "other"),                # CODED
]
for dst, payload, kind in broken:
    for _ in range(3):
        send(dst, payload)
        sent[kind] += 1
time.sleep(0.2)
for i in range(3000):
    base = bytearray(rnd.choice(valid))
    base[1] = 15
    for _ in range(rnd.randint(1, 6)):
        pos = rnd.randrange(len(base))
        base[pos] = rnd.randrange(256) if pos != 1 else 15
    if rnd.random() < 0.3:
        base = base[: rnd.randrange(2, len(base) + 1)]
    if rnd.random() < 0.1:
        base += bytes(rnd.randrange(256) for _ in range(rnd.randrange(1, 200)))
    send(victim if rnd.random() < 0.5 else BCAST, bytes(base))
    sent["other"] += 1
    if i % 100 == 0:
        time.sleep(0.02)
print(sent["short"], sent["version"], sent["other"])
EOF
read -r nshort nversion nother < <(nx x python3 "$NSL_TMP/inject.py" m-s "$(bt_mac 2 1)" "$(bt_mac 9 1)") \
    || nsl_fail "injector failed"
nsl_log "injected $nshort short, $nversion bad-version and $nother other broken/mutated frames"
sleep 1

for n in 1 2; do
    kill -0 "${BT_PID[$n/bat0]}" 2>/dev/null || nsl_fail "n$n's batd died (see its log)"
done
short1=$(stat 2 drop_too_short); version1=$(stat 2 drop_bad_version)
nsl_log "n2 drop_too_short $short0 -> $short1, drop_bad_version $version0 -> $version1"
# veth does not pad short frames, so each hand-made short/bad-version frame arrives as sent
# (random mutations add more of both kinds).
(( version1 - version0 >= nversion )) || nsl_fail "drop_bad_version grew by $((version1 - version0)), sent $nversion"
(( short1 - short0 >= nshort )) || nsl_fail "drop_too_short grew by $((short1 - short0)), sent $nshort"
nsl_wait_until 30 bt_ping 1 10.29.0.2 || nsl_fail "n1 cannot ping n2 after the injection"
nx 2 ping -n -q -c5 -i 0.2 -W1 10.29.0.1 | grep -q ' 5 received' || nsl_fail "n2 -> n1 lossy after the injection"
bt_has_originators 1 bat0 "$(bt_mac 2 1)" || nsl_fail "n1 lost n2 as originator"

# The control socket: 50 idle connections, 20 connections sending garbage (random bytes, a
# 64 KB line, unknown commands), then a normal query must still be answered quickly.
python3 - "${BT_SOCK[2/bat0]}" "$BATD" "$(bt_mac 1 1)" <<'EOF' || nsl_fail "control socket abuse (see above)"
import random, socket, subprocess, sys
path, batd, n1 = sys.argv[1], sys.argv[2], sys.argv[3]
rnd = random.Random(7)
idle = []
for _ in range(50):
    c = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM); c.connect(path); idle.append(c)
for i in range(20):
    c = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM); c.connect(path)
    c.settimeout(2)
    payload = [bytes(rnd.randrange(256) for _ in range(200)), b"x" * 65536 + b"\n",
               b"frobnicate --json\n", b"\n\n\n", b"originators json extra words\n"][i % 5]
    try:
        c.sendall(payload)
        c.recv(4096)
    except OSError:
        pass
    c.close()
# the query, while the 50 idle connections are still open
try:
    r = subprocess.run([batd, "ctl", "--ctl", path, "originators", "--json"],
                       capture_output=True, text=True, timeout=5)
except subprocess.TimeoutExpired:
    sys.exit("batd ctl did not answer within 5 s with 50 idle control connections open")
if r.returncode != 0 or n1 not in r.stdout.lower():
    sys.exit("batd ctl originators: rc %d, output %r" % (r.returncode, r.stdout[:300]))
print("control socket: answered with 50 idle connections open, after 20 garbage ones")
EOF
kill -0 "${BT_PID[2/bat0]}" 2>/dev/null || nsl_fail "n2's batd died from control-socket abuse"

nsl_log "PASS: $((nshort + nversion + nother)) broken frames dropped, daemons alive, mesh works, control socket robust"
