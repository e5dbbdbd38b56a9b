#!/usr/bin/env python3
"""sim_probe.py HOST SECS [whoami]: every 50 ms fetch http://HOST/success.txt (300 ms timeout)
for SECS seconds; print one line "[epoch] bytes from HOST" per success (the format of
`ping -D`), so bench/sim_lib.sh's outage() reads it. Unlike ping it never gives up on ICMP
errors. With "whoami" it fetches /whoami instead (lime-sim's internet answers with the
address the request came from, i.e. the gateway's WAN address) and appends " via ADDR"."""
import socket, sys, time

host, secs = sys.argv[1], float(sys.argv[2])
who = len(sys.argv) > 3 and sys.argv[3] == "whoami"
path = b"/whoami" if who else b"/success.txt"
end = time.time() + secs
while time.time() < end:
    t = time.time()
    try:
        with socket.create_connection((host, 80), timeout=0.3) as s:
            s.settimeout(0.3)
            s.sendall(b"GET " + path + b" HTTP/1.0\r\n\r\n")
            data = b""
            while True:
                d = s.recv(512)
                if not d:
                    break
                data += d
            body = data.split(b"\r\n\r\n", 1)[-1].strip().decode(errors="replace")
            if who and body:
                print("[%.6f] bytes from %s via %s" % (time.time(), host, body), flush=True)
            elif b"success" in data:
                print("[%.6f] bytes from %s" % (time.time(), host), flush=True)
    except OSError:
        pass
    time.sleep(max(0.0, 0.05 - (time.time() - t)))
