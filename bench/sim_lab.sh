#!/usr/bin/env bash
# The qemu lab (lime-sim up --kernel): what it costs. Prints
#   - boot to agent ready (3 warm boots of line:1; the kernel is cached), median
#   - `up --kernel line:3` until n1 pings n3
#   - qemu's RSS with the 3 nodes running
#   - one forwarded verb: `lime-sim exec n1 -- true` from the host (median of 10) against
#     the same command run inside the guest (baseline, median of 10), and their ratio:
#     what the channel (TCP, agent, one more lime-sim start) adds to the guest's own cost
#   - the same verb in veth mode on the host, for scale
# (The cold first run, download + cache, is measured with `time LIME_SIM_CACHE=/tmp/x
# lime-sim kernel`: see docs/performance.md.)
LIME_SIM_INSTANCE=${LIME_SIM_INSTANCE:-benchlab}
source "$(dirname "$0")/sim_lib.sh"
median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
ms_since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%d\n", (b - a) * 1000 }'; }
"$SIM" kernel >/dev/null || exit 1

for i in 1 2 3; do
    "$SIM" up --kernel line:1 2>&1 >/dev/null | sed -n 's/.*guest ready in \([0-9.]*\) s.*/\1/p'
    "$SIM" down >/dev/null
done >"$BTMP/boot"
boot=$(median <"$BTMP/boot")

t0=$(now)
"$SIM" up --kernel line:3 >/dev/null 2>&1 || { echo "up --kernel line:3 failed"; exit 1; }
up_s=$(awk -v a="$t0" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }')
ip3=$("$SIM" status --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["nodes"][2]["ipv4"])')
wait_for 120 sx n1 ping -c1 -W1 "$ip3" || { echo "n1 does not reach n3"; exit 1; }
ping_s=$(awk -v a="$t0" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }')
sleep 10
qpid=$("$SIM" status --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["guest"]["qemu_pid"])')
rss=$(awk '/VmRSS/ { printf "%d", $2 / 1024 }' "/proc/$qpid/status")
cpu0=$(awk '{ print $14 + $15 }' "/proc/$qpid/stat"); sleep 10; cpu1=$(awk '{ print $14 + $15 }' "/proc/$qpid/stat")
idle_pct=$(awk -v a="$cpu0" -v b="$cpu1" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%d", (b - a) / hz / 10 * 100 }')

for i in $(seq 10); do t=$(now); "$SIM" exec n1 -- true; ms_since "$t"; done >"$BTMP/fwd"
fwd=$(median <"$BTMP/fwd")
# Inside the guest its lime-sim is the same binary, at the same path.
sx guest sh -c "for i in 1 2 3 4 5 6 7 8 9 10; do a=\$(date +%s%N); $SIM exec n1 -- true; b=\$(date +%s%N); echo \$(( (b - a) / 1000000 )); done" >"$BTMP/in"
inguest=$(median <"$BTMP/in")
"$SIM" down >/dev/null

"$SIM" up line:3 >/dev/null 2>&1
for i in $(seq 10); do t=$(now); "$SIM" exec n1 -- true; ms_since "$t"; done >"$BTMP/veth"
veth=$(median <"$BTMP/veth")
"$SIM" down >/dev/null

echo "boot to agent ready (median of 3, cached kernel): ${boot} s"
echo "up --kernel line:3: ${up_s} s; n1 pings n3 ${ping_s} s after up began"
echo "qemu RSS with 3 nodes: ${rss} MiB; the guest with 3 idle nodes uses ${idle_pct} % of a host core"
echo "exec n1 -- true: forwarded from the host ${fwd} ms, inside the guest ${inguest} ms (baseline), ratio $(awk -v a="$fwd" -v b="$inguest" 'BEGIN { printf "%.2f", a / b }'); veth mode on the host ${veth} ms"
