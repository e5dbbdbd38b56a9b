# limed's phone UI in headless Chromium against a node of a lime-sim mesh (issue 6).
lime_scenario(limed_sim_ui COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/limed_sim_ui.sh TIMEOUT 300)
if(TEST scenario_limed_sim_ui)
  set_tests_properties(scenario_limed_sim_ui PROPERTIES SKIP_RETURN_CODE 77)
endif()

# What the phone shows is what the mesh is (issue 12): the demo mesh seen from a2 and b2,
# and a 50-node mesh in two clouds seen from a5 and b10, against `lime-sim status`.
foreach(t limed_sim_mesh limed_sim_mesh50)
  lime_scenario(${t} COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/${t}.sh TIMEOUT 900)
  if(TEST scenario_${t})
    set_tests_properties(scenario_${t} PROPERTIES SKIP_RETURN_CODE 77)
  endif()
endforeach()
