#!/usr/bin/env python3
"""TCP stream for the roaming scenario and benchmark.
  sim_tcp.py server PORT            echo every line back (runs until killed)
  sim_tcp.py client HOST PORT SECS  send a numbered line every 20 ms for SECS seconds, read
                                    each echo; prints "ok N maxgap_ms" and exits 0 only if the
                                    one connection carried every line in order."""
import socket, sys, time

def server(port):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("0.0.0.0", port))
    s.listen(4)
    while True:
        c, _ = s.accept()
        with c:
            while True:
                d = c.recv(4096)
                if not d:
                    break
                c.sendall(d)

def client(host, port, secs):
    c = socket.create_connection((host, port), timeout=30)
    c.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    f = c.makefile("rb")
    end = time.monotonic() + secs
    n, last, maxgap = 0, time.monotonic(), 0.0
    while time.monotonic() < end:
        c.sendall(b"%d\n" % n)
        line = f.readline()
        if line.strip() != b"%d" % n:
            print("broken at %d: got %r" % (n, line))
            return 1
        now = time.monotonic()
        maxgap = max(maxgap, now - last)
        last = now
        n += 1
        time.sleep(0.02)
    print("ok %d %d" % (n, maxgap * 1000))
    return 0

if __name__ == "__main__":
    if sys.argv[1] == "server":
        server(int(sys.argv[2]))
    else:
        sys.exit(client(sys.argv[2], int(sys.argv[3]), float(sys.argv[4])))
