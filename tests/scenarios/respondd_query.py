#!/usr/bin/env python3
"""A respondd client of LiMe-C's own (the role yanic plays for meshviewer): sends a
request to port 1001 (a multicast group on an interface, or one address), collects the
answers for a while, inflates them (raw DEFLATE, as yanic's compress/flate reader does)
and prints one JSON line per answering node: {"from": ADDR, "data": {...}}.

With --check every answer is also checked against the fields and JSON types yanic reads
(its data/nodeinfo.go, statistics.go, neighbours.go; Go refuses e.g. 1.0 for an int):
exit status 1 and the reasons on stderr when one does not fit.

  respondd_query.py --group ff02::2:1001 --iface eth0 [--request "GET nodeinfo ..."]
  respondd_query.py --addr 10.13.1.2 --request nodeinfo        (legacy: uncompressed)
  respondd_query.py --addr ::1 --raw 'bytes'                   (send anything; expect silence)
"""
import argparse
import json
import re
import socket
import sys
import time
import zlib

HEX12 = re.compile(r"^[0-9a-f]{12}$")
MAC = re.compile(r"^[0-9a-f]{2}(:[0-9a-f]{2}){5}$")


def inflate(raw):
    d = zlib.decompressobj(-15)  # raw DEFLATE, no zlib header
    return d.decompress(raw) + d.flush()


def query(args):
    fam = socket.AF_INET if ":" not in (args.addr or args.group) else socket.AF_INET6
    s = socket.socket(fam, socket.SOCK_DGRAM)
    if args.group:
        ifindex = socket.if_nametoindex(args.iface)
        s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_MULTICAST_IF, ifindex)
        s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_MULTICAST_HOPS, args.hops)
        dest = (args.group, args.port, 0, ifindex)
    else:
        dest = (args.addr, args.port) if fam == socket.AF_INET else (args.addr, args.port, 0, 0)
    payload = args.raw.encode("latin-1") if args.raw is not None else args.request.encode()
    s.sendto(payload, dest)
    answers = []
    deadline = time.time() + args.timeout
    while True:
        left = deadline - time.time()
        if left <= 0 or (args.addr and answers):
            break
        s.settimeout(left)
        try:
            raw, src = s.recvfrom(65535)
        except socket.timeout:
            break
        compressed = payload.startswith(b"GET ")
        text = inflate(raw) if compressed else raw
        answers.append({"from": src[0], "bytes": len(raw), "data": json.loads(text)})
    return answers


class Checker:
    def __init__(self):
        self.errors = []

    def want(self, cond, where):
        if not cond:
            self.errors.append(where)

    def is_int(self, v, where):
        self.want(isinstance(v, int) and not isinstance(v, bool), f"{where}: integer expected, got {v!r}")

    def is_num(self, v, where):
        self.want(isinstance(v, (int, float)) and not isinstance(v, bool), f"{where}: number expected, got {v!r}")

    def is_str(self, v, where):
        self.want(isinstance(v, str), f"{where}: string expected, got {v!r}")

    def nodeinfo(self, n, w="nodeinfo"):
        self.want(isinstance(n.get("node_id"), str) and HEX12.match(n["node_id"]),
                  f"{w}.node_id: 12 hex digits expected (yanic drops other ids), got {n.get('node_id')!r}")
        self.is_str(n.get("hostname"), f"{w}.hostname")
        net = n.get("network", {})
        self.want(isinstance(net.get("mac"), str) and MAC.match(net["mac"]), f"{w}.network.mac: {net.get('mac')!r}")
        self.want(net.get("mac", "").replace(":", "") == n.get("node_id"), f"{w}: node_id is not network.mac")
        self.want(isinstance(net.get("addresses"), list), f"{w}.network.addresses: list expected")
        for a in net.get("addresses", []):
            self.is_str(a, f"{w}.network.addresses[]")
        for name, m in net.get("mesh", {}).items():
            for cls, addrs in m.get("interfaces", {}).items():
                self.want(cls in ("wireless", "other", "tunnel"), f"{w}.network.mesh.{name}: class {cls}")
                self.want(isinstance(addrs, list) and all(isinstance(a, str) for a in addrs),
                          f"{w}.network.mesh.{name}.interfaces.{cls}: list of strings expected")
        hw = n.get("hardware", {})
        self.is_int(hw.get("nproc"), f"{w}.hardware.nproc")
        if "model" in hw:
            self.is_str(hw["model"], f"{w}.hardware.model")
        self.want(isinstance(n.get("vpn"), bool), f"{w}.vpn: boolean expected")
        fw = n.get("software", {}).get("firmware", {})
        self.is_str(fw.get("base"), f"{w}.software.firmware.base")
        self.is_str(fw.get("release"), f"{w}.software.firmware.release")
        if "batman-adv" in n.get("software", {}):
            self.is_int(n["software"]["batman-adv"].get("compat"), f"{w}.software.batman-adv.compat")
        if "location" in n:
            for k in ("latitude", "longitude"):
                self.is_num(n["location"].get(k), f"{w}.location.{k}")
        for k in ("site_code", "domain_code"):
            if k in n.get("system", {}):
                self.is_str(n["system"][k], f"{w}.system.{k}")

    def statistics(self, s, w="statistics"):
        self.want(isinstance(s.get("node_id"), str) and HEX12.match(s["node_id"]), f"{w}.node_id")
        for k in ("wifi", "wifi24", "wifi5", "total"):
            self.is_int(s.get("clients", {}).get(k), f"{w}.clients.{k}")
        for k in ("uptime", "idletime", "loadavg", "rootfs_usage"):
            self.is_num(s.get(k), f"{w}.{k}")
        for k in ("total", "free", "buffers", "cached", "available"):
            self.is_int(s.get("memory", {}).get(k), f"{w}.memory.{k}")
        for k in ("total", "running"):
            self.is_int(s.get("processes", {}).get(k), f"{w}.processes.{k}")
        for d in ("rx", "tx"):
            for k in ("bytes", "packets", "dropped"):
                self.is_num(s.get("traffic", {}).get(d, {}).get(k), f"{w}.traffic.{d}.{k}")
        for k in ("gateway", "gateway_nexthop"):
            if k in s:
                self.is_str(s[k], f"{w}.{k}")

    def neighbours(self, n, w="neighbours"):
        self.want(isinstance(n.get("node_id"), str) and HEX12.match(n["node_id"]), f"{w}.node_id")
        for mac, iface in n.get("batadv", {}).items():
            self.want(MAC.match(mac) is not None, f"{w}.batadv: key {mac!r} is not a MAC")
            for nmac, link in iface.get("neighbours", {}).items():
                self.want(MAC.match(nmac) is not None, f"{w}.batadv.{mac}: neighbour {nmac!r}")
                self.is_int(link.get("tq"), f"{w}.batadv..tq")
                self.is_num(link.get("lastseen"), f"{w}.batadv..lastseen")
        for ifn, iface in n.get("babel", {}).items():
            self.is_str(iface.get("ll-addr"), f"{w}.babel.{ifn}.ll-addr")
            for addr, link in iface.get("neighbours", {}).items():
                for k in ("rxcost", "txcost", "cost", "reachability"):
                    self.is_int(link.get(k), f"{w}.babel.{ifn}.{addr}.{k}")

    def answer(self, a, request):
        d = a["data"]
        words = request.split()[1:] if request.startswith("GET ") else None
        if words is None:
            getattr(self, request)(d, f"{a['from']}: {request}")
            return
        for t in words:
            if t in ("nodeinfo", "statistics", "neighbours"):
                self.want(t in d, f"{a['from']}: no {t} in the answer")
                if t in d:
                    getattr(self, t)(d[t], f"{a['from']}: {t}")
        node_ids = {d[t]["node_id"] for t in d if isinstance(d[t], dict) and "node_id" in d[t]}
        self.want(len(node_ids) <= 1, f"{a['from']}: node_id differs between parts: {node_ids}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--group")
    ap.add_argument("--iface")
    ap.add_argument("--addr")
    ap.add_argument("--port", type=int, default=1001)
    ap.add_argument("--hops", type=int, default=1)
    ap.add_argument("--request", default="GET nodeinfo statistics neighbours")
    ap.add_argument("--raw", help="send these bytes (latin-1) instead of a request")
    ap.add_argument("--timeout", type=float, default=3.0)
    ap.add_argument("--check", action="store_true")
    args = ap.parse_args()
    if bool(args.group) == bool(args.addr) or (args.group and not args.iface):
        ap.error("give --group GROUP --iface IF, or --addr ADDR")
    answers = query(args)
    for a in answers:
        print(json.dumps(a, sort_keys=True))
    if args.check:
        c = Checker()
        for a in answers:
            c.answer(a, args.request)
        for e in c.errors:
            print("respondd_query: " + e, file=sys.stderr)
        return 1 if c.errors else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
