#!/usr/bin/env bash
# Chaos on lime-sim (issue 13): bench/sim_chaos.sh [--minutes M] [--nodes N] [--seed S]
#   [--phones P] [--target S] [--limit S]
# N nodes (default 30) in two clouds with 2 gateways; M minutes (default 10) of random link
# flaps, node stops and restarts, SIGKILLs of limed, babeld, batd and dnsmasq, phones joining
# and moving, in cycles of faults, heal and checks. Prints each invariant with its worst
# figure (reach and shared-state tables after each heal against --target, default 30 s;
# duplicate phone addresses; restarts beyond our kills; what `down` left) and exits 1 if
# one failed. Details: bench/sim_chaos.py; the event log is kept in $CHAOS_LOG if set.
# Heavy (30 nodes on 2 cores): run it alone, e.g. under `flock /work/wt/scenario.lock`.
source "$(dirname "$0")/sim_lib.sh"
# sim_lib's EXIT trap downs the mesh too; the driver downs it itself and checks what is left.
snap=$BTMP/snapshot
python3 "$PWD/bench/sim_chaos.py" --sim "$SIM" --tmp "$BTMP" --snapshot "$snap" \
    --log "${CHAOS_LOG:-$BTMP/events.jsonl}" "$@"
rc=$?
echo "sim_chaos: load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
exit $rc
