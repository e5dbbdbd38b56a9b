#!/usr/bin/env bash
# lime-sim scenario "login": a node is a machine you can log into (issue 13). Line
# h1 - h2 - h3 - h4, h1 h2 in cloud LibreMesh.org (h1 a gateway), h3 h4 in cloud LiMe.
# Asserts, against the truth (status --json, the node roots on the host, the kernel):
#  - `lime-sim exec NODE -- hostname` and /etc/hostname are NODE, on every node;
#  - `exec h1 -- cat /etc/config/lime-node` is h1's file (R/etc/config/lime-node), h3 too;
#  - `exec h1 -- shared-state-async get node_info` (no flags) holds every node with its
#    status address, within 90 s; and from h4 too;
#  - `exec h3 -- batctl o` lists h4's originator address (h4's own primary interface) and
#    none of the other cloud's; `batctl` runs without flags (batd's batctl, or the real one
#    where batman-adv is the kernel's);
#  - `exec h2 -- lime-config` (no flags) writes h2's OpenWrt files: R/etc/config/network
#    appears on the host, the same file inside;
#  - the daemons live in the world the user logs into: babeld (its pid file as the host
#    reads it) shares the mount and UTS namespace of `exec h1`, which sees the same pid file;
#  - `lime-sim shell h4` reads commands from stdin, as h4, in /root;
#  - limed killed on h2 is started again by the node's init, and h2 answers again;
#  - h4 renamed and moved to a new cloud LiMe3 (lime-node, lime-config, lime-apply
#    --reload): node_info on h4 and h1 holds the new name with ap_ssid LiMe3 and h4's new
#    address (br-lan's, now in LiMe3's prefix), and not the old name;
#  - the host is untouched while the mesh runs: no /etc/config, the host's hostname, no
#    mount of a node root in the host's mount table;
#  - after a crash (every node's init and limed killed with SIGKILL) `lime-sim down` leaves
#    no process, namespace, mount or file (sim_leftovers.py).
# With SIM_MODE=kernel it runs on the qemu lab: node roots and the nodes' processes are
# then the guest's, read with `exec guest` (on_host); the leftover check is the lab's own
# (down ends the guest), so it is skipped there.
source "$(dirname "$0")/sim_lib.sh"
sim_init
sim_need_stack
cat > "$SIM_TMP/topo.json" <<'EOF'
{"nodes": [{"id": "h1", "gateway": true}, {"id": "h2"},
           {"id": "h3", "ssid": "LiMe"}, {"id": "h4", "ssid": "LiMe"}],
 "links": [{"source": "h1", "target": "h2"}, {"source": "h2", "target": "h3"},
           {"source": "h3", "target": "h4"}]}
EOF
host_name=$(hostname)
KMODE=""
[[ ${SIM_MODE:-veth} == kernel ]] && KMODE=1
# Runs a command where the node roots and the nodes' processes are: here, or in the guest.
on_host() { if [[ -n $KMODE ]]; then "$SIM_BIN" exec guest -- "$@"; else "$@"; fi; }
sim up "$SIM_TMP/topo.json" || sim_fail "lime-sim up failed"
LEFT=$SIM_SRC/tests/scenarios/sim_leftovers.py
[[ -n $KMODE ]] || python3 "$LEFT" snapshot "$LIME_SIM_INSTANCE" "$SIM_TMP/snap" >/dev/null
nodes=$(sim_q "' '.join(n['name'] for n in s['nodes'])")
[[ "$nodes" == "h1 h2 h3 h4" ]] || sim_fail "status lists '$nodes'"
nodes_dir=$(sim_q "s['nodes_dir']")

# --- the node's name ---
for n in $nodes; do
    [[ "$(sx $n hostname)" == "$n" ]] || sim_fail "$n: hostname is '$(sx $n hostname)'"
    [[ "$(sx $n cat /etc/hostname)" == "$n" ]] || sim_fail "$n: /etc/hostname is '$(sx $n cat /etc/hostname)'"
done
[[ "$(hostname)" == "$host_name" ]] || sim_fail "the host's hostname changed to $(hostname)"
on_host test ! -e /etc/config || sim_fail "/etc/config appeared on the host"
! on_host grep -q " $nodes_dir" /proc/self/mountinfo || sim_fail "a node root is mounted on the host: $(on_host grep " $nodes_dir" /proc/self/mountinfo)"
sim_log "hostname = node name on $nodes; host untouched"

# --- the node's files at the router's paths ---
for n in h1 h3; do
    r=$(node_field $n root)
    diff <(sx $n cat /etc/config/lime-node) <(on_host cat "$r/etc/config/lime-node") >/dev/null ||
        sim_fail "$n: /etc/config/lime-node inside is not $r/etc/config/lime-node"
    on_host grep -q "hostname '$n'" "$r/etc/config/lime-node" || sim_fail "$n: its lime-node does not name it"
done
sim_log "/etc/config/lime-node inside = the node root's file (h1, h3)"

# --- shared-state without flags: every node, with its address ---
want=$(sim_q "' '.join(n['name']+'='+n['ipv4'] for n in s['nodes'])")
all_nodes() {
    sx "$1" shared-state-async get node_info | python3 -c "
import json, sys
d = json.load(sys.stdin)
got = {k: v.get('ipv4') for k, v in d.items()}
want = dict(p.split('=') for p in '$want'.split())
sys.exit(0 if all(got.get(n) == ip for n, ip in want.items()) else 1)"
}
for n in h1 h4; do
    sim_wait 90 all_nodes $n || sim_fail "$n: node_info lacks nodes of ($want): $(sx $n shared-state-async get node_info | tr -d ' \n' | head -c 600)"
done
sim_log "shared-state-async get node_info on h1 and h4: all of $want"

# --- batctl o without flags: the own cloud's originators only ---
# A node's originator address: the MAC of its primary batman interface, as its own batctl
# banner says ("MainIF/MAC: eth0/02:..." from batd; the VLAN device's on the kernel's).
mac_of() { sx "$1" batctl o | sed -n 's|.*MainIF/MAC: [^/]*/\([0-9a-f:]*\).*|\1|p'; }
m4=$(mac_of h4); m1=$(mac_of h1); m2=$(mac_of h2)
h3_sees_h4() { sx h3 batctl o | grep -qi "^ \* $m4 "; }
sim_wait 60 h3_sees_h4 || sim_fail "h3: batctl o does not list h4 ($m4): $(sx h3 batctl o)"
if sx h3 batctl o | grep -qiE "$m1|$m2"; then sim_fail "h3: batctl o lists the other cloud: $(sx h3 batctl o)"; fi
sx h3 batctl o -H | grep -q 'B.A.T.M.A.N' && sim_fail "batctl o -H still prints the header"
sim_log "h3: batctl o lists h4 ($m4), not h1/h2"

# --- lime-config without flags writes the node's OpenWrt files ---
r2=$(node_field h2 root)
on_host rm -f "$r2/etc/config/network"
sx h2 lime-config >"$SIM_TMP/lc.log" 2>&1 || sim_fail "h2: lime-config failed: $(cat "$SIM_TMP/lc.log")"
on_host test -s "$r2/etc/config/network" || sim_fail "h2: lime-config wrote no $r2/etc/config/network"
diff <(sx h2 cat /etc/config/network) <(on_host cat "$r2/etc/config/network") >/dev/null || sim_fail "h2: /etc/config/network differs inside"
sim_log "h2: lime-config wrote /etc/config/network ($(on_host cat "$r2/etc/config/network" | wc -l) lines)"

# --- daemons and users share one world ---
r1=$(node_field h1 root)
bpid=$(on_host cat "$r1/var/run/babeld.pid")
[[ "$(sx h1 cat /var/run/babeld.pid)" == "$bpid" ]] || sim_fail "h1: /var/run/babeld.pid differs inside"
for k in mnt uts net; do
    [[ "$(on_host readlink /proc/$bpid/ns/$k)" == "$(sx h1 readlink /proc/self/ns/$k)" ]] ||
        sim_fail "h1: babeld and a user are in different $k namespaces"
done
[[ "$(on_host readlink /proc/$bpid/ns/mnt)" != "$(on_host readlink /proc/self/ns/mnt)" ]] || sim_fail "h1's babeld runs in the host's mount namespace"
sim_log "h1: babeld ($bpid) and exec share mnt/uts/net namespaces"

# --- an interactive shell ---
out=$(printf 'echo "me=$(hostname) at=$(pwd)"\nexit\n' | "$SIM_BIN" shell h4 2>/dev/null)
grep -q "me=h4 at=/root" <<<"$out" || sim_fail "shell h4: $out"
sim_log "shell h4: $(grep -o 'me=h4 at=/root' <<<"$out")"

# --- limed dies, the node's init starts it again ---
old=$(on_host cat "$r2/var/run/limed.pid")
on_host kill -9 "$old"
restarted() { local p; p=$(on_host cat "$r2/var/run/limed.pid"); [[ "$p" != "$old" ]] && on_host kill -0 "$p" && all_nodes h2; }
sim_wait 90 restarted || sim_fail "h2: limed was not started again (init: $(on_host cat "$r2/var/run/lime-sim-init" | tr '\n' ' '))"
[[ "$(sim_q "[n['limed_restarts'] for n in s['nodes'] if n['name']=='h2'][0]")" == 1 ]] ||
    sim_fail "h2: status --json limed_restarts is not 1 (init: $(on_host cat "$r2/var/run/lime-sim-init" | tr '\n' ' '))"
sim_log "h2: limed killed, started again by the init ($(on_host cat "$r2/var/run/lime-sim-init" | tr '\n' ' '))"

# --- a new hostname (lime-node, lime-config, lime-apply --reload, as the app's apply):
#     shared-state knows the node by the new name only, on a node of the other cloud too ---
ip4=$(node_field h4 ipv4)
sx h4 sed -i "s/hostname 'h4'/hostname 'h4new'/" /etc/config/lime-node
sx h4 grep -q "hostname 'h4new'" /etc/config/lime-node || sim_fail "h4: the rename did not reach its lime-node"
# ... and a new cloud: node_info's ap_ssid is what maps draw the node's cloud from
sx h4 sed -i "s/ap_ssid 'LiMe'/ap_ssid 'LiMe3'/" /etc/config/lime-community
sx h4 grep -q "ap_ssid 'LiMe3'" /etc/config/lime-community || sim_fail "h4: the new cloud did not reach its lime-community"
sx h4 lime-config >"$SIM_TMP/rn.log" 2>&1 && sx h4 lime-apply --reload >>"$SIM_TMP/rn.log" 2>&1 ||
    sim_fail "h4: lime-config / lime-apply --reload failed: $(tail -5 "$SIM_TMP/rn.log")"
# the cloud's prefix comes from its SSID: h4's address changes with it (read from its kernel)
br_ip() { sx h4 ip -4 -o addr show dev br-lan | awk '{split($4, a, "/"); print a[1]; exit}'; }
moved() { local a; a=$(br_ip); [[ -n $a && $a != "$ip4" ]]; }
sim_wait 30 moved || sim_fail "h4: br-lan still has $(br_ip), the old cloud's address"
ip4=$(br_ip)
renamed_at() {
    sx "$1" shared-state-async get node_info | python3 -c "
import json, sys
d = json.load(sys.stdin)
n = d.get('h4new') or {}
sys.exit(0 if n.get('ipv4') == '$ip4' and n.get('ap_ssid') == 'LiMe3' and not isinstance(d.get('h4'), dict) else 1)"
}
for n in h4 h1; do
    sim_wait 90 renamed_at $n || sim_fail "$n: node_info does not name h4 h4new only, in cloud LiMe3: $(sx $n shared-state-async get node_info | tr -d ' \n' | head -c 600)"
done
sim_log "h4 renamed h4new, moved to LiMe3: node_info on h4 and h1 holds h4new ($ip4, ap_ssid LiMe3), not h4"

# --- a crash, then down: nothing left ---
if [[ -n $KMODE ]]; then
    sim_log "PASS (kernel mode: the leftover check after down is the lab's own)"
    exit 0
fi
python3 "$LEFT" snapshot "$LIME_SIM_INSTANCE" "$SIM_TMP/snap" >/dev/null
for n in $nodes; do
    r=$(node_field $n root)
    kill -9 "$(awk '/^pid/ {print $2}' "$r/var/run/lime-sim-init")" "$(cat "$r/var/run/limed.pid")" 2>/dev/null
done
python3 "$LEFT" mark "$SIM_TMP/snap"
sim down >/dev/null || sim_fail "down failed after the crash"
python3 "$LEFT" check "$LIME_SIM_INSTANCE" "$SIM_TMP/snap" "$nodes_dir" || sim_fail "down left something"
sim_log PASS
