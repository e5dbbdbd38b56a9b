#!/usr/bin/env python3
"""Chaos on a lime-sim mesh (issue 13): bench/sim_chaos.sh runs this.

N nodes in two clouds (a1.. with SSID LibreMesh.org, b1.. with SSID LiMe; a1 and b1 are
the gateways), each cloud a random connected graph plus a few links between the clouds.
For M minutes, cycles of: a fault phase (random link flaps, node stops, SIGKILLs of limed,
babeld, batd and dnsmasq, phones joining and moving), then a heal (every link up, every
node started), then the checks. Checked all along, printed at the end with the worst
figure of each:

  reach   after each heal, every running node reaches every other node's address and the
          internet target (ICMP echo from inside each node, one raw socket per node
          namespace, all pairs every round): seconds from the heal to the first full round
  leases  no two phones ever hold the same address (the phones' lease records, every round)
  tables  each cloud's shared-state tables (dnsmasq-leases, dnsmasq-hosts, node_info,
          bat-hosts, babeld-hosts; `get` over each node's control socket) identical on
          every node of the cloud: seconds from the heal
  loops   no daemon in a crash loop: restarts counted by each limed's supervisor
          (/metrics lime_daemon_restarts_total) and by each node's init (limed) that are
          not explained by our own kills; every daemon up after each heal
  down    after `lime-sim down`, no process, namespace, mount or file left
          (tests/scenarios/sim_leftovers.py)

Exit status 0 when every invariant held (reach and tables within --target seconds), 1
otherwise. The event log (one JSON line per event and check) goes to --log.
"""
import argparse
import ctypes
import json
import os
import random
import select
import signal
import socket
import struct
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "scenarios"))
import sim_leftovers  # noqa: E402

INET = "198.51.100.1"
TYPES = ["dnsmasq-leases", "dnsmasq-hosts", "node_info", "bat-hosts", "babeld-hosts"]
DAEMONS = ["batd", "babeld", "dnsmasq"]
CLONE_NEWNET = 0x40000000
libc = ctypes.CDLL(None, use_errno=True)


def now():
    return time.monotonic()


class Log:
    def __init__(self, path, t0):
        self.f = open(path, "a") if path else None
        self.t0 = t0

    def __call__(self, what, **kw):
        kw = {"t": round(now() - self.t0, 2), "what": what, **kw}
        if self.f:
            self.f.write(json.dumps(kw) + "\n")
            self.f.flush()

    def say(self, text):
        print(f"[chaos {now() - self.t0:6.1f}s] {text}", flush=True)
        self("say", text=text)


class Sim:
    def __init__(self, binary, log):
        self.bin = binary
        self.log = log

    def run(self, *args, timeout=180):
        try:
            p = subprocess.run([self.bin, *args], capture_output=True, text=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            self.log("sim", args=list(args), rc="timeout")
            return 124, ""
        self.log("sim", args=list(args), rc=p.returncode, err=p.stderr[-400:] if p.returncode else "")
        return p.returncode, p.stdout

    def status(self):
        rc, out = self.run("status", "--json")
        return json.loads(out) if rc == 0 else None


def topology(n, seed):
    """Two clouds of random connected graphs (a spanning tree plus extra links), joined by
    a few links; a1 and b1 are gateways."""
    rnd = random.Random(seed)
    na = n // 2
    clouds = {"a": [f"a{i}" for i in range(1, na + 1)], "b": [f"b{i}" for i in range(1, n - na + 1)]}
    links = set()
    for names in clouds.values():
        for i in range(1, len(names)):
            links.add(tuple(sorted((names[i], names[rnd.randrange(i)]))))
        for _ in range(max(1, len(names) // 3)):
            x, y = rnd.sample(names, 2)
            links.add(tuple(sorted((x, y))))
    for _ in range(max(2, n // 10)):
        links.add(tuple(sorted((rnd.choice(clouds["a"]), rnd.choice(clouds["b"])))))
    nodes = [{"id": x, "ssid": "LibreMesh.org", **({"gateway": True} if x == "a1" else {})} for x in clouds["a"]]
    nodes += [{"id": x, "ssid": "LiMe", **({"gateway": True} if x == "b1" else {})} for x in clouds["b"]]
    return {"nodes": nodes, "links": [{"source": a, "target": b} for a, b in sorted(links)]}


def netns_fd(name):
    return os.open(f"/run/netns/{name}", os.O_RDONLY | os.O_CLOEXEC)


def socket_in(ns, *args):
    """A socket created inside network namespace ns (it stays there)."""
    me = os.open("/proc/self/ns/net", os.O_RDONLY | os.O_CLOEXEC)
    fd = netns_fd(ns)
    try:
        if libc.setns(fd, CLONE_NEWNET) != 0:
            raise OSError(ctypes.get_errno(), f"setns {ns}")
        return socket.socket(*args)
    finally:
        libc.setns(me, CLONE_NEWNET)
        os.close(fd)
        os.close(me)


def csum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack(f"!{len(b) // 2}H", b))
    s = (s >> 16) + (s & 0xFFFF)
    s += s >> 16
    return ~s & 0xFFFF


class Prober:
    """ICMP echo from every node to every other node and to the internet, all at once."""

    def __init__(self):
        self.socks = {}  # node -> raw socket in its namespace
        self.ident = os.getpid() & 0xFF00
        self.round = 0

    def sock(self, node, ns):
        s = self.socks.get(node)
        if s is None:
            s = socket_in(ns, socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
            s.setblocking(False)
            self.socks[node] = s
        return s

    def probe(self, sources, targets, wait=1.5):
        """sources: {node: ns}; targets: {name: ipv4}. Returns the set of (src, dst) answered."""
        self.round = (self.round + 1) & 0xFFFF
        names = sorted(targets)
        idx = {}
        want = set()
        for i, (node, ns) in enumerate(sorted(sources.items())):
            s = self.sock(node, ns)
            while True:  # drop what is queued from earlier rounds
                try:
                    s.recv(2048)
                except OSError:
                    break
            ident = self.ident | (i & 0xFF)
            idx[node] = ident
            for k, t in enumerate(names):
                if t == node:
                    continue
                body = struct.pack("!H", k) + b"lime-chaos"
                hdr = struct.pack("!BBHHH", 8, 0, 0, ident, self.round)
                pkt = struct.pack("!BBHHH", 8, 0, csum(hdr + body), ident, self.round) + body
                try:
                    s.sendto(pkt, (targets[t], 0))
                    want.add((node, t))
                except OSError:
                    want.add((node, t))  # no route: stays unanswered
        got = set()
        by_sock = {self.socks[n].fileno(): n for n in sources}
        deadline = now() + wait
        while want - got and now() < deadline:
            r, _, _ = select.select([self.socks[n] for n in sources], [], [], max(0, deadline - now()))
            for s in r:
                node = by_sock[s.fileno()]
                while True:
                    try:
                        data = s.recv(2048)
                    except OSError:
                        break
                    ihl = (data[0] & 0xF) * 4
                    if len(data) < ihl + 10:
                        continue
                    typ, _, _, ident, seq = struct.unpack("!BBHHH", data[ihl:ihl + 8])
                    if typ != 0 or ident != idx[node] or seq != self.round:
                        continue
                    k = struct.unpack("!H", data[ihl + 8:ihl + 10])[0]
                    if k < len(names):
                        got.add((node, names[k]))
        return got & want, want

    def forget(self, node):
        s = self.socks.pop(node, None)
        if s:
            s.close()


def ss_get(root, typ):
    path = os.path.join(root, "var/run/shared-state-async.sock")
    try:
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.settimeout(5)
        s.connect(path)
        s.sendall(json.dumps({"op": "get", "type": typ}).encode() + b"\n")
        data = b""
        while True:
            b = s.recv(65536)
            if not b:
                break
            data += b
        s.close()
        r = json.loads(data)
        return r.get("data") if r.get("error") == 0 else None
    except (OSError, ValueError):
        return None


def metrics(ns):
    try:
        s = socket_in(ns, socket.AF_INET, socket.SOCK_STREAM)
        s.settimeout(5)
        s.connect(("127.0.0.1", 80))
        s.sendall(b"GET /metrics HTTP/1.0\r\nHost: node\r\n\r\n")
        data = b""
        while True:
            b = s.recv(65536)
            if not b:
                break
            data += b
        s.close()
    except OSError:
        return None
    out = {}
    for line in data.decode(errors="replace").splitlines():
        for key in ("lime_daemon_restarts_total", "lime_daemon_up"):
            if line.startswith(key + '{name="'):
                name = line.split('"')[1]
                out[(key, name)] = int(float(line.rsplit(" ", 1)[1]))
    return out


def ns_pids(ns, comm):
    try:
        ino = os.stat(f"/run/netns/{ns}").st_ino
    except OSError:
        return []
    out = []
    for p in os.listdir("/proc"):
        if not p.isdigit():
            continue
        try:
            if os.stat(f"/proc/{p}/ns/net").st_ino != ino:
                continue
            if open(f"/proc/{p}/comm").read().strip() == comm:
                out.append(int(p))
        except OSError:
            pass
    return out


def init_record(root):
    try:
        text = open(os.path.join(root, "var/run/lime-sim-init")).read()
    except OSError:
        return {}
    return {k: int(v) for k, v in (line.split() for line in text.splitlines() if len(line.split()) == 2)}


class Chaos:
    def __init__(self, args):
        self.a = args
        self.t0 = now()
        self.log = Log(args.log, self.t0)
        self.sim = Sim(args.sim, self.log)
        self.rnd = random.Random(args.seed)
        self.inst = os.environ.get("LIME_SIM_INSTANCE", "")
        self.prober = Prober()
        self.snap = args.snapshot
        self.stopped = set()
        self.links_down = set()
        self.phones = {}  # name -> node
        self.kills = {}  # (node, daemon) -> kills since that node's limed started
        self.limed_kills = {}  # node -> limed kills since the node started
        self.nodes = {}
        self.fig = {"heals": 0, "reach": [], "reach_fail": [], "tables": [], "tables_fail": [],
                    "dup": [], "lease_rounds": 0, "unexplained": {}, "down_fail": [], "start_fail": [],
                    "events": {}, "not_up": []}

    # ---- the mesh ----
    def up(self):
        topo = topology(self.a.nodes, self.a.seed)
        path = os.path.join(self.a.tmp, "chaos-topology.json")
        with open(path, "w") as f:
            json.dump(topo, f)
        self.links = [(l["source"], l["target"]) for l in topo["links"]]
        t = now()
        rc, out = self.sim.run("up", path, "--dhcp-limit", str(self.a.dhcp_limit), timeout=900)
        if rc != 0:
            self.log.say(f"lime-sim up failed ({rc})")
            return False
        st = self.sim.status()
        self.nodes = {n["name"]: n for n in st["nodes"]}
        self.clouds = {}
        for n in st["nodes"]:
            self.clouds.setdefault(n["ssid"], []).append(n["name"])
        self.log.say(f"up: {len(self.nodes)} nodes, {len(self.links)} links, clouds "
                     + ", ".join(f"{k} {len(v)}" for k, v in self.clouds.items())
                     + f", gateways a1 b1 ({now() - t:.0f} s)")
        sim_leftovers.snapshot(self.inst, self.snap)
        return True

    def running(self):
        return {n: self.nodes[n]["namespace"] for n in self.nodes if n not in self.stopped}

    # ---- checks ----
    def check_leases(self):
        d = f"/run/lime-sim/{self.inst}/leases" if self.inst else "/run/lime-sim/leases"
        held = {}
        try:
            names = os.listdir(d)
        except OSError:
            return
        for f in names:
            if "-c-" not in f:
                continue
            try:
                text = open(os.path.join(d, f)).read()
            except OSError:
                continue
            ip = next((w[3:] for w in text.split() if w.startswith("ip=")), "")
            if ip:
                held.setdefault(ip, []).append(f.split("-c-", 1)[1].split(".")[0])
        self.fig["lease_rounds"] += 1
        for ip, who in held.items():
            if len(who) > 1:
                self.fig["dup"].append((round(now() - self.t0, 1), ip, sorted(who)))
                self.log("duplicate", ip=ip, phones=sorted(who))

    def reach_round(self):
        src = self.running()
        targets = {n: self.nodes[n]["ipv4"] for n in src}
        targets["internet"] = INET
        got, want = self.prober.probe(src, targets)
        self.check_leases()
        return got, want

    def tables_equal(self):
        """None when every cloud agrees on every type, else what differs."""
        for cloud, names in self.clouds.items():
            live = [n for n in names if n not in self.stopped]
            for typ in TYPES:
                seen = {}
                for n in live:
                    v = ss_get(self.nodes[n]["root"], typ)
                    seen[n] = json.dumps(v, sort_keys=True) if v is not None else None
                if None in seen.values():
                    return f"{cloud} {typ}: no answer from {[n for n, v in seen.items() if v is None]}"
                if len(set(seen.values())) > 1:
                    groups = {}
                    for n, v in seen.items():
                        groups.setdefault(v, []).append(n)
                    return f"{cloud} {typ}: {len(groups)} versions ({' | '.join(','.join(g) for g in groups.values())})"
        return None

    def check_loops(self):
        for n, ns in self.running().items():
            m = metrics(ns)
            if m is None:
                self.fig["not_up"].append((n, "limed /metrics"))
                continue
            for d in DAEMONS:
                r = m.get(("lime_daemon_restarts_total", d), 0)
                extra = r - self.kills.get((n, d), 0)
                if extra > 0:
                    self.fig["unexplained"].setdefault(d, []).append((n, extra))
                if m.get(("lime_daemon_up", d), 0) != 1:
                    self.fig["not_up"].append((n, d))
            rec = init_record(self.nodes[n]["root"])
            extra = rec.get("limed_starts", 1) - 1 - self.limed_kills.get(n, 0)
            if extra > 0:
                self.fig["unexplained"].setdefault("limed", []).append((n, extra))

    # ---- events ----
    def event(self):
        live = [n for n in self.nodes if n not in self.stopped]
        up_links = [l for l in self.links if l not in self.links_down]
        choices = [("link", 4), ("kill", 4), ("phone", 3)]
        if len(self.stopped) < max(1, len(self.nodes) // 6):
            choices.append(("stop", 2))
        if self.stopped:
            choices.append(("start", 1))
        kind = self.rnd.choices([c for c, _ in choices], [w for _, w in choices])[0]
        if kind == "link" and up_links and len(self.links_down) < max(1, len(self.links) // 5):
            a, b = self.rnd.choice(up_links)
            self.sim.run("link", "down", a, b)
            self.links_down.add((a, b))
            return "link down", f"link {a}-{b} down"
        if kind == "link" and self.links_down:
            a, b = self.rnd.choice(sorted(self.links_down))
            self.sim.run("link", "up", a, b)
            self.links_down.discard((a, b))
            return "link up", f"link {a}-{b} up"
        if kind == "stop":
            n = self.rnd.choice(live)
            self.sim.run("node", "stop", n)
            self.stopped.add(n)
            self.prober.forget(n)
            return "node stop", f"node {n} stopped"
        if kind == "start":
            n = self.rnd.choice(sorted(self.stopped))
            rc, _ = self.sim.run("node", "start", n, timeout=300)
            if rc != 0:
                self.fig["start_fail"].append(n)
            self.stopped.discard(n)
            self.limed_kills.pop(n, None)
            for x in DAEMONS:
                self.kills.pop((n, x), None)
            sim_leftovers.snapshot(self.inst, self.snap)
            return "node start", f"node {n} started"
        if kind == "kill":
            n = self.rnd.choice(live)
            d = self.rnd.choice(["limed"] + DAEMONS)
            pids = ns_pids(self.nodes[n]["namespace"], d)
            for p in pids:
                try:
                    os.kill(p, signal.SIGKILL)
                except OSError:
                    pass
            if not pids:
                return "kill (not running)", f"kill {d} on {n}: not running"
            if d == "limed":
                # its daemons die with it and the new limed counts from 0
                self.limed_kills[n] = self.limed_kills.get(n, 0) + 1
                for x in DAEMONS:
                    self.kills.pop((n, x), None)
            else:
                self.kills[(n, d)] = self.kills.get((n, d), 0) + 1
            return f"kill {d}", f"kill -9 {d} on {n}"
        # phones
        if len(self.phones) < self.a.phones:
            name = f"p{len(self.phones) + 1}"
            at = self.rnd.choice(live)
            self.sim.run("client", "add", name, "--at", at, "--wait", "0")
            self.phones[name] = at
            return "phone joins", f"phone {name} joins at {at}"
        name = self.rnd.choice(sorted(self.phones))
        to = self.rnd.choice([n for n in live if n != self.phones[name]] or live)
        self.sim.run("client", "move", name, "--to", to, "--wait", "0")
        self.phones[name] = to
        return "phone moves", f"phone {name} moves to {to}"

    def heal(self):
        for a, b in sorted(self.links_down):
            self.sim.run("link", "up", a, b)
        self.links_down.clear()
        for n in sorted(self.stopped):
            rc, _ = self.sim.run("node", "start", n, timeout=300)
            if rc != 0:
                self.fig["start_fail"].append(n)
            self.limed_kills.pop(n, None)
            for x in DAEMONS:
                self.kills.pop((n, x), None)
        self.stopped.clear()
        sim_leftovers.snapshot(self.inst, self.snap)

    def verify(self, t_heal, initial=False):
        """Waits (up to --limit) for full reachability and identical tables; records the
        figures as a heal's, or as the initial convergence."""
        if not initial:
            self.fig["heals"] += 1
        label = "initial convergence" if initial else f"heal {self.fig['heals']}"
        limit = self.a.limit
        reach_t = tables_t = None
        last_missing, last_diff = set(), None
        while now() - t_heal < limit and (reach_t is None or tables_t is None):
            if reach_t is None:
                got, want = self.reach_round()
                if got == want:
                    reach_t = now() - t_heal
                    self.log("reach", seconds=round(reach_t, 1))
                else:
                    last_missing = want - got
            if tables_t is None:
                last_diff = self.tables_equal()
                if last_diff is None:
                    tables_t = now() - t_heal
                    self.log("tables", seconds=round(tables_t, 1))
            if reach_t is None or tables_t is None:
                time.sleep(0.5)
        if reach_t is None:
            srcs = sorted({s for s, _ in last_missing})
            self.fig["reach_fail"].append(len(last_missing))
            self.log.say(f"{label}: NOT all reachable after {limit} s: {len(last_missing)} pairs missing, "
                         f"e.g. {sorted(last_missing)[:6]} (from {len(srcs)} nodes)")
        elif initial:
            self.fig["initial_reach"] = reach_t
        else:
            self.fig["reach"].append(reach_t)
        if tables_t is None:
            self.fig["tables_fail"].append(last_diff)
            self.log.say(f"{label}: tables differ after {limit} s: {last_diff}")
        elif initial:
            self.fig["initial_tables"] = tables_t
        else:
            self.fig["tables"].append(tables_t)
        self.check_loops()
        self.log.say(f"{label}: all reach each other and the internet after "
                     f"{'%.1f s' % reach_t if reach_t is not None else 'NEVER'}; tables identical after "
                     f"{'%.1f s' % tables_t if tables_t is not None else 'NEVER'}")

    def run(self):
        if not self.up():
            self.fig["start_fail"].append("up")
            return 1
        # The mesh converges first (not counted as a heal).
        self.verify(now(), initial=True)
        end = now() + self.a.minutes * 60
        while now() < end:
            phase_end = min(end, now() + self.rnd.uniform(self.a.phase * 0.6, self.a.phase))
            while now() < phase_end:
                key, what = self.event()
                self.fig["events"][key] = self.fig["events"].get(key, 0) + 1
                self.log("event", text=what)
                pause = now() + self.rnd.uniform(1, self.a.gap)
                while now() < pause:
                    self.reach_round()
            self.log.say(f"heal: {len(self.links_down)} links up, {len(self.stopped)} nodes started "
                         f"({len(self.phones)} phones)")
            self.heal()
            self.verify(now())
        return 0

    def report(self, left):
        f = self.fig
        tgt = self.a.target
        lines = []
        ok = True

        def line(name, good, text):
            nonlocal ok
            ok = ok and good
            lines.append(f"  {'PASS' if good else 'FAIL'}  {name:7s} {text}")

        worst = max(f["reach"]) if f["reach"] else None
        if f["reach_fail"]:
            line("reach", False, f"{len(f['reach_fail'])} of {f['heals']} heals never fully reachable within "
                 f"{self.a.limit} s; worst of the others {'-' if worst is None else '%.1f s' % worst}")
        else:
            line("reach", worst is None or worst <= tgt, f"after each of {f['heals']} heals every node reached every "
                 f"other and the internet; worst {'-' if worst is None else '%.1f s' % worst} (target {tgt} s)")
        line("leases", not f["dup"], f"{len(f['dup'])} duplicate addresses over {f['lease_rounds']} checks of "
             f"{len(self.phones)} phones" + (f": {f['dup'][:3]}" if f["dup"] else ""))
        tw = max(f["tables"]) if f["tables"] else None
        if f["tables_fail"]:
            line("tables", False, f"{len(f['tables_fail'])} of {f['heals']} heals: a cloud's tables still differed after "
                 f"{self.a.limit} s ({f['tables_fail'][0]})")
        else:
            line("tables", tw is None or tw <= tgt, f"each cloud's tables identical after every heal; worst "
                 f"{'-' if tw is None else '%.1f s' % tw} (target {tgt} s)")
        un = {d: max(x for _, x in v) for d, v in f["unexplained"].items()}
        line("loops", not un and not f["not_up"] and not f["start_fail"],
             "no restart beyond our kills; every daemon up after every heal" if not un and not f["not_up"]
             else f"restarts beyond our kills (worst per daemon): {un}; not up: {f['not_up'][:5]}; "
                  f"node start failed: {f['start_fail']}")
        line("down", left == 0, f"{left} things left after down")
        ev = ", ".join(f"{k} {v}" for k, v in sorted(f["events"].items()))
        ir, it = f.get("initial_reach"), f.get("initial_tables")
        print(f"sim_chaos: {len(getattr(self, 'nodes', {}))} nodes, {self.a.minutes:g} min, seed {self.a.seed}; "
              f"events: {ev or 'none'}")
        print(f"sim_chaos: after up, all reachable in {'-' if ir is None else '%.1f s' % ir}, tables identical in "
              f"{'-' if it is None else '%.1f s' % it}")
        print("\n".join(lines))
        return 0 if ok else 1


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sim", required=True)
    ap.add_argument("--minutes", type=float, default=10)
    ap.add_argument("--nodes", type=int, default=30)
    ap.add_argument("--phones", type=int, default=10)
    ap.add_argument("--dhcp-limit", type=int, default=24)
    ap.add_argument("--seed", type=int, default=int(time.time()) % 100000)
    ap.add_argument("--phase", type=float, default=30, help="longest fault phase, s")
    ap.add_argument("--gap", type=float, default=5, help="longest pause between events, s")
    ap.add_argument("--target", type=float, default=30, help="reach/tables target after a heal, s")
    ap.add_argument("--limit", type=float, default=120, help="give up waiting after a heal, s")
    ap.add_argument("--tmp", default="/tmp")
    ap.add_argument("--log")
    ap.add_argument("--snapshot", required=True)
    a = ap.parse_args()
    c = Chaos(a)
    try:
        c.run()
    finally:
        t = now()
        sim_leftovers.mark(a.snapshot)
        c.sim.run("down", timeout=600)
        left = sim_leftovers.check(c.inst, a.snapshot, None)
        c.log.say(f"down in {now() - t:.0f} s")
    sys.exit(c.report(left))


if __name__ == "__main__":
    main()
