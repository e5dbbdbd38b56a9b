# End-to-end tests of shared-state (network namespaces ssl*, ssg*, plain veths).
lime_scenario(state_line COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/state_line.sh TIMEOUT 180)
lime_scenario(state_idle COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/state_idle.sh TIMEOUT 120)
lime_scenario(state_upstream COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/state_upstream.sh TIMEOUT 120)
lime_scenario(state_babeld COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/state_babeld.sh TIMEOUT 120)
lime_scenario(state_batd COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/state_batd.sh TIMEOUT 120)
lime_scenario(state_cli COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/state_cli.sh TIMEOUT 60)
lime_scenario(state_leases COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/state_leases.sh TIMEOUT 300)
