# lime-sim end-to-end scenarios: each brings a virtual mesh up with lime-sim, asserts an
# outcome LibreMesh promises, and always ends with `lime-sim down`. Exit 77 = skipped (a
# prerequisite such as batd or limed's gateway watcher is not built yet).
if(TARGET lime-sim)
  foreach(s anygw roaming segmentation leases gateways)
    lime_scenario(sim_${s} COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/sim_${s}.sh TIMEOUT 240)
    if(TEST scenario_sim_${s})
      set_tests_properties(scenario_sim_${s} PROPERTIES SKIP_RETURN_CODE 77)
    endif()
  endforeach()
endif()
