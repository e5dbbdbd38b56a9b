#!/usr/bin/env bash
# Wi-Fi scenarios, clean-up (CTest fixture "wifi"): nothing of the lab is left.
source "$(dirname "$0")/wifi_lib.sh"
"$SIM_BIN" down >/dev/null 2>&1
rm -rf "/run/lime-sim/$LIME_SIM_INSTANCE"
pgrep -f "qemu.*lime-sim/$LIME_SIM_INSTANCE/" >/dev/null && sim_fail "a qemu of instance $LIME_SIM_INSTANCE is left"
ls /run/netns 2>/dev/null | grep -q "^ls-$LIME_SIM_INSTANCE-" && sim_fail "namespaces of $LIME_SIM_INSTANCE are left"
sim_log "PASS (down: no guest, namespace or file left)"
