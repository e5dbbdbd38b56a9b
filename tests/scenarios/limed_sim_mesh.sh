#!/usr/bin/env bash
# What the phone shows is what the mesh is (issue 12), on the demo mesh
# (src/sim/topologies/demo.json: gw a1 a2 in cloud LibreMesh.org, b1 b2 in LiMe, gateway
# gw): tests/browser/mesh_test.mjs opens a2's and b2's UI in headless Chromium and checks
# My mesh, Internet, Nodes, Status and the Spanish UI against `lime-sim status --json`, then
# switches a1 off and on again. Screenshots: $LIME_BINARY_DIR/tests/browser/artifacts/mesh-*.png
source "$(dirname "$0")/sim_lib.sh"
source "$(dirname "$0")/lib/browser.sh"
sim_init
browser_need
sim_need_stack
ART=${LIME_BINARY_DIR:-$SIM_SRC/build}/tests/browser/artifacts
browser_npm_ci "$SIM_SRC" || sim_fail "npm ci"
up_at=$(date +%s)
sim up "$SIM_SRC/src/sim/topologies/demo.json" || sim_fail "lime-sim up failed"
base=$((20000 + ($$ % 1500) * 8))   # node i's UI on 127.0.0.1:base+i, below the ephemeral ports
sim ui $base > "$SIM_TMP/ui.log" 2>&1 &
SIM_PIDS+=($!)
sim_wait 180 curl -sf -m 3 "http://127.0.0.1:$base/" || sim_fail "UI not reachable ($(cat "$SIM_TMP/ui.log"))"
mkdir -p "$ART"; rm -f "$ART"/mesh-a2-*.png "$ART"/mesh-b2-*.png
sim_log "browser: a2 and b2 against the mesh"
start=$SECONDS
node "$SIM_SRC/tests/browser/mesh_test.mjs" --sim "$SIM_BIN" --base $base --up-at $up_at \
    --viewers a2,b2 --stop a1 --artifacts "$ART" || sim_fail "browser checks"
sim_log "PASS (browser part $((SECONDS - start)) s)"
