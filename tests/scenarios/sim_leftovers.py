#!/usr/bin/env python3
"""What a lime-sim instance leaves on the host, checked against what it had.

  sim_leftovers.py snapshot INSTANCE FILE   add this instance's processes and namespaces
                                            (network, mount, UTS) to FILE (JSON lines);
                                            call it as often as nodes restart
  sim_leftovers.py mark FILE                just before `lime-sim down`: processes started
                                            later are not the instance's (a namespace inode
                                            freed by down may be given to a new namespace)
  sim_leftovers.py check INSTANCE FILE [NODES_DIR]
                                            after `lime-sim down`: prints every process,
                                            namespace, mount and file still there; exit 1
                                            if there is any

A process is the instance's when its network namespace is one of the instance's
(/run/netns/ls-INSTANCE-*); its mount and UTS namespaces are then the instance's too
(the nodes' worlds), unless they are the host's own. After down no process may live in
any of those namespaces, no recorded process may still run, no mount on the host (this
process's and PID 1's mount tables) may name the instance, and neither the instance's
run directory nor the node roots may exist.
"""
import json
import os
import sys


def ns_inode(pid, kind):
    try:
        return os.stat(f"/proc/{pid}/ns/{kind}").st_ino
    except OSError:
        return None


def starttime(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            return int(f.read().rsplit(")", 1)[1].split()[19])
    except (OSError, IndexError, ValueError):
        return None


def pids():
    """Live processes: a zombie has ended (only its parent has not collected its status)."""
    for e in os.listdir("/proc"):
        if not e.isdigit():
            continue
        try:
            with open(f"/proc/{e}/stat") as f:
                if f.read().rsplit(")", 1)[1].split()[0] == "Z":
                    continue
        except (OSError, IndexError):
            continue
        yield int(e)


def instance_netns(inst):
    out = {}
    prefix = f"ls-{inst}-"
    try:
        names = os.listdir("/run/netns")
    except OSError:
        return out
    for n in names:
        if n.startswith(prefix):
            try:
                out[n] = os.stat(f"/run/netns/{n}").st_ino
            except OSError:
                pass
    return out


def snapshot(inst, path):
    nets = set(instance_netns(inst).values())
    host = {k: ns_inode("self", k) for k in ("mnt", "uts")}
    procs, mnts, utss = [], set(), set()
    for p in pids():
        if ns_inode(p, "net") not in nets:
            continue
        st = starttime(p)
        try:
            comm = open(f"/proc/{p}/comm").read().strip()
        except OSError:
            continue
        procs.append([p, st, comm])
        for kind, acc in (("mnt", mnts), ("uts", utss)):
            i = ns_inode(p, kind)
            if i is not None and i != host[kind]:
                acc.add(i)
    with open(path, "a") as f:
        f.write(json.dumps({"net": sorted(nets), "mnt": sorted(mnts), "uts": sorted(utss),
                            "procs": procs}) + "\n")
    print(f"snapshot: {len(nets)} network namespaces, {len(mnts)} mount namespaces, {len(procs)} processes")


def uptime_ticks():
    with open("/proc/uptime") as f:
        return int(float(f.read().split()[0]) * os.sysconf("SC_CLK_TCK"))


def mark(path):
    with open(path, "a") as f:
        f.write(json.dumps({"down_at": uptime_ticks()}) + "\n")


def mount_lines(pid):
    try:
        with open(f"/proc/{pid}/mountinfo") as f:
            return f.read().splitlines()
    except OSError:
        return []


def check(inst, path, nodes_dir=None):
    nets, mnts, utss, procs = set(), set(), set(), {}
    down_at = None
    with open(path) as f:
        for line in f:
            s = json.loads(line)
            if "down_at" in s:
                down_at = s["down_at"]
                continue
            nets.update(s["net"])
            mnts.update(s["mnt"])
            utss.update(s["uts"])
            for p, st, comm in s["procs"]:
                procs[(p, st)] = comm
    left = []
    for n in instance_netns(inst):
        left.append(f"network namespace /run/netns/{n}")
    for p in pids():
        st = starttime(p)
        if down_at is not None and st is not None and st > down_at:
            continue  # started after down began: not ours, whatever namespace inode it has
        for kind, rec in (("net", nets), ("mnt", mnts), ("uts", utss)):
            i = ns_inode(p, kind)
            if i is not None and i in rec:
                left.append(f"process {p} ({procs.get((p, starttime(p)), '?')}) in a {kind} namespace of the instance")
                break
        else:
            comm = procs.get((p, starttime(p)))
            if comm:
                left.append(f"process {p} ({comm}) started by the instance still runs")
    run_dir = f"/run/lime-sim/{inst}"
    needles = [f"ls-{inst}-", run_dir + "/"] + ([nodes_dir.rstrip("/") + "/"] if nodes_dir else [])
    for who in ("self", "1"):
        for line in mount_lines(who):
            if any(n in line for n in needles):
                left.append(f"mount ({who}): {line}")
    for d in [run_dir] + ([nodes_dir] if nodes_dir else []):
        if os.path.exists(d):
            files = sum(len(fs) + len(ds) for _, ds, fs in os.walk(d))
            left.append(f"{d} still exists ({files} entries below)")
    print(f"after down: {len(procs)} processes, {len(nets)} network namespaces, {len(mnts)} mount namespaces "
          f"were recorded; {len(left)} things left")
    for line in left:
        print("  LEFT:", line)
    return 1 if left else 0


if __name__ == "__main__":
    if len(sys.argv) >= 3 and sys.argv[1] == "mark":
        mark(sys.argv[2])
    elif len(sys.argv) >= 4 and sys.argv[1] == "snapshot":
        snapshot(sys.argv[2], sys.argv[3])
    elif len(sys.argv) >= 4 and sys.argv[1] == "check":
        sys.exit(check(sys.argv[2], sys.argv[3], sys.argv[4] if len(sys.argv) > 4 else None))
    else:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
