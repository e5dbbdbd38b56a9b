# shellcheck shell=bash
# browser.sh — what the browser tests (tests/browser, headless Chromium driven by
# playwright-core under node) need, for the scenarios that run them.
#
#   browser_need               chromium, node and npm must be on PATH: scripts/deps.txt
#                              lists them, so after scripts/install-deps a missing one is a
#                              broken machine and the test FAILS (exit 1) saying so. Only
#                              LIME_SKIP_BROWSER=1 in the environment turns that into a skip
#                              (exit 77), for a machine that is meant to have no browser.
#   browser_npm_ci SRC         npm ci of SRC/tests/browser (playwright-core, pinned by its
#                              package-lock.json); 1 and npm's last words if it fails.

browser_need() {
    local tool missing=()
    for tool in chromium node npm; do
        command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
    done
    ((${#missing[@]} == 0)) && return 0
    if [[ ${LIME_SKIP_BROWSER:-} == 1 ]]; then
        echo "SKIP: ${missing[*]} missing (LIME_SKIP_BROWSER=1)"
        exit 77
    fi
    echo "FAIL: ${missing[*]} missing: scripts/deps.txt lists them, run scripts/install-deps" \
        "(or set LIME_SKIP_BROWSER=1 to skip the browser tests on purpose)" >&2
    exit 1
}

browser_npm_ci() {
    local out
    out=$(cd "$1/tests/browser" && npm ci --no-audit --no-fund --loglevel=error 2>&1) && return 0
    echo "npm ci in $1/tests/browser failed: $(tail -5 <<<"$out")" >&2
    return 1
}
