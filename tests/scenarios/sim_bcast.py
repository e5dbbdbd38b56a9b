#!/usr/bin/env python3
"""Layer-2 broadcast probe for the segmentation scenario.
  sim_bcast.py listen PORT OUTFILE  write every datagram received on PORT to OUTFILE
  sim_bcast.py send PORT TAG COUNT  send COUNT datagrams "TAG k" to 255.255.255.255:PORT"""
import socket, sys, time

if sys.argv[1] == "listen":
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("0.0.0.0", int(sys.argv[2])))
    with open(sys.argv[3], "a", buffering=1) as out:
        while True:
            d, a = s.recvfrom(2048)
            out.write(d.decode(errors="replace") + "\n")
else:
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)
    for k in range(int(sys.argv[4])):
        s.sendto(b"%s %d" % (sys.argv[3].encode(), k), ("255.255.255.255", int(sys.argv[2])))
        time.sleep(0.1)
