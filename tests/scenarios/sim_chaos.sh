#!/usr/bin/env bash
# lime-sim scenario "chaos" (issue 13): the short version of bench/sim_chaos.sh — 10 nodes
# in two clouds (gateways a1, b1), 2 minutes of link flaps, node stops and restarts, SIGKILLs
# of limed/babeld/batd/dnsmasq and phones joining and moving, each fault phase followed by a
# heal. Asserts every invariant the bench checks: after each heal every node reaches every
# other and the internet, and each cloud's shared-state tables are identical (here within
# 90 s: the bench's 30 s target is a figure for a quiet machine, not a deadline for a loaded
# one; the figures are printed); no two phones ever share an address; no restart beyond the
# kills; after `down` no process, namespace, mount or file left.
source "$(dirname "$0")/sim_lib.sh"
sim_init
sim_need_stack
bash "$SIM_SRC/bench/sim_chaos.sh" --minutes "${CHAOS_MINUTES:-2}" --nodes "${CHAOS_NODES:-10}" \
    --phones 6 --dhcp-limit 12 --phase 20 --target 90 --limit 120 --seed "${CHAOS_SEED:-$$}" ||
    sim_fail "an invariant failed (above)"
sim_log PASS
