# Fuzz harnesses of src/core.
lime_fuzz_target(uci SOURCES ${CMAKE_CURRENT_LIST_DIR}/fuzz_uci.c LIBS limecore)
