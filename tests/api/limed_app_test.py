#!/usr/bin/env python3
"""Upstream LiMe-App 0.2.26 against limed: every method the app calls answers in the shape
the app's code reads (each test names the app source file and function it follows), and
the app's ways of changing a node end with the change applied.

Two limed on loopback inside a private network namespace (unshare --net; root), so the
host's routes cannot leak in: node A (127.0.0.1) and its neighbour node B (127.0.0.2),
both on one port. A fake babeld on A's local socket says B is A's babel neighbour and
A's way to the internet; B is A's gateway. With a real lime-config (--lime-config), the
apply paths run it; without root the tests are reported as SKIPPED.

usage: limed_app_test.py --limed PATH [--lime-config PATH] [--www DIR] [--emulator PATH]
(--emulator: cross builds, as limed_api_test.py)"""
import argparse
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from limed_api_test import EMULATOR, HERE, NULL_SID, ROOT_PW, emulated  # noqa: E402

A_IP, B_IP = "127.0.0.1", "127.0.0.2"


class _Keep(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kw):
        return None  # a 301 is what is tested, not where it leads


NO_REDIRECT = urllib.request.build_opener(_Keep)
B_ID = "02:4c:4d:00:7f:00:00:02"


class FakeBabeld:
    """babeld's local socket as limed reads it (banner, then `monitor`, answered as babeld
    does: the whole state, `ok`, then changes as they come, here none): B is a neighbour
    on lo, B's /32 and the default route go through B."""

    def __init__(self, path):
        self.path = path
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.bind(path)
        self.sock.listen(8)
        threading.Thread(target=self.serve, daemon=True).start()

    def serve(self):
        while True:
            try:
                c, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self.talk, args=(c,), daemon=True).start()

    def talk(self, c):
        try:
            c.sendall(b"BABEL 1.0\nversion babeld-1.12\nhost node-a\nmy-id 02:4c:4d:00:7f:00:00:01\nok\n")
            f = c.makefile("rb")
            for line in f:
                if line.strip() in (b"dump", b"monitor"):
                    c.sendall(("add interface lo up true\n"
                               f"add neighbour n1 address {B_IP} if lo reach ffff rxcost 96 txcost 96 cost 96\n"
                               f"add route r1 prefix {B_IP}/32 from 0.0.0.0/0 installed yes id {B_ID} "
                               f"metric 96 refmetric 0 via {B_IP} if lo\n"
                               f"add route r2 prefix 0.0.0.0/0 from 0.0.0.0/0 installed yes id {B_ID} "
                               f"metric 96 refmetric 0 via {B_IP} if lo\n"
                               "ok\n").encode())
        except OSError:
            pass
        finally:
            c.close()


class Node:
    def __init__(self, a, ip, port, name, prepare=None, babeld=False, env=None):
        self.root = tempfile.mkdtemp(prefix="ld-app-")
        shutil.rmtree(self.root)
        shutil.copytree(os.path.join(HERE, "fixture"), self.root)
        os.chmod(os.path.join(self.root, "etc/shadow"), 0o600)
        self.set_hostname(name)
        if prepare:
            prepare(self.root)
        self.ip, self.port = ip, port
        self.babeld = FakeBabeld(os.path.join(self.root, "babeld.sock")) if babeld else None
        self.log = open(os.path.join(self.root, "limed.log"), "w")
        args = EMULATOR + [a.limed, "--root", self.root, "--listen", f"{ip}:{port}",
                "--lime-config", a.lime_config or "/nonexistent/lime-config",
                "--babeld-socket", os.path.join(self.root, "babeld.sock"),
                "--no-shared-state" if not babeld else "--shared-state-port=0",
                "--respondd-port", "0"]
        args = [x for x in args if x != "--shared-state-port=0"]
        if a.www:
            args += ["--www", a.www]
        self.proc = subprocess.Popen(args, stdout=self.log, stderr=subprocess.STDOUT,
                                     env=dict(os.environ, **(env or {})))
        deadline = time.time() + 10
        while time.time() < deadline:
            try:
                socket.create_connection((ip, port), 0.2).close()
                return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("limed did not start: " + open(self.log.name).read())

    def set_hostname(self, name):
        p = os.path.join(self.root, "etc/config/system")
        with open(p) as f:
            text = f.read()
        with open(p, "w") as f:
            f.write(re.sub(r"option hostname '[^']*'", f"option hostname '{name}'", text))

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(5)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self.log.close()
        rc = self.proc.returncode
        if rc not in (0, None):
            print(f"  limed at {self.ip} exited with {rc}: " +
                  open(self.log.name).read()[-3000:].replace("\n", "\n  "))
        shutil.rmtree(self.root, ignore_errors=True)
        return rc

    def http(self, path, body=None, headers=None):
        req = urllib.request.Request(f"http://{self.ip}:{self.port}{path}", data=body,
                                     headers=headers or {})
        try:
            with NO_REDIRECT.open(req, timeout=20) as r:
                return r.status, r.read(), dict(r.headers)
        except urllib.error.HTTPError as e:
            return e.code, e.read(), dict(e.headers)

    def call(self, sid, obj, method, args=None):
        body = json.dumps({"id": 1, "jsonrpc": "2.0", "method": "call",
                           "params": [sid, obj, method, {} if args is None else args]}).encode()
        st, data, _ = self.http("/ubus", body)
        assert st == 200, st
        return json.loads(data)

    def ok(self, sid, obj, method, args=None):
        r = self.call(sid, obj, method, args)
        assert "result" in r and r["result"][0] == 0, f"{obj}.{method}: {r}"
        return r["result"][1] if len(r["result"]) > 1 else None

    def login(self, user, pw):
        return self.ok(NULL_SID, "session", "login",
                       {"username": user, "password": pw, "timeout": 5000})["ubus_rpc_session"]

    def file(self, rel):
        with open(os.path.join(self.root, rel)) as f:
            return f.read()

    def wait_applied(self, sid, timeout=30):
        deadline = time.time() + timeout
        while time.time() < deadline:
            p = self.ok(sid, "lime-utils", "get_pending_changes")
            if p["apply"]["state"] not in ("running",) and not (p["changes"] and p["apply"]["state"] == "none"):
                return p
            time.sleep(0.1)
        return p


def app_error(r):
    """uhttpd.service.js parseResult rejects with `message` when status is "error"."""
    return isinstance(r, dict) and r.get("status") == "error" and isinstance(r.get("message"), str)


TESTS = []


def test(needs_config=False):
    def deco(fn):
        fn.needs_config = needs_config
        TESTS.append(fn)
        return fn
    return deco


@test()
def status_page(a, b):
    # plugins/lime-plugin-rx/src/rxPage.js Page/SystemBox/MostActiveBox: node.hostname,
    # node.uptime (parseInt), node.ips[].version/.address, boardData.model and
    # boardData.release.description; MostActiveBox asks bat-hosts for most_active's
    # station_mac whenever most_active exists, so a node without stations leaves it out.
    pub = a.login("lime-app", "generic")
    s = a.ok(pub, "lime-utils", "get_node_status")
    assert s["hostname"] == "node-a" and int(float(s["uptime"])) >= 0, s
    assert all(ip["version"] in ("4", "6") and "/" in ip["address"] for ip in s["ips"]), s
    assert "most_active" not in s, s
    bd = a.ok(pub, "system", "board")
    assert bd["hostname"] == "node-a" and bd["model"] and bd["release"]["description"], bd
    i = a.ok(pub, "lime-metrics", "get_internet_status")
    assert all(isinstance(i[k]["working"], bool) for k in ("IPv4", "IPv6", "DNS")), i


@test()
def bat_hosts(a, b):
    # src/utils/api.js getBatHost: resolves response.bathost when status is "ok", else
    # rejects with response.message (and react-query retries 3 times: queries.js useBatHost).
    pub = a.login("lime-app", "generic")
    r = a.ok(pub, "bat-hosts", "get_bathost", {})
    assert app_error(r) and r["message"] == "invalid mac", r
    r = a.ok(pub, "bat-hosts", "get_bathost", {"mac": "02:4c:52:00:00:09", "outgoing_iface": "eth0"})
    assert app_error(r), r


@test()
def cloud_nodes_from_shared_state(a, b):
    # plugins/lime-plugin-changeNode/src/changeNodeApi.js: get_cloud_nodes -> nodes[]
    # (hostnames to visit); the names come from shared-state's bat-hosts, every node's bat0.
    root = a.login("root", ROOT_PW)
    r = a.ok(root, "shared-state-async", "insert", {"data_type": "bat-hosts", "json": {
        "02:4c:52:00:00:02": "node_b_bat0", "02:4c:52:00:00:03": "node_b_eth0",
        "02:4c:52:00:00:04": "roof_ana_bat0"}})
    assert r == {"error": 0}, r
    n = a.ok(a.login("lime-app", "generic"), "lime-utils", "get_cloud_nodes")
    assert n["status"] == "ok" and sorted(n["nodes"]) == ["node-a", "node-b", "roof-ana"], n


@test()
def metrics_page_path_gateway_and_link_tests(a, b):
    # plugins/lime-plugin-metrics/src/metricsApi.js getGateway/getPath/getMetrics and
    # metricsPage.tsx: each hop of path[] is measured by its ip (get_metrics {target}),
    # isGateway(station.ip, gateway.ip) marks the gateway, and "Only gateway"
    # (getGatewayMetrics) refetches the query of gateway.ip, which must be a hop's.
    pub = a.login("lime-app", "generic")
    deadline = time.time() + 20
    while time.time() < deadline:
        p = a.ok(pub, "lime-metrics", "get_path")["path"]
        if p and p[-1]["hostname"] == "node-b":
            break
        time.sleep(0.5)
    assert p == [{"ip": B_IP, "hostname": "node-b"}], p
    g = a.ok(pub, "lime-metrics", "get_gateway")["gateway"]
    assert g == p[-1], (g, p)
    t0 = time.time()
    m = a.ok(pub, "lime-metrics", "get_metrics", {"target": B_IP})
    took = time.time() - t0
    # box/index.js: metrics.bandwidth (Mbps) and metrics.loss (%) as strings
    assert isinstance(m["bandwidth"], str) and float(m["bandwidth"]) > 0, m
    assert m["loss"] == "0", m
    assert took < 10, took  # the app gives up after 15 s
    bad = a.ok(pub, "lime-metrics", "get_metrics", {"target": "not-an-ip"})
    assert app_error(bad), bad
    # unreachable target: no bandwidth, full loss, answered within the app's 15 s
    m = a.ok(pub, "lime-metrics", "get_metrics", {"target": "192.0.2.1"})
    assert float(m["bandwidth"]) == 0 and m["loss"] == "100", m
    # while a test runs, the loop keeps answering other calls
    out = {}
    th = threading.Thread(target=lambda: out.update(a.ok(pub, "lime-metrics", "get_metrics", {"target": B_IP})))
    th.start()
    time.sleep(0.3)
    t0 = time.time()
    a.ok(pub, "system", "board")
    assert time.time() - t0 < 1, "a running link test held up another call"
    th.join()
    assert float(out["bandwidth"]) > 0, out


@test()
def bandwidth_source_is_bounded(a, b):
    # the other end of get_metrics: B streams zeros to A's link test; two at once at most
    held = []
    for _ in range(2):
        s = socket.create_connection((B_IP, b.port))
        s.sendall(b"GET /cgi-bin/lime/bwtest HTTP/1.0\r\n\r\n")
        assert s.recv(64).startswith(b"HTTP/1.1 200"), "bwtest stream did not start"
        held.append(s)
    st, body, _ = b.http("/cgi-bin/lime/bwtest")
    assert st == 503, st
    for s in held:
        s.close()


@test()
def gateway_node_is_its_own_gateway(a, b):
    # metricsPage.tsx ShowPathButton: isGateway(boardData.hostname, gateway.hostname) shows
    # "This node is the gateway"; B has no default route and no babel: no gateway at all.
    pub = b.login("lime-app", "generic")
    g = b.ok(pub, "lime-metrics", "get_gateway")
    assert app_error(g), g
    assert b.ok(pub, "lime-metrics", "get_path")["path"] == []


@test(needs_config=True)
def reboot_applies_staged_changes(a, b):
    # plugins/lime-plugin-node-admin/src/nodeAdminQueries.js useChangeHostname stages the
    # name and asks for a reboot; src/utils/api.js reboot() resolves on any result[0] == 0
    # (containers/RebootPage shows "Rebooting"). limed applies instead of rebooting.
    root = a.login("root", ROOT_PW)
    r = a.ok(root, "lime-utils-admin", "set_hostname", {"hostname": "roof-a"})
    assert r["status"] == "ok", r
    assert a.call(root, "system", "reboot")["result"][0] == 0
    p = a.wait_applied(root)
    assert p["apply"]["state"] == "ok" and p["changes"] == [], p
    assert "hostname 'roof-a'" in a.file("etc/config/lime-node")
    assert a.ok(root, "system", "board")["hostname"] == "roof-a"
    # nothing pending: still a success, nothing happens
    assert a.call(root, "system", "reboot")["result"][0] == 0
    # the public session may not
    assert a.call(a.login("lime-app", "generic"), "system", "reboot")["error"]["code"] == -32002


@test(needs_config=True)
def wizard_joins_the_neighbours_network(a, b):
    # plugins/lime-plugin-fbw/src/FbwQueries.js _scanStatus: ap = host__(.+)__ of
    # networks[].file, bssid = its last "__" part, matched to scanned[].bssid
    # (ScanList.js getNetworkFromBssid); NetworkTile.js statusMessage needs
    # status.retval/code; ScanList.js selectNetwork reads config.wifi.apname_ssid
    # .split("/%H") and config.wifi.ap_ssid; SelectForm.js setNetwork {file, hostname}.
    pub = a.login("lime-app", "generic")
    assert a.ok(pub, "lime-fbw", "status")["lock"] is True
    root = a.login("root", "")  # a fresh node: root without password
    assert a.ok(root, "lime-fbw", "start")["status"] is True
    deadline = time.time() + 15
    while time.time() < deadline:
        s = a.ok(root, "lime-fbw", "status")
        if s["status"] == "scanned":
            break
        time.sleep(0.2)
    assert s["status"] == "scanned" and len(s["networks"]) == 1 and len(s["scanned"]) == 1, s
    net, st = s["networks"][0], s["scanned"][0]
    host = re.search(r"(?<=host__)(.+)(?=__)", net["file"]).group(1)
    assert host == "node-b", net["file"]
    assert net["file"].split("__").pop() == st["bssid"], (net["file"], st)
    assert st["status"] == {"retval": True, "code": "downloaded_config"}, st
    assert net["config"]["wifi"]["ap_ssid"] == "BarrioB", net
    assert net["config"]["wifi"]["apname_ssid"].split("/%H")[0], net
    r = a.ok(root, "lime-fbw", "set_network", {"file": net["file"], "hostname": "casa-a"})
    assert r["status"] == "configuring", r
    p = a.wait_applied(root)
    assert p["apply"]["state"] == "ok", p
    assert a.file("etc/config/lime-community") == b.file("etc/config/lime-community")
    assert a.ok(pub, "system", "board")["hostname"] == "casa-a"
    assert a.ok(pub, "lime-fbw", "status")["lock"] is False


@test(needs_config=True)
def roaming_ap_and_wifi_password(a, b):
    # plugins/lime-plugin-node-admin/src/nodeAdminApi.js setupRoamingAP/changeApNamePassword
    # and nodeAdminPage.js RoamingAP: community_ap.enabled, community_ap.ssid,
    # community_ap.community.enabled (roamingAP.js); node_ap.has_password (ApPassword).
    root = a.login("root", ROOT_PW)
    ap = a.ok(root, "wireless-service-admin", "get_access_points_data")
    assert ap["community_ap"] == {"enabled": True, "ssid": "TestMesh", "community": {"enabled": True}}, ap
    assert a.ok(root, "wireless-service-admin", "set_community_ap", {"enabled": False})["status"] == "ok"
    assert a.call(root, "wireless-service-admin", "set_community_ap", {"enabled": "no"})["result"] == [2]
    r = a.ok(root, "wireless-service-admin", "set_node_ap", {"has_password": True, "password": "wifi-pass-123"})
    assert r["status"] == "ok", r
    ap = a.ok(root, "wireless-service-admin", "get_access_points_data")
    assert ap["community_ap"]["enabled"] is False and ap["community_ap"]["community"]["enabled"] is True, ap
    assert ap["node_ap"]["has_password"] is True and ap["node_ap"]["enabled"] is True, ap
    assert a.call(root, "system", "reboot")["result"][0] == 0  # the app's way to apply
    assert a.wait_applied(root)["apply"]["state"] == "ok"
    node = a.file("etc/config/lime-node")
    band = node.split("config lime-wifi-band '2ghz'")[1]
    assert "list modes 'apname'" in band and "list modes 'ieee80211s'" in band and "'ap'" not in band, node
    assert "apname_key 'wifi-pass-123'" in node, node
    pub = a.login("lime-app", "generic")
    assert a.ok(pub, "wireless-service", "get_access_points_data")["community_ap"]["enabled"] is False
    assert a.ok(root, "wireless-service-admin", "set_community_ap", {"enabled": True})["status"] == "ok"
    a.ok(root, "system", "reboot")
    assert a.wait_applied(root)["apply"]["state"] == "ok"
    band = a.file("etc/config/lime-node").split("config lime-wifi-band '2ghz'")[1]
    assert "list modes 'ap'" in band, band


@test()
def hotspot(a, b):
    # plugins/lime-plugin-node-admin/src/screens/hotspot/src/hotspotPage.js SubmitError:
    # "radio has mesh ifaces" is shown in words, any other message as "Error: Not Saved";
    # hotspotQueries.js reads enabled/connected/signal.
    root = a.login("root", ROOT_PW)
    s = a.ok(root, "lime-utils", "hotspot_wwan_get_status")
    assert s["enabled"] is False and s["connected"] is False, s
    r = a.ok(root, "lime-utils-admin", "hotspot_wwan_enable")
    radio = os.path.isdir("/sys/class/ieee80211") and os.listdir("/sys/class/ieee80211")
    assert app_error(r), r
    assert r["message"] == "radio has mesh ifaces" if radio else "no Wi-Fi radio" in r["message"], r
    assert a.ok(root, "lime-utils", "hotspot_wwan_get_status")["enabled"] is False


def multipart(fields):
    boundary = "----limedtest7MA4YWxkTrZu0gW"
    body = b""
    for name, value, filename in fields:
        body += f"--{boundary}\r\n".encode()
        disp = f'form-data; name="{name}"' + (f'; filename="{filename}"' if filename else "")
        body += f"Content-Disposition: {disp}\r\n".encode()
        if filename:
            body += b"Content-Type: application/octet-stream\r\n"
        body += b"\r\n" + value + b"\r\n"
    body += f"--{boundary}--\r\n".encode()
    return body, {"Content-Type": f"multipart/form-data; boundary={boundary}"}


@test()
def firmware_upload_and_check(a, b):
    # plugins/lime-plugin-firmware/src/firmwareApi.js uploadFile: POST /cgi-bin/cgi-upload
    # with sessionid, filename (/tmp/firmware.bin), filedata; then upgradeFirmware
    # {fw_path, metadata}; upgradePage.js UpgradeFromFile maps "Invalid firmware".
    root = a.login("root", ROOT_PW)
    image = bytes(range(256)) * 1024
    body, h = multipart([("sessionid", root.encode(), None), ("filename", b"/tmp/firmware.bin", None),
                         ("filedata", image, "lime.bin")])
    st, data, _ = a.http("/cgi-bin/cgi-upload", body, h)
    assert st == 200, (st, data)
    r = json.loads(data)
    assert r["size"] == len(image) and re.fullmatch(r"[0-9a-f]{32}", r["checksum"]), r
    with open(os.path.join(a.root, "tmp/firmware.bin"), "rb") as f:
        assert f.read() == image
    # not root, or another path: refused, nothing written
    pub = a.login("lime-app", "generic")
    for sid, name in ((pub, b"/tmp/firmware.bin"), (root, b"/etc/shadow"), ("0" * 32, b"/tmp/firmware.bin")):
        body, h = multipart([("sessionid", sid.encode(), None), ("filename", name, None),
                             ("filedata", b"x" * 10, "x.bin")])
        st, _, _ = a.http("/cgi-bin/cgi-upload", body, h)
        assert st == 403, (sid, name, st)
    assert "root:" in a.file("etc/shadow")
    st, _, _ = a.http("/cgi-bin/cgi-upload", b"not multipart", {"Content-Type": "text/plain"})
    assert st == 400, st
    # no sysupgrade on this machine: no image fits it
    r = a.ok(root, "lime-utils-admin", "firmware_upgrade",
             {"fw_path": "/tmp/firmware.bin", "metadata": {"upgrade_timestamp": "1700000000.0"}})
    assert app_error(r) and r["message"] == "Invalid firmware", r
    r = a.ok(root, "lime-utils-admin", "firmware_upgrade", {"fw_path": "/etc/shadow"})
    assert app_error(r), r
    assert a.call(pub, "lime-utils-admin", "firmware_upgrade", {"fw_path": "/tmp/firmware.bin"})["error"]["code"] == -32002


FAKE_SYSUPGRADE = """#!/bin/sh
# a router's sysupgrade as far as limed sees it: --test accepts images that start GOODFW
if [ "$1" = --test ]; then head -c 6 "$2" | grep -q GOODFW; exit $?; fi
echo "$@" > "$(dirname "$0")/flashed"
"""


@test()
def firmware_on_a_router(a, b):
    # firmwareApi.js upgradeFirmware resolves with {metadata} and upgradePage.js moves on
    # to the upgrading page; the flash starts after the answer (firmware.h).
    root = a.login("root", ROOT_PW)
    for image, want in ((b"BADIMG" + b"0" * 100, "Invalid firmware"), (b"GOODFW" + b"0" * 100, None)):
        body, h = multipart([("sessionid", root.encode(), None), ("filename", b"/tmp/firmware.bin", None),
                             ("filedata", image, "lime.bin")])
        assert a.http("/cgi-bin/cgi-upload", body, h)[0] == 200
        r = a.ok(root, "lime-utils-admin", "firmware_upgrade",
                 {"fw_path": "/tmp/firmware.bin", "metadata": {"upgrade_timestamp": "1700000000.0"}})
        if want:
            assert app_error(r) and r["message"] == want, r
        else:
            assert r["status"] == "ok" and r["metadata"]["upgrade_timestamp"] == "1700000000.0", r
            assert r["metadata"]["config_preserved"] is True, r
    flashed = os.path.join(os.path.dirname(a.sysupgrade), "flashed")
    deadline = time.time() + 10
    while time.time() < deadline and not os.path.exists(flashed):
        time.sleep(0.2)
    with open(flashed) as f:
        assert f.read().strip() == os.path.join(a.root, "tmp/firmware.bin")
    assert json.loads(a.file("etc/upgrade_metadata"))["upgrade_timestamp"] == "1700000000.0"


@test()
def absent_features_answer_as_absent(a, b):
    # plugins/lime-plugin-firmware/src/firmwareApi.js getNewVersion and
    # plugins/lime-plugin-pirania/src/piraniaApi.js: -32000 (object not found) is "absent".
    root = a.login("root", ROOT_PW)
    for obj, m in (("eupgrade", "is_new_version_available"), ("pirania", "list_vouchers"),
                   ("tmate", "get_session"), ("check-internet", "is_connected")):
        assert a.call(root, obj, m)["error"]["code"] == -32000, (obj, m)
    u = a.ok(root, "lime-utils", "get_upgrade_info")
    # firmwareApi.js getUpgradeInfo: suCounter = Number(safe_upgrade_confirm_remaining_s)
    assert u["is_upgrade_confirm_supported"] is False and u["safe_upgrade_confirm_remaining_s"] == -1


@test()
def app_is_served_from_app_dir(a, b):
    # upstream's package installs the app in /www/app; its index.html switches its
    # stylesheet on with onload="this.media='all'" and the map page loads Leaflet from unpkg.
    st, body, h = a.http("/app")
    assert st == 301 and h.get("Location") == "/app/", (st, h)
    st, body, h = a.http("/app/")
    assert st == 200 and h["Content-Type"].startswith("text/html") and b"LimeApp" in body, (st, h)
    csp = h["Content-Security-Policy"]
    assert "'sha256-MhtPZXr7+LpJUY5qtMutB+qWfQtMaPccfe7QXtCcEYc='" in csp and "https://unpkg.com" in csp, csp
    st, _, h = a.http("/app/bundle.js")
    assert st == 200 and h["Content-Type"].startswith("text/javascript"), h
    # LiMe-C's own UI keeps its strict policy
    st, _, h = a.http("/")
    assert st == 200 and "unsafe-hashes" not in h["Content-Security-Policy"] and "unpkg" not in h["Content-Security-Policy"]
    st, _, _ = a.http("/app/../etc/shadow")
    assert st == 404


def fresh_node(root):
    os.unlink(os.path.join(root, "etc/config/lime-community"))
    with open(os.path.join(root, "etc/shadow"), "w") as f:
        f.write("root::19000:0:99999:7:::\n")


def community_b(root):
    with open(os.path.join(root, "etc/config/lime-community"), "w") as f:
        f.write("config lime 'wifi'\n\toption ap_ssid 'BarrioB'\n\toption apname_ssid 'BarrioB/%H'\n")


def fake_app(root):
    d = os.path.join(root, "app")
    os.makedirs(d)
    with open(os.path.join(d, "index.html"), "w") as f:
        f.write("<!DOCTYPE html><title>LimeApp</title>"
                "<link href=\"/app/bundle.css\" rel=\"stylesheet\" media=\"only x\" onload=\"this.media='all'\">")
    with open(os.path.join(d, "bundle.js"), "w") as f:
        f.write("console.log('app')\n")


def run_inside_netns(a):
    subprocess.run(["ip", "link", "set", "lo", "up"], check=True)
    failed = passed = 0
    for t in TESTS:
        if t.needs_config and not a.lime_config:
            print(f"SKIPPED {t.__name__}: no lime-config")
            continue
        port = 20000 + (os.getpid() % 20000)
        wizard = t is wizard_joins_the_neighbours_network
        www = tempfile.mkdtemp(prefix="ld-app-www-")
        if a.www:
            shutil.rmtree(www)
            shutil.copytree(a.www, www)
        fake_app(www)
        aa = argparse.Namespace(**vars(a))
        aa.www = www
        b = Node(aa, B_IP, port, "node-b", prepare=community_b)
        env = {}
        if t is firmware_on_a_router:
            tool = os.path.join(www, "sysupgrade")
            with open(tool, "w") as f:
                f.write(FAKE_SYSUPGRADE)
            os.chmod(tool, 0o755)
            env = {"LIME_SYSUPGRADE": tool}
        x = Node(aa, A_IP, port, "node-a", prepare=fresh_node if wizard else None, babeld=True, env=env)
        x.sysupgrade = env.get("LIME_SYSUPGRADE")
        try:
            t(x, b)
            print(f"ok   {t.__name__}")
            passed += 1
        except Exception as e:  # noqa: BLE001 - report every failing test
            failed += 1
            import traceback; print(f"FAIL {t.__name__}: {type(e).__name__}: {e} at line {traceback.extract_tb(e.__traceback__)[-1].lineno}")
            print("  node-a log: " + open(x.log.name).read()[-1500:].replace("\n", "\n  "))
        finally:
            for n in (x, b):
                if n.stop() not in (0, None):
                    failed += 1
                    print(f"FAIL {t.__name__}: limed exited badly")
            shutil.rmtree(www, ignore_errors=True)
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--limed", required=True)
    ap.add_argument("--lime-config", default="")
    ap.add_argument("--www", default="")
    ap.add_argument("--emulator", default="")
    ap.add_argument("--in-netns", action="store_true", help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.lime_config and not os.access(a.lime_config, os.X_OK):
        a.lime_config = ""
    if a.in_netns:
        wrapper = None
        if a.emulator:
            EMULATOR.append(a.emulator)
            if a.lime_config:
                a.lime_config = wrapper = emulated(a.lime_config)
        try:
            return run_inside_netns(a)
        finally:
            if wrapper:
                os.unlink(wrapper)
    if os.geteuid() != 0 or not shutil.which("unshare"):
        print("SKIPPED limed_app_test: needs root for its private network namespace")
        return 0
    return subprocess.call(["unshare", "--net", sys.executable, os.path.abspath(__file__),
                            "--in-netns"] + sys.argv[1:])


if __name__ == "__main__":
    sys.exit(main())
