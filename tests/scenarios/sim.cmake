# lime-sim end-to-end scenarios: each brings a virtual mesh up with lime-sim (its own
# instance, namespaces ls-t<pid>-*), asserts an outcome LibreMesh promises, and always ends
# with `lime-sim down`. Exit 77 = skipped (not root, or a tool is missing).
foreach(s anygw roaming segmentation leases gateways respondd login paths chaos)
  # gateways waits for five changes of up to 90 s each on a loaded machine; chaos runs
  # 2 minutes of faults plus up, the last checks and down.
  if(s STREQUAL "gateways" OR s STREQUAL "chaos")
    set(t 480)
  else()
    set(t 240)
  endif()
  lime_scenario(sim_${s} COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/sim_${s}.sh TIMEOUT ${t})
  if(TEST scenario_sim_${s})
    set_tests_properties(scenario_sim_${s} PROPERTIES SKIP_RETURN_CODE 77)
  endif()
endforeach()
# The qemu lab (kernel mode): each boots its own guest. basic's first run may also
# download and cache the kernel (~70 MB, once per machine). kernel_clouds: the kernel's
# batman-adv (anygw, segmentation, roaming, a mixed kernel/batd cloud) in one guest.
foreach(s kernel_basic kernel_errors kernel_clouds)
  lime_scenario(sim_${s} COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/sim_${s}.sh TIMEOUT 600)
  if(TEST scenario_sim_${s})
    set_tests_properties(scenario_sim_${s} PROPERTIES SKIP_RETURN_CODE 77)
  endif()
endforeach()

# Wi-Fi mode (up --wifi): one guest with radios for all the Wi-Fi checks (CTest fixture
# "wifi": wifi_up brings the mesh of wifi_topology.json up, wifi_down removes it).
foreach(s up line roam clouds bad down)
  lime_scenario(sim_wifi_${s} COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/wifi_${s}.sh TIMEOUT 600)
  if(TEST scenario_sim_wifi_${s})
    set_tests_properties(scenario_sim_wifi_${s} PROPERTIES SKIP_RETURN_CODE 77)
    if(s STREQUAL "up")
      set_tests_properties(scenario_sim_wifi_${s} PROPERTIES FIXTURES_SETUP wifi)
    elseif(s STREQUAL "down")
      set_tests_properties(scenario_sim_wifi_${s} PROPERTIES FIXTURES_CLEANUP wifi)
    else()
      set_tests_properties(scenario_sim_wifi_${s} PROPERTIES FIXTURES_REQUIRED wifi)
    endif()
  endif()
endforeach()
