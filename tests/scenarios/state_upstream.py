#!/usr/bin/env python3
"""A stand-in for an upstream shared-state-async node (C++ db58e3d), written from the spec
(../shared/spec/shared-state.md §1.3, §2.2): TCP 3490, version handshake, frames of
u8 name_len | name | u32 json_len | json, byte-count acks, pretty-printed stateSlice JSON
with xint64/xstr64 TTLs, full table both ways, merge "incoming TTL >= stored replaces".

  state_upstream.py serve STATEFILE HOSTNAME       serve [::]:3490 until killed
  state_upstream.py sync STATEFILE HOSTNAME ADDR%IF TYPE   one exchange as the client
STATEFILE holds {type: {key: {"author", "ttl", "data"}}} and is rewritten after merges.
"""
import json
import os
import socket
import struct
import sys


def load(path):
    try:
        with open(path) as f:
            return json.load(f)
    except FileNotFoundError:
        return {}


def save(path, st):
    with open(path + ".tmp", "w") as f:
        json.dump(st, f, indent=1, sort_keys=True)
    os.replace(path + ".tmp", path)


def pretty_slice(table):
    s = [{"key": k, "value": {"mAuthor": e["author"],
                              "mTtl": {"xint64": e["ttl"], "xstr64": str(e["ttl"])},
                              "mData": e["data"]}} for k, e in table.items()]
    return json.dumps({"stateSlice": s}, indent=4).encode()


def merge(table, body, me, remote=True):
    try:
        doc = json.loads(body)
    except ValueError:
        return
    for el in doc.get("stateSlice", []):
        v = el["value"]
        ttl = v["mTtl"]["xint64"] if isinstance(v["mTtl"], dict) else v["mTtl"]
        k = el["key"]
        old = table.get(k)
        if old is None:
            table[k] = {"author": v["mAuthor"], "ttl": ttl, "data": v.get("mData")}
        elif remote and old["author"] == me and ttl > old["ttl"]:
            pass  # "remote peer ill?"
        elif ttl >= old["ttl"]:
            table[k] = {"author": v["mAuthor"], "ttl": ttl, "data": v.get("mData")}


def rd(s, n):
    b = b""
    while len(b) < n:
        c = s.recv(n - len(b))
        if not c:
            raise EOFError
        b += c
    return b


def read_frame(s):
    nl = rd(s, 1)[0]
    name = rd(s, nl).decode()
    jl = struct.unpack(">I", rd(s, 4))[0]
    return name, rd(s, jl), 1 + nl + 4 + jl


def frame(name, body):
    return bytes([len(name)]) + name.encode() + struct.pack(">I", len(body)) + body


def serve(path, me):
    ls = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
    ls.bind(("::", 3490))
    ls.listen(8)
    while True:  # one connection at a time, like upstream
        c, _ = ls.accept()
        c.settimeout(10)
        try:
            if struct.unpack(">I", rd(c, 4))[0] != 1:
                c.close()
                continue
            c.sendall(struct.pack(">I", 1))
            rd(c, 4)  # version echo
            name, body, total = read_frame(c)
            c.sendall(struct.pack(">I", total))
            st = load(path)
            table = st.setdefault(name, {})
            merge(table, body, me)
            save(path, st)
            out = frame(name, pretty_slice(table))
            c.sendall(out)
            if struct.unpack(">I", rd(c, 4))[0] != len(out):
                print("ack mismatch", file=sys.stderr)
        except (EOFError, OSError) as e:
            print("exchange failed:", e, file=sys.stderr)
        c.close()


def sync(path, me, peer, typ):
    addr, ifname = peer.split("%")
    s = socket.create_connection((addr + "%" + ifname, 3490), timeout=10)
    s.sendall(struct.pack(">I", 1))
    assert struct.unpack(">I", rd(s, 4))[0] == 1
    st = load(path)
    table = st.setdefault(typ, {})
    out = frame(typ, pretty_slice(table))
    s.sendall(struct.pack(">I", 1) + out)
    assert struct.unpack(">I", rd(s, 4))[0] == len(out), "ack"
    name, body, total = read_frame(s)
    s.sendall(struct.pack(">I", total))
    assert name == typ
    merge(table, body, me)
    save(path, st)
    s.close()


if __name__ == "__main__":
    if sys.argv[1] == "serve":
        serve(sys.argv[2], sys.argv[3])
    else:
        sync(sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5])
