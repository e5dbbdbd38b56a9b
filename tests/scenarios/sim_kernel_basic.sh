#!/usr/bin/env bash
# lime-sim scenario "kernel_basic": the qemu lab, `lime-sim up --kernel line:3`.
# Asserts: status --json lists the 3 nodes, mode "kernel", a running guest; commands run
# inside the guest (its kernel is not the host's; no node namespace exists on the host);
# stdin, stdout, stderr and exit status cross the channel; --share makes a host directory
# writable from the guest, both ways at once; the guest's kernel has what
# the lab promises (kernel batman-adv over an 802.1ad VLAN, batctl talking to it,
# mac80211_hwsim radios); n1 pings n3 across n2, and n3 pings n1; a verb that changes the
# mesh (link down) acts inside the guest; n2's web UI answers through `ui`; `down`
# leaves no qemu, no file, no namespace; a guest that dies is reported and `down`
# still cleans up.
# Deadlines: boot + up within 240 s, n1 -> n3 within 90 s (generous: TCG on a shared box).
source "$(dirname "$0")/sim_lib.sh"
sim_init
sim_need_stack
RUN=/run/lime-sim/$LIME_SIM_INSTANCE
# A process that runs (a zombie waiting for whoever adopted it does not).
running() { [[ -r /proc/$1/stat ]] && [[ $(cut -d' ' -f3 "/proc/$1/stat" 2>/dev/null) != Z ]]; }

t0=$SECONDS
sim up --kernel --share "$SIM_TMP" line:3 || sim_fail "lime-sim up --kernel line:3 failed"
sim_log "up --kernel line:3 in $((SECONDS - t0)) s"

q() { sim_q "$1"; }
[[ $(q 's["mode"]') == kernel ]] || sim_fail "status --json: mode is not kernel"
[[ $(q 'len(s["nodes"])') == 3 ]] || sim_fail "status --json: expected 3 nodes"
[[ $(q '" ".join(n["name"] for n in s["nodes"])') == "n1 n2 n3" ]] || sim_fail "status --json: node names"
[[ $(q 's["guest"]["running"]') == True ]] || sim_fail "status --json: guest not running"
qpid=$(q 's["guest"]["qemu_pid"]')
running "$qpid" || sim_fail "qemu pid $qpid from status is not running on the host"
sim status | grep -q '^mode: kernel' || sim_fail "status (text) does not show the mode"

# Inside the guest: another kernel, and the namespaces are there, not here.
gk=$(sx n1 uname -r) || sim_fail "exec n1 uname -r failed"
[[ -n "$gk" && "$gk" != "$(uname -r)" ]] || sim_fail "exec ran on the host kernel ($gk)"
[[ $(q 's["kernel"]') == "$gk" ]] || sim_fail "status kernel differs from uname -r in the guest"
ip netns list 2>/dev/null | grep -q "^ls-$LIME_SIM_INSTANCE-" && sim_fail "node namespaces exist on the host"
sim_log "guest kernel $gk (host $(uname -r))"

# The channel: stdin in, stdout/stderr out, exit status, a killed command.
[[ $(printf 'a b\nc\n' | sx n2 wc -l) == 2 ]] || sim_fail "stdin did not reach the guest"
out=$(sx n2 sh -c 'echo out; echo err >&2; exit 7' 2>"$SIM_TMP/err"); rc=$?
[[ $rc == 7 && $out == out && $(cat "$SIM_TMP/err") == err ]] \
    || sim_fail "exit status/stdout/stderr not relayed (rc $rc, out '$out')"
sx n2 sh -c 'kill -9 $$'; [[ $? == 137 ]] || sim_fail "a killed command does not give 137"
sx medium true || sim_fail "exec medium failed"
# The shared directory: written in the guest, read here; written here after boot, read there.
# (Not from a node: a node has its own /tmp, as a router does; the medium is a plain namespace.)
sx medium sh -c "echo from-guest > $SIM_TMP/g.txt" || sim_fail "cannot write the shared $SIM_TMP in the guest"
[[ $(cat "$SIM_TMP/g.txt" 2>/dev/null) == from-guest ]] || sim_fail "the guest's write to $SIM_TMP is not seen here"
echo from-host >"$SIM_TMP/h.txt"
[[ $(sx guest cat "$SIM_TMP/h.txt") == from-host ]] || sim_fail "a file written here after boot is not seen in the guest"

# What the lab promises the next modes: kernel batman-adv over 802.1ad, hwsim radios.
sx guest sh -c 'set -e
    ip link add lt0 type veth peer name lt1
    ip link add link lt0 name lt0.29 type vlan protocol 802.1ad id 29
    ip -d link show lt0.29 | grep -q "vlan protocol 802.1ad id 29"
    ip link add lbat type batadv
    batctl meshif lbat if add lt0.29
    ip link set lt1 up; ip link set lt0 up; ip link set lt0.29 up; ip link set lbat up
    for i in 1 2 3 4 5 6 7 8 9 10; do batctl meshif lbat if | grep -q "lt0.29: active" && break; sleep 0.5; done
    batctl meshif lbat if | grep -q "lt0.29: active"
    ip link del lbat; ip link del lt0' || sim_fail "kernel batman-adv over an 802.1ad VLAN does not work in the guest"
radios=$(sx guest sh -c 'modprobe mac80211_hwsim radios=2 && ls /sys/kernel/debug/ieee80211 | wc -l; modprobe -r mac80211_hwsim')
[[ $radios == 2 ]] || sim_fail "mac80211_hwsim radios=2 gave '$radios' phys"
sim_log "kernel batman-adv on 802.1ad VLAN 29, batctl, 2 hwsim radios: ok"

# The nodes' batman is the kernel's (lime-apply's kernel path, issue 10): bat0 of kind
# batadv, the mesh links' 802.1ad VLAN 29 devices enslaved to it, on both ends.
for n in n1 n3; do
    kb=$(sx $n sh -c 'ip -d link show bat0; ip -d link show master bat0')
    grep -q '^    batadv' <<<"$kb" || sim_fail "$n: bat0 is not of kind batadv"
    grep -q 'vlan protocol 802.1ad id 29 ' <<<"$kb" || sim_fail "$n: no 802.1ad VLAN 29 device in bat0"
done
sim_log "n1, n3: bat0 kind batadv over vlan protocol 802.1ad id 29"

# The mesh: ends of the line reach each other across n2.
ip1=$(node_field n1 ipv4); ip3=$(node_field n3 ipv4)
t1=$SECONDS
sim_wait 90 sx n1 ping -c1 -W2 "$ip3" || sim_fail "n1 does not reach n3 ($ip3) within 90 s"
sim_log "n1 -> n3 ($ip3) after $((SECONDS - t1)) s more ($((SECONDS - t0)) s after up began)"
sim_wait 30 sx n3 ping -c1 -W2 "$ip1" || sim_fail "n3 does not reach n1 ($ip1)"

# A verb that changes the mesh acts inside the guest.
downs() { sx medium sh -c 'ip -o link show | grep -c "state DOWN"'; }
before=$(downs)
sim link down n1 n2 || sim_fail "link down failed"
[[ $(q '[l["up"] for l in s["links"] if l["a"]=="n1"][0]') == False ]] || sim_fail "link n1-n2 still up in status"
(( $(downs) > before )) || sim_fail "link down changed nothing in the guest's medium"
sim link up n1 n2 || sim_fail "link up failed"
(( $(downs) == before )) || sim_fail "link up did not restore the guest's medium"

# The web UI of n2 through the host's loopback.
base=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(20000 + s.getsockname()[1] % 30000)')
sim ui "$base" >/dev/null || sim_fail "ui $base failed"
sim_wait 30 curl -sf -m 5 -o "$SIM_TMP/ui.html" "http://127.0.0.1:$((base + 1))/" || sim_fail "n2's UI does not answer on $((base + 1))"
grep -qi '<html' "$SIM_TMP/ui.html" || sim_fail "n2's UI answered something else"
sim_log "n2's UI at 127.0.0.1:$((base + 1))"

# down: no qemu, no file (but the lock), no namespace; the agent's port is closed.
port=$(q 's["guest"]["agent_port"]')
sim down >/dev/null || sim_fail "down failed"
sleep 0.5
running "$qpid" && sim_fail "qemu $qpid still runs after down"
pgrep -f "$RUN/console.log" && sim_fail "a qemu of this instance still runs after down"
pgrep -f "_uiproxy $base" && sim_fail "the UI forwarder still runs after down"
left=$(ls -A "$RUN" | grep -v '^lock$')
[[ -z "$left" ]] || sim_fail "files left in $RUN: $left"
ip netns list 2>/dev/null | grep -q "^ls-$LIME_SIM_INSTANCE-" && sim_fail "namespaces left"
python3 -c "import socket,sys; s=socket.socket(); sys.exit(s.connect_ex(('127.0.0.1',$port))==0)" \
    || sim_fail "127.0.0.1:$port still accepts after down"
sim_log "down: qemu $qpid gone, $RUN empty, port $port closed"

# A guest that dies: every verb says so, down still cleans up.
sim up --kernel line:1 >/dev/null 2>&1 || sim_fail "second up failed"
qpid=$(q 's["guest"]["qemu_pid"]')
kill -9 "$qpid"
sleep 0.5
msg=$(sim node stop n1 2>&1); rc=$?
[[ $rc != 0 && $(grep -c 'error' <<<"$msg") == 1 && $msg == *"not running"* ]] \
    || sim_fail "a verb on a dead guest: rc $rc, '$msg'"
sim down >/dev/null || sim_fail "down after the guest died failed"
left=$(ls -A "$RUN" | grep -v '^lock$')
[[ -z "$left" ]] || sim_fail "files left after a dead guest's down: $left"
sim_log PASS
