#!/usr/bin/env python3
"""Checks respondd answers gathered from a lime-sim mesh against `lime-sim status --json`
(the truth), the way a community map would use them: yanic ties a batman neighbour to a
node by the MACs in that node's network.mesh.bat0.interfaces, a babel neighbour by the
link-local addresses in network.mesh.babel.interfaces.

usage: sim_respondd_check.py STATUS.json ANSWERS.jsonl [NODE=CLIENTS]...
ANSWERS: respondd_query.py output of "GET nodeinfo statistics neighbours" to every node."""
import json
import sys


def main():
    status = json.load(open(sys.argv[1]))
    answers = [json.loads(l)["data"] for l in open(sys.argv[2]) if l.strip()]
    clients = dict(a.split("=") for a in sys.argv[3:] if "=" in a)
    errors = []
    nodes = {n["name"]: n for n in status["nodes"] if not n["stopped"]}
    by_host = {a["nodeinfo"]["hostname"]: a for a in answers}
    if set(by_host) != set(nodes):
        errors.append(f"answers from {sorted(by_host)}, nodes are {sorted(nodes)}")
    # what yanic learns from nodeinfo: interface address -> node
    owner = {}
    for h, a in by_host.items():
        for m in a["nodeinfo"]["network"].get("mesh", {}).values():
            for addrs in m.get("interfaces", {}).values():
                for x in addrs:
                    owner[x] = h
        owner[a["nodeinfo"]["network"]["mac"]] = h
    neigh = {n: set() for n in nodes}
    for l in status["links"]:
        if l["up"] and l["a"] in nodes and l["b"] in nodes:
            neigh[l["a"]].add(l["b"])
            neigh[l["b"]].add(l["a"])
    gws = [n for n in nodes.values() if n["gateway"]]
    for h, a in by_host.items():
        n = nodes.get(h)
        if not n:
            continue
        ni, st, nb = a["nodeinfo"], a["statistics"], a["neighbours"]
        if n["ipv4"] not in ni["network"]["addresses"]:
            errors.append(f"{h}: {n['ipv4']} not in addresses {ni['network']['addresses']}")
        if ni["system"].get("site_code") != n["ssid"]:
            errors.append(f"{h}: site_code {ni['system'].get('site_code')!r}, SSID {n['ssid']!r}")
        if ni["vpn"] != n["gateway"]:
            errors.append(f"{h}: vpn (gateway) {ni['vpn']}, lime-sim says gateway={n['gateway']}")
        want_clients = int(clients.get(h, 0))
        if st["clients"]["total"] != want_clients:
            errors.append(f"{h}: clients.total {st['clients']['total']}, expected {want_clients}")
        babel = {owner.get(addr, "?" + addr) for i in nb["babel"].values() for addr in i["neighbours"]}
        if babel != neigh[h]:
            errors.append(f"{h}: babel neighbours {sorted(babel)}, radio links {sorted(neigh[h])}")
        same_cloud = {x for x in neigh[h] if nodes[x]["ssid"] == n["ssid"]}
        bat = {owner.get(m, "?" + m) for i in nb["batadv"].values() for m in i["neighbours"]}
        if bat != same_cloud:
            errors.append(f"{h}: batman neighbours {sorted(bat)}, same-cloud links {sorted(same_cloud)}")
        for i in nb["babel"].values():
            for addr, link in i["neighbours"].items():
                if not 0 < link["cost"] < 65535:
                    errors.append(f"{h}: babel link to {owner.get(addr)} has cost {link['cost']}")
        for i in nb["batadv"].values():
            for m, link in i["neighbours"].items():
                if not 0 < link["tq"] <= 255:
                    errors.append(f"{h}: batman link to {owner.get(m)} has tq {link['tq']}")
        if not n["gateway"] and gws:
            if st.get("gateway") not in [g["ipv4"] for g in gws]:
                errors.append(f"{h}: statistics.gateway {st.get('gateway')!r}, gateways "
                              f"{[g['ipv4'] for g in gws]}")
            if owner.get(st.get("gateway_nexthop")) not in neigh[h]:
                errors.append(f"{h}: gateway_nexthop {st.get('gateway_nexthop')!r} is no neighbour")
    for e in errors:
        print("FAIL " + e)
    print(f"{len(by_host)} nodes checked, {len(errors)} problems")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
