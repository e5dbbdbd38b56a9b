# Unit and end-to-end tests of lime-config (src/config). Both binaries run the lime-config
# executable for some tests (LIME_BINARY_DIR/src/config/lime-config), hence the dependency.
set(config_testlib ${CMAKE_CURRENT_LIST_DIR}/config_testlib.c)
lime_unit_test(config_e2e SOURCES ${CMAKE_CURRENT_LIST_DIR}/config_e2e.c ${config_testlib}
               LIBS limeconfig)
lime_unit_test(config_oracles SOURCES ${CMAKE_CURRENT_LIST_DIR}/config_oracles.c ${config_testlib}
               LIBS limeconfig)
foreach(t config_e2e config_oracles)
  if(TARGET ${t}) # unit tests are not built in fuzz builds
    add_dependencies(${t} lime-config)
  endif()
endforeach()
