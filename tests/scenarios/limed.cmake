# limed: the phone UI in real headless Chromium against limed in network namespaces
# (prefix ld-) with real babeld between them.
if(TARGET limed)
  lime_scenario(limed_ui COMMAND ${CMAKE_CURRENT_LIST_DIR}/limed_ui.sh TIMEOUT 400)
  if(TEST scenario_limed_ui) # lime_scenario registers nothing in sanitizer/fuzz builds
    set_tests_properties(scenario_limed_ui PROPERTIES SKIP_RETURN_CODE 77)
  endif()
endif()
