#!/usr/bin/env python3
"""Probe rounds for bench/batd_grid.sh, from one process (no process start per ping: under
the qemu lab's emulation each costs 50-150 ms and would set the clock).

  grid_probe.py NSPREFIX N NEED -- OPEN_CMD...

Opens a raw ICMP socket inside each namespace NSPREFIX1..NSPREFIX<N> (setns), runs
OPEN_CMD (it opens the medium: the clock starts when it returns), then every 0.5 s sends
one echo request from every node i to 10.29.0.<(i-1+N/2) mod N + 1> (i+24 on 7x7) and waits up to 1 s for
the replies. Prints, for the first round in which at least NEED nodes got
their reply ("conv_ms ROUNDS REPLIES"), and exits 0; after GRID_PROBE_LIMIT (120) s
"-1 ROUNDS BEST_REPLIES" and exit 1."""
import ctypes, os, select, socket, struct, subprocess, sys, time

CLONE_NEWNET = 0x40000000
libc = ctypes.CDLL(None, use_errno=True)


def setns(fd):
    if libc.setns(fd, CLONE_NEWNET) != 0:
        e = ctypes.get_errno()
        raise OSError(e, os.strerror(e))


def csum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    s = (s >> 16) + (s & 0xffff)
    s += s >> 16
    return ~s & 0xffff


def echo(ident, seq):
    payload = b"lime-grid-probe"
    hdr = struct.pack("!BBHHH", 8, 0, 0, ident, seq)
    return struct.pack("!BBHHH", 8, 0, csum(hdr + payload), ident, seq) + payload


def main():
    prefix, n, need = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    cmd = sys.argv[sys.argv.index("--") + 1:]
    home = os.open("/proc/self/ns/net", os.O_RDONLY)
    socks = {}
    for i in range(1, n + 1):
        fd = os.open("/run/netns/%s%d" % (prefix, i), os.O_RDONLY)
        setns(fd)
        s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
        s.setblocking(False)
        socks[s.fileno()] = (i, s)
        os.close(fd)
    setns(home)
    base = os.getpid() & 0x7f00
    subprocess.run(cmd, check=True)
    t0 = time.monotonic()
    rounds = best = 0
    limit = float(os.environ.get("GRID_PROBE_LIMIT", "120"))
    while time.monotonic() - t0 < limit:
        rounds += 1
        seq = rounds & 0xffff
        for fd, (i, s) in socks.items():
            dst = "10.29.0.%d" % ((i - 1 + n // 2) % n + 1)
            try:
                s.sendto(echo(base + i, seq), (dst, 0))
            except OSError:
                pass  # no route yet
        got = set()
        deadline = time.monotonic() + 1.0
        while len(got) < n:
            left = deadline - time.monotonic()
            if left <= 0:
                break
            r, _, _ = select.select(list(socks), [], [], left)
            for fd in r:
                i, s = socks[fd]
                while True:
                    try:
                        pkt = s.recv(2048)
                    except BlockingIOError:
                        break
                    ihl = (pkt[0] & 0x0f) * 4
                    if len(pkt) < ihl + 8:
                        continue
                    typ, _, _, ident, pseq = struct.unpack("!BBHHH", pkt[ihl:ihl + 8])
                    if typ == 0 and ident == base + i and pseq == seq:
                        got.add(i)
        if os.environ.get("GRID_PROBE_DEBUG"):
            print("round %d at %.1f s: %d/%d" % (rounds, time.monotonic() - t0, len(got), n), file=sys.stderr)
        best = max(best, len(got))
        if len(got) >= need:
            print("%d %d %d" % ((time.monotonic() - t0) * 1000, rounds, len(got)))
            return 0
        time.sleep(0.5)
    print("-1 %d %d" % (rounds, best))
    return 1


if __name__ == "__main__":
    sys.exit(main())
