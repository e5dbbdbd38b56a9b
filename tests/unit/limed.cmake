# limed: unit tests (cmocka) and the API tests over HTTP against a running limed.
lime_unit_test(limed_uci SOURCES ${CMAKE_CURRENT_LIST_DIR}/limed_uci.c LIBS limedcore)
lime_unit_test(limed_acl SOURCES ${CMAKE_CURRENT_LIST_DIR}/limed_acl.c LIBS limedcore)
# the daemon supervisor (supervise.c) with real child processes
lime_unit_test(limed_supervise SOURCES ${CMAKE_CURRENT_LIST_DIR}/limed_supervise.c
               LIBS limedcore)
# lease sharing on a running node: dnsmasq.conf's dhcp-script (lime-apply) and the
# supervisor's NAME=VALUE environment prefix
lime_unit_test(limed_leases SOURCES ${CMAKE_CURRENT_LIST_DIR}/limed_leases.c
               ${CMAKE_CURRENT_LIST_DIR}/apply_fixture.c LIBS limedcore limeapply)
if(TARGET limed_leases) # unit tests are not built in fuzz builds
  target_include_directories(limed_leases PRIVATE ${CMAKE_CURRENT_LIST_DIR})
endif()
lime_unit_test(limed_respondd SOURCES ${CMAKE_CURRENT_LIST_DIR}/limed_respondd.c
               LIBS limedcore)
lime_unit_test(limed_meshgraph SOURCES ${CMAKE_CURRENT_LIST_DIR}/limed_meshgraph.c
               LIBS limedcore)
# the Wi-Fi module: hostapd / wpa_supplicant control sockets and their events
lime_unit_test(limed_wifi SOURCES ${CMAKE_CURRENT_LIST_DIR}/limed_wifi.c LIBS limedcore)
# the iwinfo object (lime-app's Wi-Fi calls) on the kernel seam's in-memory model
lime_unit_test(limed_iwinfo SOURCES ${CMAKE_CURRENT_LIST_DIR}/limed_iwinfo.c
               LIBS limecore_nlmock limedcore PkgConfig::JSONC)
if(NOT LIME_FUZZ)
  # API tests: python3 stdlib against a real limed on a copy of tests/api/fixture.
  # The "apply succeeds" case runs the real lime-config.
  set(limed_api_lime_config $<TARGET_FILE:lime-config>)
  add_test(NAME limed_api
    COMMAND python3 ${PROJECT_SOURCE_DIR}/tests/api/limed_api_test.py
            --limed $<TARGET_FILE:limed> --www ${PROJECT_SOURCE_DIR}/www
            --lime-config "${limed_api_lime_config}" --emulator "${LIME_TEST_EMULATOR}")
  set_tests_properties(limed_api PROPERTIES LABELS unit TIMEOUT 120)
  # upstream LiMe-App 0.2.26's calls, in the shapes its code reads: two limed in a
  # private network namespace (root; SKIPPED otherwise) with a fake babeld.
  add_test(NAME limed_app
    COMMAND python3 ${PROJECT_SOURCE_DIR}/tests/api/limed_app_test.py
            --limed $<TARGET_FILE:limed> --www ${PROJECT_SOURCE_DIR}/www
            --lime-config "${limed_api_lime_config}" --emulator "${LIME_TEST_EMULATOR}")
  set_tests_properties(limed_app PROPERTIES LABELS unit TIMEOUT 180)
endif()

# The phone UI's message catalogues against the code that uses them, and the translation
# runtime (node, no browser). node is in scripts/deps.txt: missing, it fails, unless
# LIME_SKIP_BROWSER=1 (then skipped, 77), as the browser tests (tests/scenarios/lib/browser.sh).
if(NOT LIME_FUZZ)
  add_test(NAME www_i18n
    COMMAND sh -c "command -v node >/dev/null || { [ \"$LIME_SKIP_BROWSER\" = 1 ] && { echo 'SKIP: node missing (LIME_SKIP_BROWSER=1)'; exit 77; }; echo 'FAIL: node missing: run scripts/install-deps (or set LIME_SKIP_BROWSER=1)'; exit 1; }; exec node '${CMAKE_CURRENT_LIST_DIR}/www_i18n.mjs' '${PROJECT_SOURCE_DIR}/www'")
  set_tests_properties(www_i18n PROPERTIES LABELS unit SKIP_RETURN_CODE 77)
endif()
