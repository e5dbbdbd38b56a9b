# limed: the phone UI in real headless Chromium against limed in network namespaces
# (prefix ld-) with real babeld between them.
lime_scenario(limed_ui COMMAND ${CMAKE_CURRENT_LIST_DIR}/limed_ui.sh TIMEOUT 400)
if(TEST scenario_limed_ui) # lime_scenario registers nothing in sanitizer/fuzz builds
  set_tests_properties(scenario_limed_ui PROPERTIES SKIP_RETURN_CODE 77)
endif()
# limed's runtime modules alone (ld-runtime: supervisor + gateway watcher on one loop)
# between namespaces ld-gw-*: gateways announced, withdrawn, preferred; daemons restarted.
if(NOT LIME_FUZZ)
  add_executable(ld-runtime ${CMAKE_CURRENT_LIST_DIR}/limed_runtime_main.c)
  target_link_libraries(ld-runtime PRIVATE limedcore)
endif()
lime_scenario(limed_gateway COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/limed_gateway.sh TIMEOUT 400)
