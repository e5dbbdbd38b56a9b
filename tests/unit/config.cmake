# Unit and end-to-end tests of lime-config (src/config).
set(config_testlib ${CMAKE_CURRENT_LIST_DIR}/config_testlib.c)
if(TARGET limeconfig)
  lime_unit_test(config_e2e SOURCES ${CMAKE_CURRENT_LIST_DIR}/config_e2e.c ${config_testlib}
                 LIBS limeconfig)
  if(TARGET lime-config AND TARGET config_e2e)
    add_dependencies(config_e2e lime-config)
  endif()
endif()
if(TARGET limeconfig)
  lime_unit_test(config_oracles SOURCES ${CMAKE_CURRENT_LIST_DIR}/config_oracles.c ${config_testlib}
                 LIBS limeconfig)
endif()
