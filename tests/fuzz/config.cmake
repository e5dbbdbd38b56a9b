# Fuzz harness of src/config: lime-* files through lime-config's loader checks.
# In LIME_FUZZ builds the code under test is compiled into the harness (coverage).
set(config_fuzz_sources ${CMAKE_CURRENT_LIST_DIR}/fuzz_config_lime.c)
if(LIME_FUZZ)
  list(APPEND config_fuzz_sources ${PROJECT_SOURCE_DIR}/src/config/confload.c
       ${PROJECT_SOURCE_DIR}/src/config/ctx.c)
endif()
lime_fuzz_target(config_lime SOURCES ${config_fuzz_sources} LIBS limeconfig)
target_include_directories(fuzz_config_lime PRIVATE ${PROJECT_SOURCE_DIR}/src/config)
