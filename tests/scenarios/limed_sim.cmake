# limed's phone UI in headless Chromium against a node of a lime-sim mesh (issue 6).
if(TARGET lime-sim AND TARGET limed)
  lime_scenario(limed_sim_ui COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/limed_sim_ui.sh TIMEOUT 300)
  if(TEST scenario_limed_sim_ui)
    set_tests_properties(scenario_limed_sim_ui PROPERTIES SKIP_RETURN_CODE 77)
  endif()
endif()
