#!/usr/bin/env bash
# limed's phone UI against a node of a lime-sim mesh (issue 6): line n1 - n2 - n3 with
# gateway n1; headless Chromium (playwright-core, phone viewport) opens n2's UI through
# `lime-sim ui` and asserts every page shows the sim's mesh (neighbours n1 and n3, all
# three nodes, internet via n1), then renames n2 through Settings and sees lime-config
# write it and the header show it. The rename reaches the running node too, not only its
# files: limed's apply ran lime-apply --reload (a sim node is a plain-Linux node), whose
# dnsmasq.conf names roof-n2, and the supervisor restarted dnsmasq with it, so n2's own
# dnsmasq answers roof-n2 with n2's address (status --json).
# Screenshots: $LIME_BINARY_DIR/tests/browser/artifacts/sim-*.png
source "$(dirname "$0")/sim_lib.sh"
source "$(dirname "$0")/lib/browser.sh"
sim_init
browser_need
sim_need_stack
ART=${LIME_BINARY_DIR:-$SIM_SRC/build}/tests/browser/artifacts
browser_npm_ci "$SIM_SRC" || sim_fail "npm ci"
sim up line:3 --gateway n1 || sim_fail "lime-sim up failed"
root=$(node_field n2 root)
# the admin password of the browser test (mesh-admin-1), as on the limed_ui fixture; written
# from inside n2 (its /etc is an overlay over R/etc: a file replaced under it from the host
# may not be seen there)
sx n2 cp "$SIM_SRC/tests/api/fixture/etc/shadow" /etc/shadow || sim_fail "cannot set n2's /etc/shadow"
# a free base port on loopback: node i's UI is BASE+i
base=$((20000 + ($$ % 1500) * 8))  # below the ephemeral ports (32768-60999)
sim ui $base > "$SIM_TMP/ui.log" 2>&1 &
SIM_PIDS+=($!)
url=http://127.0.0.1:$((base + 1))/   # n2 is node 1 (n1 is 0)
sim_wait 60 curl -sf -m 3 "$url" || sim_fail "n2's UI not reachable at $url ($(cat "$SIM_TMP/ui.log"))"
dns_pid=$(cat "$root/var/run/dnsmasq.pid")
mkdir -p "$ART"; rm -f "$ART"/sim-*.png
sim_log "browser against n2 at $url"
node "$SIM_SRC/tests/browser/ui_test.mjs" --phase sim --url "$url" --artifacts "$ART" --root "$root" \
    --neighbours n1,n3 --nodes n1,n2,n3 --gateway n1 --newname roof-n2 || {
    # what other nodes' names come from (inside one cloud: shared-state's babeld-hosts by
    # babel router id), for a failure that is a name not known
    echo "n2 babeld-hosts: $(sx n2 shared-state-async get babeld-hosts 2>&1 | tr -d '\n ')"
    echo "n2 default route: $(sx n2 ip -4 route show default 2>&1)"
    sim_fail "browser phase sim"; }
# --- the applied rename in the running node: lime-apply's reload ---
ip2=$(node_field n2 ipv4)
grep -q "^host-record=roof-n2,roof-n2\." "$root/var/run/lime/dnsmasq.conf" ||
    sim_fail "lime-apply did not write roof-n2 into n2's dnsmasq.conf: $(grep host-record "$root/var/run/lime/dnsmasq.conf")"
resolves() { sx n2 busybox nslookup roof-n2 127.0.0.1 2>/dev/null | grep -qx "Address: $ip2"; }
sim_wait 60 resolves || sim_fail "n2's dnsmasq does not answer roof-n2 with $ip2: $(sx n2 busybox nslookup roof-n2 127.0.0.1 2>&1 | tr '\n' ' ')"
[[ "$(cat "$root/var/run/dnsmasq.pid")" != "$dns_pid" ]] || sim_fail "n2's dnsmasq was not restarted ($dns_pid)"
sim_log "n2's running dnsmasq (pid $(cat "$root/var/run/dnsmasq.pid"), was $dns_pid) answers roof-n2 = $ip2"
sim_log PASS
