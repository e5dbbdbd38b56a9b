#!/usr/bin/env python3
"""API tests for limed's /ubus JSON-RPC, /metrics and cgi endpoints, over real HTTP
against a running limed on a copy of tests/api/fixture (no /etc touched).

usage: limed_api_test.py --limed PATH [--lime-config PATH] [--www DIR] [--emulator PATH]
--emulator (cross builds, cmake/lime.cmake): runs limed, and the lime-config it starts,
through qemu-user.
The apply-succeeds test needs the real lime-config (build dir/src/config/lime-config);
without it that test is reported as SKIPPED (the failing-apply test always runs)."""
import argparse
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

NULL_SID = "0" * 32
HERE = os.path.dirname(os.path.abspath(__file__))
ROOT_PW = "mesh-admin-1"  # fixture's etc/shadow


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class Limed:
    def __init__(self, binary, lime_config, www, extra=(), prepare=None):
        self.root = tempfile.mkdtemp(prefix="ld-api-")
        shutil.rmtree(self.root)
        shutil.copytree(os.path.join(HERE, "fixture"), self.root)
        os.chmod(os.path.join(self.root, "etc/shadow"), 0o600)
        if prepare:
            prepare(self.root)
        self.port = free_port()
        self.log = open(os.path.join(self.root, "limed.log"), "w")
        args = EMULATOR + [binary, "--root", self.root, "--listen", f"127.0.0.1:{self.port}",
                "--lime-config", lime_config,
                "--babeld-socket", os.path.join(self.root, "no-babeld.sock"),
                "--shared-state-port", str(free_port())]
        if www:
            args += ["--www", www]
        args += list(extra)
        self.proc = subprocess.Popen(args, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.time() + 10
        while time.time() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), 0.2).close()
                return
            except OSError:
                if self.proc.poll() is not None:
                    break
                time.sleep(0.05)
        self.stop()
        raise RuntimeError("limed did not start: " + open(self.log.name).read())

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        self.log.close()
        rc = self.proc.returncode
        shutil.rmtree(self.root, ignore_errors=True)
        return rc

    def http(self, path, body=None, method=None):
        req = urllib.request.Request(f"http://127.0.0.1:{self.port}{path}", data=body,
                                     method=method)
        try:
            with urllib.request.urlopen(req, timeout=10) as r:
                return r.status, r.read(), dict(r.headers)
        except urllib.error.HTTPError as e:
            return e.code, e.read(), dict(e.headers)

    def raw(self, body):
        if isinstance(body, (dict, list)):
            body = json.dumps(body)
        if isinstance(body, str):
            body = body.encode()
        st, data, _ = self.http("/ubus", body)
        assert st == 200, st
        return json.loads(data)

    def call(self, sid, obj, method, args=None, rid=1):
        return self.raw({"id": rid, "jsonrpc": "2.0", "method": "call",
                         "params": [sid, obj, method, {} if args is None else args]})

    def ok(self, sid, obj, method, args=None):
        r = self.call(sid, obj, method, args)
        assert "result" in r and r["result"][0] == 0, f"{obj}.{method}: {r}"
        return r["result"][1] if len(r["result"]) > 1 else None

    def login(self, user, pw, timeout=5000):
        return self.ok(NULL_SID, "session", "login",
                       {"username": user, "password": pw, "timeout": timeout})["ubus_rpc_session"]

    def file(self, rel):
        with open(os.path.join(self.root, rel)) as f:
            return f.read()


def host_has_default_route():
    with open("/proc/net/route") as f:
        return any(line.split()[1] == "00000000" for line in f.readlines()[1:] if line.strip())


def denied(r):
    return r.get("error", {}).get("code") == -32002


TESTS = []


def test(fn):
    TESTS.append(fn)
    return fn


@test
def null_session_access(d):
    acl = d.ok(NULL_SID, "session", "access")
    assert set(acl["access-group"]) == {"unauthenticated"}, acl
    assert "login" in acl["ubus"]["session"]
    r = d.call(NULL_SID, "session", "access", {"scope": "ubus", "object": "system",
                                               "function": "board"})
    assert r["result"] == [0, {"access": False}], r


@test
def login_lime_app(d):
    r = d.ok(NULL_SID, "session", "login",
             {"username": "lime-app", "password": "generic", "timeout": 5000})
    assert re.fullmatch(r"[0-9a-f]{32}", r["ubus_rpc_session"]), r
    assert r["timeout"] == 5000 and r["expires"] == 5000
    assert r["data"]["username"] == "lime-app"
    acl = d.ok(r["ubus_rpc_session"], "session", "access")
    assert "lime-app" in acl["access-group"] and "root" not in acl["access-group"], acl


@test
def login_root_and_wrong_passwords(d):
    assert d.call(NULL_SID, "session", "login",
                  {"username": "root", "password": "nope"})["result"] == [6]
    assert d.call(NULL_SID, "session", "login",
                  {"username": "root", "password": ""})["result"] == [6]
    assert d.call(NULL_SID, "session", "login",
                  {"username": "lime-app", "password": "GENERIC"})["result"] == [6]
    assert d.call(NULL_SID, "session", "login",
                  {"username": "nobody", "password": "x"})["result"] == [6]
    assert d.call(NULL_SID, "session", "login", {"username": "root"})["result"] == [2]
    sid = d.login("root", ROOT_PW)
    acl = d.ok(sid, "session", "access")
    assert "root" in acl["access-group"], acl


@test
def login_throttling(d):
    for _ in range(5):
        assert d.call(NULL_SID, "session", "login",
                      {"username": "root", "password": "guess"})["result"] == [6]
    # now even the right password is refused from this address for a while
    assert d.call(NULL_SID, "session", "login",
                  {"username": "root", "password": ROOT_PW})["result"] == [6]
    _, body, _ = d.http("/metrics")
    assert b'limed_logins_total{result="failed"} 6' in body, body


@test
def unknown_and_null_sessions_denied(d):
    assert denied(d.call("f" * 32, "system", "board"))
    assert denied(d.call("f" * 32, "session", "access"))
    assert denied(d.call(NULL_SID, "system", "board"))
    assert denied(d.call(NULL_SID, "lime-utils", "get_notes"))


@test
def public_session_acl_denials(d):
    sid = d.login("lime-app", "generic")
    for obj, m, a in [("lime-utils-admin", "set_hostname", {"hostname": "abc"}),
                      ("lime-utils-admin", "apply", {}),
                      ("lime-utils-admin", "set_root_password", {"password": "x" * 12}),
                      ("wireless-service-admin", "get_access_points_data", {}),
                      ("wireless-service-admin", "set_node_ap", {"has_password": False}),
                      ("lime-fbw", "start", {}),
                      ("lime-fbw", "create_network", {"network": "a", "hostname": "abc",
                                                      "adminPassword": "x" * 10}),
                      ("shared-state-async", "insert", {"data_type": "x", "json": {}}),
                      ("system", "reboot", {}),
                      ("nonexistent", "x", {})]:
        r = d.call(sid, obj, m, a)
        assert denied(r), (obj, m, r)


@test
def object_not_found_and_method_not_found(d):
    root = d.login("root", ROOT_PW)
    pub = d.login("lime-app", "generic")
    for sid in (root, pub):
        for obj, m in [("pirania", "get_portal_config"), ("eupgrade", "is_new_version_available")]:
            r = d.call(sid, obj, m)
            assert r["error"]["code"] == -32000, r
    assert d.call(root, "tmate", "get_session")["error"]["code"] == -32000
    assert d.call(root, "system", "no_such_method")["result"] == [3]
    assert d.call(pub, "lime-utils", "get_no_such")["result"] == [3]


@test
def envelope_errors(d):
    assert d.raw("{not json")["error"]["code"] == -32700
    assert d.raw('{"jsonrpc":"2.0"} trailing')["error"]["code"] == -32700
    assert d.raw("")["error"]["code"] == -32700
    assert d.raw({"id": 1, "method": "call", "params": []})["error"]["code"] == -32600
    assert d.raw({"id": 1, "jsonrpc": "1.0", "method": "call"})["error"]["code"] == -32600
    assert d.raw([])["error"]["code"] == -32600
    assert d.raw("42")["error"]["code"] == -32600
    r = d.raw({"id": 7, "jsonrpc": "2.0", "method": "nope"})
    assert r["error"]["code"] == -32601 and r["id"] == 7, r
    base = {"id": 1, "jsonrpc": "2.0", "method": "call"}
    for params in ([NULL_SID, "session", "access"], [NULL_SID, "session", "access", []],
                   [1, "session", "access", {}], "x",
                   [NULL_SID, "session", "access", {"ubus_rpc_session": NULL_SID}]):
        r = d.raw(dict(base, params=params))
        assert r["error"]["code"] == -32602, (params, r)
    # the id is echoed whatever its type
    r = d.raw({"id": "abc", "jsonrpc": "2.0", "method": "call",
               "params": [NULL_SID, "session", "access", {}]})
    assert r["id"] == "abc" and r["jsonrpc"] == "2.0"


@test
def batch_and_list(d):
    r = d.raw([{"id": 1, "jsonrpc": "2.0", "method": "call",
                "params": [NULL_SID, "session", "access", {}]},
               {"id": 2, "jsonrpc": "2.0", "method": "call",
                "params": [NULL_SID, "system", "board", {}]}, 5])
    assert isinstance(r, list) and len(r) == 3, r
    assert r[0]["result"][0] == 0 and denied(r[1]) and r[2]["error"]["code"] == -32600
    names = d.raw({"id": 1, "jsonrpc": "2.0", "method": "list"})["result"]
    for n in ("session", "system", "lime-utils", "lime-utils-admin", "lime-metrics",
              "lime-location", "bat-hosts", "wireless-service", "lime-fbw",
              "shared-state-async"):
        assert n in names, names
    sig = d.raw({"id": 1, "jsonrpc": "2.0", "method": "list",
                 "params": ["lime-utils"]})["result"]
    assert sig["lime-utils"]["set_notes"] == {"text": "string"}, sig


@test
def body_limit(d):
    st, _, _ = d.http("/ubus", b"[" + b" " * (70 * 1024) + b"]")
    assert st == 413, st
    st, _, _ = d.http("/ubus", method="GET")
    assert st == 405, st


@test
def system_board_and_info(d):
    sid = d.login("lime-app", "generic")
    b = d.ok(sid, "system", "board")
    assert b["hostname"] == "fixture-node", b
    assert b["model"] == "LiMe-C test node" and b["board_name"] == "limec,fixture", b
    assert isinstance(b["release"]["description"], str) and b["release"]["description"]
    i = d.ok(sid, "system", "info")
    assert isinstance(i["uptime"], int) and len(i["load"]) == 3 and i["memory"]["total"] > 0


@test
def node_status_shape(d):
    sid = d.login("lime-app", "generic")
    s = d.ok(sid, "lime-utils", "get_node_status")
    assert s["hostname"] == "fixture-node"
    assert isinstance(s["uptime"], str) and float(s["uptime"]) > 0
    assert isinstance(s["ips"], list)
    for ip in s["ips"]:
        assert ip["version"] in ("4", "6") and "/" in ip["address"], ip
    # no radio stations: most_active absent (the app then asks bat-hosts nothing)
    assert "most_active" not in s and s["switch_status"] == []
    assert d.ok(sid, "lime-utils", "get_mesh_ifaces")["ifaces"] == []
    n = d.ok(sid, "lime-utils", "get_cloud_nodes")
    assert n["nodes"] == ["fixture-node"], n
    u = d.ok(sid, "lime-utils", "get_upgrade_info")
    assert u["is_upgrade_confirm_supported"] is False
    assert u["safe_upgrade_confirm_remaining_s"] == -1
    h = d.ok(sid, "lime-utils", "hotspot_wwan_get_status")
    assert h["enabled"] is False and h["connected"] is False
    c = d.ok(sid, "lime-utils", "get_config")
    assert c["config"]["ap_ssid"] == "TestMesh", c


@test
def notes_roundtrip(d):
    sid = d.login("lime-app", "generic")
    assert d.ok(sid, "lime-utils", "get_notes")["notes"] == "Key to the roof is with Ana.\n"
    r = d.ok(sid, "lime-utils", "set_notes", {"text": "ñandú \"quoted\"\nline 2"})
    assert r["notes"] == "ñandú \"quoted\"\nline 2" and r["status"] == "ok"
    assert d.file("etc/banner.notes") == "ñandú \"quoted\"\nline 2"
    assert d.call(sid, "lime-utils", "set_notes", {"text": 5})["result"] == [2]
    r = d.ok(sid, "lime-utils", "set_notes", {"text": "x" * 40000})
    assert r["status"] == "error" and r["message"], r


@test
def community_settings(d):
    sid = d.login("lime-app", "generic")
    c = d.ok(sid, "lime-utils", "get_community_settings")
    assert c == {"status": "ok", "good_signal": "-65", "bad_signal": "-82",
                 "good_bandwidth": "5", "bad_bandwidth": "1", "acceptable_loss": "20"}, c
    with open(os.path.join(d.root, "etc/config/lime-app"), "w") as f:
        f.write("config lime-app 'thresholds'\n\toption good_signal '-60'\n")
    assert d.ok(sid, "lime-utils", "get_community_settings")["good_signal"] == "-60"


@test
def wireless_service(d):
    pub = d.login("lime-app", "generic")
    ap = d.ok(pub, "wireless-service", "get_access_points_data")
    assert ap["node_ap"] == {"enabled": True, "has_password": False,
                             "ssid": "TestMesh/fixture-node"}, ap
    assert ap["community_ap"]["ssid"] == "TestMesh" and ap["community_ap"]["enabled"] is True
    assert ap["community_ap"]["community"]["enabled"] is True
    root = d.login("root", ROOT_PW)
    r = d.ok(root, "wireless-service-admin", "set_node_ap",
             {"has_password": True, "password": "short"})
    assert r["status"] == "error", r
    r = d.ok(root, "wireless-service-admin", "set_node_ap",
             {"has_password": True, "password": "longenough1", "ssid": "Casa-Ana"})
    assert r["status"] == "ok", r
    ap = d.ok(root, "wireless-service-admin", "get_access_points_data")
    assert ap["node_ap"]["password"] == "longenough1" and ap["node_ap"]["has_password"] is True
    assert ap["node_ap"]["ssid"] == "Casa-Ana"
    assert "password" not in d.ok(pub, "wireless-service", "get_access_points_data")["node_ap"]
    d.ok(root, "lime-utils-admin", "discard_changes")


@test
def metrics_object_without_babeld(d):
    sid = d.login("lime-app", "generic")
    s = d.ok(sid, "lime-metrics", "get_internet_status")
    for k in ("IPv4", "IPv6", "DNS"):
        assert isinstance(s[k]["working"], bool), s
    assert d.ok(sid, "lime-metrics", "get_path")["path"] == []
    g = d.ok(sid, "lime-metrics", "get_gateway")
    if host_has_default_route():  # a default route of its own: this node is the gateway
        assert g["gateway"]["hostname"] == "fixture-node", g
    else:
        assert g["status"] == "error" and g["message"], g
    n = d.ok(sid, "lime-utils", "get_neighbors")
    assert n["neighbors"] == [] and n["babeld"] is False
    g = d.ok(sid, "lime-utils", "get_gateways")
    assert g["gateways"] == [] and g["preferred"] == ""
    assert g["this_node_is_gateway"] is host_has_default_route(), g
    assert d.ok(sid, "lime-utils", "get_nodes")["nodes"] == []


@test
def location(d):
    sid = d.login("lime-app", "generic")
    g = d.ok(sid, "lime-location", "get")
    assert g["location"] == {"lat": "FIXME", "lon": "FIXME"} and g["default"] is True, g
    r = d.ok(sid, "lime-location", "set", {"lat": "-31.80133", "lon": "-64.41285"})
    assert r["lat"] == "-31.80133" and r["lon"] == "-64.41285"
    g = d.ok(sid, "lime-location", "get")
    assert g["location"] == {"lat": "-31.80133", "lon": "-64.41285"} and g["default"] is False
    assert "latitude '-31.80133'" in d.file("etc/config/lime-node")
    for bad in ({"lat": "91", "lon": "0"}, {"lat": "1; rm -rf /", "lon": "0"}, {"lat": "1"}):
        assert d.ok(sid, "lime-location", "set", bad)["status"] == "error"
    a = d.ok(sid, "lime-location", "all_nodes_and_links")
    assert list(a) == ["result"] and isinstance(a["result"], dict), a


@test
def bat_hosts(d):
    sid = d.login("lime-app", "generic")
    os.makedirs(os.path.join(d.root, "tmp"), exist_ok=True)
    with open(os.path.join(d.root, "tmp/bat-hosts"), "w") as f:
        f.write("02:ab:cd:00:00:01 roof-ana_wlan0-mesh\n02:ab:cd:00:00:02 escuela_eth0\n"
                "02:ab:cd:00:00:03 escuela_bat0\n02:ab:cd:00:00:04 roof_ana_bat0\n")
    r = d.ok(sid, "bat-hosts", "get_bathost", {"mac": "02:AB:CD:00:00:01",
                                              "outgoing_iface": "wlan0-mesh"})
    assert r["bathost"] == {"hostname": "roof-ana", "iface": "wlan0-mesh"}, r
    r = d.ok(sid, "bat-hosts", "get_bathost", {"mac": "02:00:00:00:00:09"})
    assert r["status"] == "error" and r["message"]
    # as upstream's bat-hosts: a missing or malformed mac is an app-level error
    assert d.ok(sid, "bat-hosts", "get_bathost", {}) == {"status": "error", "message": "invalid mac"}
    assert d.ok(sid, "bat-hosts", "get_bathost", {"mac": "02:ab"})["status"] == "error"
    assert set(d.ok(sid, "lime-utils", "get_cloud_nodes")["nodes"]) == {
        "fixture-node", "roof-ana", "escuela"}


@test
def shared_state(d):
    sid = d.login("lime-app", "generic")
    r = d.ok(sid, "shared-state-async", "get", {"data_type": "bat-hosts"})
    assert r == {"data": {}, "error": 404}, r
    assert d.call(sid, "shared-state-async", "get", {"data_type": "../x"})["result"] == [2]
    root = d.login("root", ROOT_PW)
    r = d.ok(root, "shared-state-async", "insert",
             {"data_type": "bat-hosts", "json": {"02:ab:cd:00:00:07": "roof-ana_wlan0-mesh"}})
    assert r == {"error": 0}, r
    r = d.ok(sid, "shared-state-async", "get", {"data_type": "bat-hosts"})
    assert r["error"] == 0 and r["data"]["02:ab:cd:00:00:07"] == "roof-ana_wlan0-mesh", r
    r = d.ok(sid, "bat-hosts", "get_bathost", {"mac": "02:ab:cd:00:00:07"})
    assert r["bathost"] == {"hostname": "roof-ana", "iface": "wlan0-mesh"}, r
    r = d.ok(root, "shared-state-async", "insert", {"data_type": "no-such-type", "json": {"a": 1}})
    assert r["error"] == 2, r
    assert d.call(root, "shared-state-async", "insert", {"data_type": "bat-hosts", "json": []})["result"] == [2]
    r = d.ok(root, "shared-state-async", "sync", {"data_type": "bat-hosts", "peers_ip": []})
    assert r["error"] in (0, 5), r
    assert d.ok(sid, "shared-state-async", "publish_all") == {"error": 0}
    r = d.ok(sid, "shared-state-async", "get", {"data_type": "node_info"})
    assert r["error"] == 0 and r["data"], r  # this node published its own node_info
    a = d.ok(sid, "lime-location", "all_nodes_and_links")["result"]["fixture-node"]
    assert a["author"] == "fixture-node" and isinstance(a["bleachTTL"], int), a
    assert a["data"]["hostname"] == "fixture-node" and "coordinates" in a["data"], a
    st, body, _ = d.http("/metrics")
    assert b"lime_shared_state_up 1" in body, body


@test
def fbw_public_and_scan_without_neighbours(d):
    pub = d.login("lime-app", "generic")
    s = d.ok(pub, "lime-fbw", "status")
    assert s["lock"] is False and s["status"] == "idle" and s["networks"] == [] \
        and s["scanned"] == [], s
    root = d.login("root", ROOT_PW)
    assert d.ok(root, "lime-fbw", "start")["status"] is True
    s = d.ok(root, "lime-fbw", "status")
    assert s["status"] == "scanned" and s["networks"] == [], s
    r = d.ok(root, "lime-fbw", "set_network", {"file": "../../etc/shadow", "hostname": "abc"})
    assert r["status"] == "error", r


@test
def fbw_lock_on_fresh_node(d):
    os.unlink(os.path.join(d.root, "etc/config/lime-community"))
    pub = d.login("lime-app", "generic")
    assert d.ok(pub, "lime-fbw", "status")["lock"] is True
    assert d.ok(pub, "lime-fbw", "dismiss")["status"] == "ok"
    assert d.ok(pub, "lime-fbw", "status")["lock"] is False
    assert "firstbootwizard_dismissed 'true'" in d.file("etc/config/lime-node")


@test
def hostname_staging_and_failed_apply_keeps_config(d):
    # This instance's lime-config is a path that does not exist (see main()).
    root = d.login("root", ROOT_PW)
    r = d.ok(root, "lime-utils-admin", "set_hostname", {"hostname": "Bad Name!"})
    assert r["status"] == "error" and r["message"], r
    r = d.ok(root, "lime-utils-admin", "apply")
    assert r["status"] == "error" and "nothing" in r["message"], r
    before = {f: d.file("etc/config/" + f) for f in ("lime-node", "lime-community", "system")}
    assert d.ok(root, "lime-utils-admin", "set_hostname", {"hostname": "roof-ana"})["status"] == "ok"
    assert d.ok(root, "lime-utils-admin", "set_preferred_gateway",
                {"gateway": "10.13.0.9"})["status"] == "ok"
    p = d.ok(root, "lime-utils", "get_pending_changes")
    assert [(c["file"], c["section"], c["option"], c["value"]) for c in p["changes"]] == [
        ("lime-node", "system", "hostname", "roof-ana"),
        ("lime-node", "network", "preferred_gateway", "10.13.0.9")], p
    assert p["apply"]["state"] == "none"
    assert d.ok(root, "lime-utils", "get_gateways")["preferred_pending"] == "10.13.0.9"
    r = d.ok(root, "lime-utils-admin", "apply")
    deadline = time.time() + 10
    while time.time() < deadline:
        p = d.ok(root, "lime-utils", "get_pending_changes")
        if p["apply"]["state"] != "running":
            break
        time.sleep(0.1)
    assert p["apply"]["state"] == "failed" and "lime-config" in p["apply"]["message"], p
    assert len(p["changes"]) == 2, p
    after = {f: d.file("etc/config/" + f) for f in before}
    assert after == before, "a failed apply must leave the config files as they were"
    assert d.ok(root, "system", "board")["hostname"] == "fixture-node"
    d.ok(root, "lime-utils-admin", "discard_changes")
    assert d.ok(root, "lime-utils", "get_pending_changes")["changes"] == []


@test
def change_config_rules(d):
    root = d.login("root", ROOT_PW)
    r = d.ok(root, "lime-utils-admin", "change_config", {"changes": [
        {"config": "network", "section": "lan", "option": "proto", "value": "dhcp"}]})
    assert r["status"] == "error", r
    r = d.ok(root, "lime-utils-admin", "change_config", {"changes": [
        {"config": "lime-community", "section": "wifi", "option": "ap_ssid", "value": "x'y\nz"}]})
    assert r["status"] == "error", r
    r = d.ok(root, "lime-utils-admin", "change_config", {"changes": [
        {"config": "lime-community", "section": "wifi", "option": "ap_ssid", "value": "NewMesh"}]})
    assert r["status"] == "ok", r
    pub = d.login("lime-app", "generic")
    assert d.ok(pub, "wireless-service", "get_access_points_data")["community_ap"]["ssid"] == "NewMesh"
    d.ok(root, "lime-utils-admin", "discard_changes")


@test
def shared_password(d):
    root = d.login("root", ROOT_PW)
    assert d.ok(root, "lime-utils-admin", "set_root_password", {"password": "short"})["status"] == "error"
    assert d.ok(root, "lime-utils-admin", "set_root_password",
                {"password": "new-shared-pass-7"})["status"] == "ok"
    assert d.call(NULL_SID, "session", "login",
                  {"username": "root", "password": ROOT_PW})["result"] == [6]
    d.login("root", "new-shared-pass-7")
    comm = d.file("etc/config/lime-community")
    assert "root_password_policy 'SET_SECRET'" in comm and "root_password_secret '$6$" in comm
    assert os.path.exists(os.path.join(d.root, "etc/shadow-"))


@test
def session_destroy_and_expiry(d):
    sid = d.login("lime-app", "generic")
    assert d.call(sid, "session", "destroy")["result"] == [0]
    assert denied(d.call(sid, "system", "board"))
    short = d.login("lime-app", "generic", timeout=1)
    d.ok(short, "system", "board")
    time.sleep(2.2)
    assert denied(d.call(short, "system", "board"))


@test
def http_endpoints(d):
    st, body, h = d.http("/cgi-bin/hostname")
    assert st == 200 and body == b"fixture-node\n" and h.get("Access-Control-Allow-Origin") == "*"
    st, body, _ = d.http("/cgi-bin/lime/lime-community")
    assert st == 200 and b"ap_ssid 'TestMesh'" in body
    st, _, _ = d.http("/../etc/shadow")
    assert st == 404
    st, body, h = d.http("/")
    assert st == 200 and b"<!doctype html>" in body.lower() and "default-src 'self'" in h["Content-Security-Policy"], h
    st, _, h = d.http("/js/main.js")
    assert st == 200 and h["Content-Type"].startswith("text/javascript"), h
    st, _, h = d.http("/ubus", method="OPTIONS")
    assert st == 200 and "POST" in h.get("Access-Control-Allow-Methods", "")


@test
def prometheus_metrics(d):
    d.raw("{broken")
    st, body, h = d.http("/metrics")
    assert st == 200 and h["Content-Type"].startswith("text/plain"), h
    text = body.decode()
    line_re = re.compile(r'^[a-zA-Z_:][a-zA-Z0-9_:]*(\{[a-zA-Z_][a-zA-Z0-9_]*="[^"]*"'
                         r'(,[a-zA-Z_][a-zA-Z0-9_]*="[^"]*")*\})? -?[0-9.e+]+$')
    for line in text.splitlines():
        if not line.startswith("#"):
            assert line_re.match(line), line
    m = re.search(r'^limed_rpc_errors_total\{kind="parse"\} (\d+)$', text, re.M)
    assert m and int(m.group(1)) >= 1, text
    assert re.search(r"^lime_babeld_up 0$", text, re.M)
    assert re.search(r"^lime_neighbours\{protocol=\"babel\"\} 0$", text, re.M)


def run(tests, inst_factory):
    failed = 0
    for t in tests:
        d = inst_factory()
        try:
            t(d)
            print(f"ok   {t.__name__}")
        except Exception as e:  # noqa: BLE001 - report every failing test
            failed += 1
            print(f"FAIL {t.__name__}: {type(e).__name__}: {e}")
        finally:
            rc = d.stop()
            if rc not in (0, None):
                failed += 1
                print(f"FAIL {t.__name__}: limed exited with {rc}")
    return failed


def apply_succeeds(d):
    """With the real lime-config: hostname change applied into etc/config/system."""
    root = d.login("root", ROOT_PW)
    assert d.ok(root, "lime-utils-admin", "set_hostname", {"hostname": "roof-ana"})["status"] == "ok"
    d.ok(root, "lime-utils-admin", "apply")
    deadline = time.time() + 30
    while time.time() < deadline:
        p = d.ok(root, "lime-utils", "get_pending_changes")
        if p["apply"]["state"] != "running":
            break
        time.sleep(0.1)
    assert p["apply"]["state"] == "ok", p
    assert p["changes"] == []
    assert "hostname 'roof-ana'" in d.file("etc/config/lime-node")
    assert d.ok(root, "system", "board")["hostname"] == "roof-ana"


def apply_refused_by_lime_config(d):
    """lime-config refuses a bad value: its reason is reported, the files stay as they were."""
    root = d.login("root", ROOT_PW)
    before = d.file("etc/config/lime-community")
    r = d.ok(root, "lime-utils-admin", "change_config", {"changes": [
        {"config": "lime-community", "section": "network", "option": "main_ipv4_address",
         "value": "not-an-address"}]})
    assert r["status"] == "ok", r
    d.ok(root, "lime-utils-admin", "apply")
    deadline = time.time() + 30
    while time.time() < deadline:
        p = d.ok(root, "lime-utils", "get_pending_changes")
        if p["apply"]["state"] != "running":
            break
        time.sleep(0.1)
    assert p["apply"]["state"] == "failed", p
    msg = p["apply"]["message"]
    assert "not an IPv4 prefix" in msg and "info:" not in msg, msg
    assert len(p["changes"]) == 1
    assert d.file("etc/config/lime-community") == before


def fbw_create_network(d):
    """A fresh node (no community settings, root without password) creates a network."""
    os.unlink(os.path.join(d.root, "etc/config/lime-community"))
    with open(os.path.join(d.root, "etc/shadow"), "w") as f:
        f.write("root::19000:0:99999:7:::\n")
    pub = d.login("lime-app", "generic")
    assert d.ok(pub, "lime-fbw", "status")["lock"] is True
    root = d.login("root", "")  # a root without password takes any
    r = d.ok(root, "lime-fbw", "create_network", {"network": "Barrio", "hostname": "casa-1",
                                                 "adminPassword": "short"})
    assert r["status"] == "error", r
    r = d.ok(root, "lime-fbw", "create_network", {"network": "Barrio", "hostname": "casa-1",
                                                 "adminPassword": "barrio-admin-9"})
    assert r == {"status": "done"}, r
    deadline = time.time() + 30
    while time.time() < deadline:
        p = d.ok(root, "lime-utils", "get_pending_changes")
        if p["apply"]["state"] != "running":
            break
        time.sleep(0.1)
    assert p["apply"]["state"] == "ok", p
    comm = d.file("etc/config/lime-community")
    assert "ap_ssid 'Barrio'" in comm and "apname_ssid 'Barrio/%H'" in comm, comm
    assert d.ok(pub, "lime-fbw", "status")["lock"] is False
    assert d.ok(pub, "system", "board")["hostname"] == "casa-1"
    assert d.ok(pub, "wireless-service", "get_access_points_data")["node_ap"]["ssid"] == "Barrio/casa-1"
    assert d.call(NULL_SID, "session", "login", {"username": "root", "password": ""})["result"] == [6]
    d.login("root", "barrio-admin-9")


def lime_apply_failure_restores_everything(d):
    """lime-config succeeds, the linux backend's lime-apply (here /bin/false) fails: every
    config file lime-config rewrote is put back too, and a new file is removed."""
    root = d.login("root", ROOT_PW)
    cfg = os.path.join(d.root, "etc/config")
    before = {f: d.file("etc/config/" + f) for f in os.listdir(cfg)}
    assert d.ok(root, "lime-utils-admin", "set_hostname", {"hostname": "roof-ana"})["status"] == "ok"
    d.ok(root, "lime-utils-admin", "apply")
    deadline = time.time() + 30
    while time.time() < deadline:
        p = d.ok(root, "lime-utils", "get_pending_changes")
        if p["apply"]["state"] != "running":
            break
        time.sleep(0.1)
    assert p["apply"]["state"] == "failed" and p["apply"]["message"].startswith("lime-apply failed"), p
    after = {f: d.file("etc/config/" + f) for f in os.listdir(cfg)}
    assert after == before, sorted(set(after) ^ set(before)) or "contents differ"
    assert d.ok(root, "system", "board")["hostname"] == "fixture-node"


def supervised_daemon(root):
    os.makedirs(os.path.join(root, "var/run/lime"), exist_ok=True)
    with open(os.path.join(root, "var/run/lime/daemons"), "w") as f:
        f.write("sleeper\tv1\t/bin/sleep\t600\n")


def daemons_on_metrics(d):
    """runtime's supervisor runs inside limed: its daemons show on /metrics."""
    deadline = time.time() + 10
    while time.time() < deadline:
        _, body, _ = d.http("/metrics")
        if b'lime_daemon_up{name="sleeper"} 1' in body:
            break
        time.sleep(0.2)
    assert b'lime_daemon_up{name="sleeper"} 1' in body, body
    assert b'lime_daemon_restarts_total{name="sleeper"} 0' in body


EMULATOR = []


def emulated(program):
    """A host script that runs the target's PROGRAM through the emulator (limed starts
    lime-config by path, and a foreign binary cannot be exec'd without binfmt_misc)."""
    fd, path = tempfile.mkstemp(prefix="ld-api-emu-")
    with os.fdopen(fd, "w") as f:
        f.write(f"#!/bin/sh\nexec '{EMULATOR[0]}' '{program}' \"$@\"\n")
    os.chmod(path, 0o755)
    return path


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--limed", required=True)
    ap.add_argument("--lime-config", default="")
    ap.add_argument("--www", default="")
    ap.add_argument("--emulator", default="")
    a = ap.parse_args()
    wrapper = None
    if a.emulator:
        EMULATOR.append(a.emulator)
        if a.lime_config and os.access(a.lime_config, os.X_OK):
            a.lime_config = wrapper = emulated(a.lime_config)
    try:
        return tests(a)
    finally:
        if wrapper:
            os.unlink(wrapper)


def tests(a):
    missing = "/nonexistent/lime-config"
    failed = run(TESTS, lambda: Limed(a.limed, missing, a.www))
    failed += run([daemons_on_metrics], lambda: Limed(a.limed, missing, a.www, prepare=supervised_daemon))
    total = len(TESTS) + 1
    if a.lime_config and os.access(a.lime_config, os.X_OK):
        real = [apply_succeeds, apply_refused_by_lime_config, fbw_create_network]
        failed += run(real, lambda: Limed(a.limed, a.lime_config, a.www))
        failed += run([lime_apply_failure_restores_everything],
                      lambda: Limed(a.limed, a.lime_config, a.www, ["--lime-apply", "/bin/false"]))
        total += len(real) + 1
    else:
        print(f"SKIPPED apply_succeeds: no lime-config at '{a.lime_config}'")
    print(f"{total - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
