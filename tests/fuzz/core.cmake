# Fuzz harnesses of src/core.
# In LIME_FUZZ builds only the harness target gets -fsanitize=fuzzer, so limecore itself
# carries no coverage instrumentation; compile the code under test into the harness so
# libFuzzer can see its branches (the archive's copies are then never pulled in).
set(core_fuzz_uci_sources ${CMAKE_CURRENT_LIST_DIR}/fuzz_uci.c)
if(LIME_FUZZ)
  list(APPEND core_fuzz_uci_sources ${PROJECT_SOURCE_DIR}/src/core/uci.c
       ${PROJECT_SOURCE_DIR}/src/core/uci_read.c ${PROJECT_SOURCE_DIR}/src/core/fsutil.c)
endif()
lime_fuzz_target(uci SOURCES ${core_fuzz_uci_sources} LIBS limecore)
