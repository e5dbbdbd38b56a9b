#!/usr/bin/env bash
# Demo of lime-config: runs it with --dry-run on a copy of the bundled worked-example node
# (tests/fixtures/worked-example: LibreRouter-like, two radios, WAN port; spec §8) and
# prints a short summary of the plan plus the size of the diff it would apply.
# Usage: scripts/demo-config.sh [--diff]   (--diff also prints the whole unified diff)
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${LIME_CONFIG:-}
for b in "${LIME_BINARY_DIR:-build}/src/config/lime-config" build/src/config/lime-config; do
    [[ -z "$BIN" && -x "$b" ]] && BIN=$b
done
if [[ -z "$BIN" ]]; then echo "demo-config: build first (make build)"; exit 1; fi
work=$(mktemp -d /tmp/lime-config-demo.XXXXXX)
trap 'rm -rf "$work"' EXIT
cp -a tests/fixtures/worked-example "$work/root"

"$BIN" --root "$work/root" -q --print-plan --json >"$work/plan.json"
"$BIN" --root "$work/root" -q --dry-run >"$work/diff"

python3 - "$work/plan.json" <<'PY'
import json, sys
p = json.load(open(sys.argv[1]))
print("lime-config demo: node of spec §8 (worked example)")
print(f"  hostname     {p['hostname']}   primary {p['primary_if']} {p['primary_mac']}")
print(f"  cloud        ssid '{p['ap_ssid']}'  network id {p['network_id'][:10]}...")
print(f"  addresses    {p['node4']}  {p['node6']}")
g = p['anygw']
print(f"  anygw        {g['mac']}  {g['ip4']}  {g['ip6']}  table {g['table']}")
vl = [d for d in p['devices'] if d['type'] == 'vlan']
print(f"  VLANs        " + ", ".join(d['name'] for d in vl))
br = [d for d in p['devices'] if d['type'] == 'bridge'][0]
print(f"  br-lan       ports {', '.join(br['ports'])}")
print(f"  batman-adv   bat0 hardifs {', '.join(p['batman']['hardifs'])}")
print(f"  babeld       " + ", ".join(i['ifname'] for i in p['babeld']['interfaces']))
d = p['dnsmasq']
print(f"  dhcp         {d['pool_first']} .. {d['pool_last']}  lease {d['leasetime']}  mtu {d['client_mtu']}")
print(f"  wifi         " + ", ".join(f"{w['ifname']}({w['mode']})" for w in p['wifi']['ifaces']))
print(f"  wan          {p['wan'].get('device', '-')} {p['wan'].get('proto', '')}")
PY
files=$(grep -c '^+++ ' "$work/diff" || true)
added=$(grep -c '^+[^+]' "$work/diff" || true)
removed=$(grep -c '^-[^-]' "$work/diff" || true)
echo "  --dry-run    $files files would change (+$added / -$removed lines); nothing written"
if [[ "${1:-}" == "--diff" ]]; then cat "$work/diff"; fi
