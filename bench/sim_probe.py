#!/usr/bin/env python3
"""sim_probe.py HOST SECS: every 50 ms fetch http://HOST/success.txt (300 ms timeout) for SECS
seconds; print one line "[epoch] bytes from HOST" per success (the format of `ping -D`), so
bench/sim_lib.sh's outage() reads it. Unlike ping it never gives up on ICMP errors."""
import socket, sys, time

host, secs = sys.argv[1], float(sys.argv[2])
end = time.time() + secs
while time.time() < end:
    t = time.time()
    try:
        with socket.create_connection((host, 80), timeout=0.3) as s:
            s.settimeout(0.3)
            s.sendall(b"GET /success.txt HTTP/1.0\r\n\r\n")
            if b"success" in s.recv(512):
                print("[%.6f] bytes from %s" % (time.time(), host), flush=True)
    except OSError:
        pass
    time.sleep(max(0.0, 0.05 - (time.time() - t)))
