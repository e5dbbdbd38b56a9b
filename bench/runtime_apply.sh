#!/usr/bin/env bash
# Benchmark: lime-apply (the linux backend, on the hand-built worked-example plan via
# lr-apply-fixture) in a fresh network namespace, against a baseline that makes the same
# kernel objects with iproute2 (`ip -batch`) + `nft -f` and writes nothing else. Also the
# no-op re-apply (diff only). N runs each (BENCH_RUNS, default 10); prints medians and
# ratios. Needs root; skips (exit 0) when not built. Namespaces: lr-bench-*.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=""
for b in "${LIME_BINARY_DIR:-build}/tests/lr-apply-fixture" build/tests/lr-apply-fixture; do
    [[ -z "$BIN" && -x "$b" ]] && BIN=$b
done
if [[ -z "$BIN" || $(id -u) -ne 0 ]]; then echo "runtime_apply: lr-apply-fixture not built (or not root), skipped"; exit 0; fi
N=${BENCH_RUNS:-10}
work=$(mktemp -d /tmp/lr-bench.XXXXXX)
NS=lr-bench-apply
cleanup() { ip netns del "$NS" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

cat >"$work/batch" <<'B'
link add br-lan type bridge
link set eth1 master br-lan
link set eth1 up
link set br-lan up
tuntap add dev bat0 mode tap
link set bat0 master br-lan
link set bat0 up
link add anygw link br-lan address aa:aa:aa:0d:fe:aa type macvlan
link set anygw up
link set eth0 up
addr add 10.13.132.209/16 dev br-lan
addr add fd0d:fe46:8ce8::1c:84d1/64 dev br-lan nodad
addr add 10.13.0.1/16 dev anygw metric 2147483647
addr add fd0d:fe46:8ce8::1/64 dev anygw metric 2147483647 nodad
addr add 10.13.132.209/32 dev eth0
rule add from 10.13.0.1 lookup 170 priority 170
route add 10.13.0.0/16 dev anygw table 170 proto static
B
cat >"$work/batch6" <<'B'
rule add from fd0d:fe46:8ce8::1 lookup 170 priority 170
route add fd0d:fe46:8ce8::/64 dev anygw table 170 proto static
B
cat >"$work/nft" <<'B'
table bridge lime_anygw {
	chain forward {
		type filter hook forward priority filter; policy accept;
		ether daddr & ff:ff:ff:00:00:00 == aa:aa:aa:00:00:00 counter drop
	}
	chain postrouting {
		type filter hook postrouting priority srcnat; policy accept;
		oifname "bat0" ether saddr & ff:ff:ff:00:00:00 == aa:aa:aa:00:00:00 counter drop
		oifname "bat0" icmpv6 type nd-router-solicit counter drop
		oifname "bat0" icmpv6 type nd-router-advert counter drop
	}
}
B

fresh() {
    ip netns del "$NS" 2>/dev/null || true
    ip netns add "$NS"
    ip -n "$NS" link add eth0 type veth peer name eth0p
    ip -n "$NS" link add eth1 type veth peer name eth1p
    rm -rf "$work/root"; mkdir -p "$work/root"
}
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : int((a[NR/2]+a[NR/2+1])/2)}'; }
us() { echo $(( ($2 - $1) / 1000 )); }

first=(); noop=(); base=()
for ((i = 0; i < N; i++)); do
    fresh
    t0=$(date +%s%N); ip netns exec "$NS" "$BIN" --root "$work/root" >/dev/null 2>&1; t1=$(date +%s%N)
    ip netns exec "$NS" "$BIN" --root "$work/root" >/dev/null 2>&1; t2=$(date +%s%N)
    first+=("$(us "$t0" "$t1")"); noop+=("$(us "$t1" "$t2")")
    fresh
    t0=$(date +%s%N); ip -n "$NS" -batch "$work/batch"; ip -6 -n "$NS" -batch "$work/batch6"; ip netns exec "$NS" nft -f "$work/nft"; t1=$(date +%s%N)
    base+=("$(us "$t0" "$t1")")
done
f=$(printf '%s\n' "${first[@]}" | median); n=$(printf '%s\n' "${noop[@]}" | median)
b=$(printf '%s\n' "${base[@]}" | median)
echo "runtime_apply: worked-example plan in a fresh namespace, $N runs each (median)"
echo "  lime-apply, first apply (19 kernel changes + nft + 4 files): ${f} us"
echo "  lime-apply, second apply (0 changes: dumps + diff + nft list): ${n} us"
echo "  baseline ip -batch + nft -f of the same objects:            ${b} us"
awk -v a="$f" -v c="$n" -v b="$b" 'BEGIN { printf "  ratio first apply / baseline: %.2f\n  ratio no-op apply / baseline: %.2f\n", a / b, c / b }'
