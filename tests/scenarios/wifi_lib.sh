# Shared by the Wi-Fi scenarios (wifi_*.sh): one guest for all of them. wifi_up.sh brings
# the mesh of wifi_topology.json up in lime-sim's Wi-Fi mode (instance "wifi"), the checks
# use it as it is (CTest fixture "wifi"), wifi_down.sh removes it. Run alone, a check
# brings the mesh up itself when it is not up (and leaves it for the next one).
#
#   w1 (gateway) - w2 - w3 - w4          open 802.11s mesh; w1-w3 cloud LibreMesh.org,
#                                        w4 cloud LiMe (its AP: WPA2, cloudb-pass)
#   w5 - w6 - w7                         SAE mesh: w5, w6 key meshkey-good, w7 meshkey-WRONG
#   w8 - w1                              w8's radio cannot do mesh (managed, ap)
source "$(dirname "${BASH_SOURCE[0]}")/sim_lib.sh"
export LIME_SIM_INSTANCE=wifi
# The mesh outlives each check (sim_lib.sh would tie it to this shell) and ends with the
# process that runs them all: CTest (killed on a timeout too), or the shell a check was
# started from by hand.
export LIME_SIM_OWNER=$PPID
WIFI_TOPO="$SIM_SRC/tests/scenarios/wifi_topology.json"
WIFI_UP_ARGS=(--gateway w1
    --option w5:wifi.ieee80211s_key=meshkey-good --option w6:wifi.ieee80211s_key=meshkey-good
    --option w7:wifi.ieee80211s_key=meshkey-WRONG
    --option w5:wifi.modes=ieee80211s --option w6:wifi.modes=ieee80211s --option w7:wifi.modes=ieee80211s
    --option w4:wifi.ap_key=cloudb-pass --radio w8=managed,ap)

# Up: this instance's guest runs (its qemu alive) with the nodes of wifi_topology.json. Read
# on the host: `status` would cost seconds in the emulated guest.
wifi_is_up() {
    python3 - "/run/lime-sim/$LIME_SIM_INSTANCE/guest.json" <<'PY'
import json, os, sys
try:
    g = json.load(open(sys.argv[1]))
    os.kill(g["qemu_pid"], 0)
except Exception:
    sys.exit(1)
sys.exit(0 if g.get("nodes") == ["w%d" % i for i in range(1, 9)] else 1)
PY
}

# `status --json` takes 1-2 s per node in the emulated guest (more under load), so the
# checks read one copy ($SIM_TMP/st.json) and take a new one (st_refresh) only where what
# they ask can have changed (a phone added or moved). Node facts (addresses, clouds, MACs)
# do not change while the mesh is up; the radios' state is read from the nodes' kernels.
st_refresh() { "$SIM_BIN" status --json > "$SIM_TMP/st.json" || sim_fail "lime-sim status failed"; }
sim_q() {
    [[ -s "$SIM_TMP/st.json" ]] || st_refresh
    python3 -c "import json,sys; s=json.load(open(sys.argv[1])); print($1)" "$SIM_TMP/st.json"
}

# Brings the mesh up (when it is not) and waits until it has meshed: w1 reaches w3 over
# babel and batman (VLAN 17 routes). Everything later is checked against the kernel.
wifi_up() {
    [[ $(id -u) -eq 0 ]] || sim_skip "needs root"
    [[ -x "$SIM_BIN" ]] || sim_fail "lime-sim not built ($SIM_BIN)"
    sim_need_stack
    command -v hostapd >/dev/null && command -v wpa_supplicant >/dev/null || sim_skip "hostapd/wpa_supplicant missing"
    SIM_TMP=$(mktemp -d /tmp/ls-test.XXXXXX)
    trap '[[ -n "$SIM_TMP" ]] && rm -rf "$SIM_TMP"' EXIT
    if ! wifi_is_up; then
        "$SIM_BIN" down >/dev/null 2>&1
        local t0=$SECONDS
        "$SIM_BIN" up --wifi "$WIFI_TOPO" "${WIFI_UP_ARGS[@]}" || sim_fail "lime-sim up --wifi failed"
        sim_log "up --wifi: 8 nodes in $((SECONDS - t0)) s"
    fi
}

# IPv4 of a node (status --json).
node_ip() { node_field "$1" ipv4; }
# The mesh peers of NODE's wlan0-mesh with plink ESTAB, by node name, sorted: NODE's kernel
# (iw's station dump there), the MACs named from status's mesh point addresses.
estab_peers() {
    [[ -s "$SIM_TMP/meshmacs" ]] ||
        sim_q "'\\n'.join(i['mac'].lower() + ' ' + n['name'] for n in s['nodes'] for i in n['wifi'] if i['type']=='mesh point')" > "$SIM_TMP/meshmacs"
    sx "$1" iw dev wlan0-mesh station dump 2>/dev/null |
        awk 'NR == FNR { name[$1] = $2; next }
             /^Station/ { mac = tolower($2) }
             /mesh plink:/ && $3 == "ESTAB" { print (mac in name ? name[mac] : mac) }' "$SIM_TMP/meshmacs" - |
        sort | tr '\n' ' ' | sed 's/ $//'
}
# The same from status --json (what lime-sim shows: its station dump over nl80211), fresh.
estab_peers_status() {
    st_refresh
    sim_q "' '.join(sorted(st.get('node','?') for n in s['nodes'] if n['name']=='$1' for i in n['wifi'] if i['type']=='mesh point' for st in i['stations'] if st.get('plink')=='ESTAB'))"
}

# The batman originators NODE knows (one MAC per line): kernel batman-adv's (batctl) where
# bat0 is a batadv device, batd's (its control socket) otherwise.
bat_origs() {
    local batd
    batd=${LIME_BINARY_DIR:-$(dirname "$(dirname "$(dirname "$SIM_BIN")")")}/src/batd/batd
    if sx "$1" ip -d link show bat0 2>/dev/null | grep -q batadv; then
        sx "$1" batctl meshif bat0 oj 2>/dev/null
    else
        sx "$1" "$batd" ctl --ctl /var/run/batd.sock originators --json 2>/dev/null
    fi | python3 -c 'import json,sys
d=json.load(sys.stdin)
for o in (d if isinstance(d,list) else d.get("originators",[])): print(o.get("orig_address",""))'
}
# The MAC of NODE's interface DEV.
if_mac() { sx "$1" cat "/sys/class/net/$2/address"; }
