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
WIFI_TOPO="$SIM_SRC/tests/scenarios/wifi_topology.json"
WIFI_UP_ARGS=(--gateway w1
    --option w5:wifi.ieee80211s_key=meshkey-good --option w6:wifi.ieee80211s_key=meshkey-good
    --option w7:wifi.ieee80211s_key=meshkey-WRONG
    --option w5:wifi.modes=ieee80211s --option w6:wifi.modes=ieee80211s --option w7:wifi.modes=ieee80211s
    --option w4:wifi.ap_key=cloudb-pass --radio w8=managed,ap)

wifi_is_up() { "$SIM_BIN" status --json 2>/dev/null | grep -Eq '"wifi": ?true'; }

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
# The mesh peers of NODE's wlan0-mesh with plink ESTAB, by node name, sorted (from the
# kernel of that node: status reads its station dump over nl80211).
estab_peers() {
    sim_q "' '.join(sorted(st.get('node','?') for n in s['nodes'] if n['name']=='$1' for i in n['wifi'] if i['type']=='mesh point' for st in i['stations'] if st.get('plink')=='ESTAB'))"
}

# The batman originators NODE knows (one MAC per line): kernel batman-adv's (batctl) where
# bat0 is a batadv device, batd's (its control socket) otherwise.
bat_origs() {
    local root batd
    root=$(node_field "$1" root)
    batd=${LIME_BINARY_DIR:-$(dirname "$(dirname "$(dirname "$SIM_BIN")")")}/src/batd/batd
    if sx "$1" ip -d link show bat0 2>/dev/null | grep -q batadv; then
        sx "$1" batctl meshif bat0 oj 2>/dev/null
    else
        sx "$1" "$batd" ctl --ctl "$root/var/run/batd.sock" originators --json 2>/dev/null
    fi | python3 -c 'import json,sys
d=json.load(sys.stdin)
for o in (d if isinstance(d,list) else d.get("originators",[])): print(o.get("orig_address",""))'
}
# The MAC of NODE's interface DEV.
if_mac() { sx "$1" cat "/sys/class/net/$2/address"; }
