# Linux backend (lime-apply) scenarios: network namespaces named lr-*.
if(NOT LIME_FUZZ)
  add_executable(lr-apply-fixture ${CMAKE_CURRENT_LIST_DIR}/apply_fixture_main.c
                 ${CMAKE_CURRENT_LIST_DIR}/../unit/apply_fixture.c)
  target_include_directories(lr-apply-fixture PRIVATE ${CMAKE_CURRENT_LIST_DIR}/../unit)
  target_link_libraries(lr-apply-fixture PRIVATE limeapply)
endif()
lime_scenario(apply_basic COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/apply_basic.sh TIMEOUT 120)
lime_scenario(apply_limed COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/apply_limed.sh TIMEOUT 120)
