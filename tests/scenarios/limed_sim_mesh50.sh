#!/usr/bin/env bash
# My mesh stays legible and true on a phone for a big mesh: 50 nodes in two clouds
# (tests/browser/topologies/two_clouds_50.json: Barrio with gateway "gateway" and a node
# "online", Centro with gateway "internet"; three links between the clouds).
# tests/browser/mesh_test.mjs opens a5's (Barrio) and b10's (Centro) UI at 390x844 and
# checks every page against `lime-sim status --json`, that nothing of the picture overlaps
# and that nodes named like English UI words keep their names in Spanish.
# Screenshots: $LIME_BINARY_DIR/tests/browser/artifacts/mesh-a5-*.png, mesh-b10-*.png
source "$(dirname "$0")/sim_lib.sh"
source "$(dirname "$0")/lib/browser.sh"
sim_init
browser_need
sim_need_stack
ART=${LIME_BINARY_DIR:-$SIM_SRC/build}/tests/browser/artifacts
browser_npm_ci "$SIM_SRC" || sim_fail "npm ci"
up_at=$(date +%s)
sim up "$SIM_SRC/tests/browser/topologies/two_clouds_50.json" || sim_fail "lime-sim up failed"
# node i's UI on 127.0.0.1:base+i (50 ports), below the ephemeral ports (32768-60999): an
# outgoing connection holding one of them made the proxy's bind fail (seen under load)
base=$((20000 + ($$ % 190) * 64))
sim ui $base > "$SIM_TMP/ui.log" 2>&1 &
SIM_PIDS+=($!)
sim_wait 180 curl -sf -m 3 "http://127.0.0.1:$base/" || sim_fail "UI not reachable ($(cat "$SIM_TMP/ui.log"); proxy: $(tail -3 "/run/lime-sim/$LIME_SIM_INSTANCE/uiproxy.log" 2>/dev/null))"
mkdir -p "$ART"; rm -f "$ART"/mesh-a5-*.png "$ART"/mesh-b10-*.png
sim_log "browser: a5 and b10 against the 50-node mesh"
start=$SECONDS
node "$SIM_SRC/tests/browser/mesh_test.mjs" --sim "$SIM_BIN" --base $base --up-at $up_at \
    --viewers a5,b10 --legible 1 --words gateway,online,internet --artifacts "$ART" || sim_fail "browser checks"
sim_log "PASS (browser part $((SECONDS - start)) s)"
